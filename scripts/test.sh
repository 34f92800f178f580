#!/usr/bin/env bash
# THE test command (README's `make test`, CI's .ci/run). On a fresh machine, as root, it:
#   1. installs the real servers from Debian (prometheus, pushgateway, node_exporter, carbon) and pypy3
#      when they are missing;
#   2. makes a venv per CPython 3.9..3.13 found under pyenv (.venv/py3.X) and one for PyPy (.venv/pypy3);
#   3. makes .venv/official (the official client 0.26.0, for tests/compat), runs tests/unit on every
#      interpreter, and the full suite (unit + integration + compat + stress) with coverage (>= 90% of
#      prometheus_client/) on 3.11;
#   4. runs ruff, mypy and `mkdocs build --strict`.
# It exits non-zero if any step fails and ends with a summary of every step and its time.
#
# Environment knobs: PYTHON_VERSIONS="3.11 3.12" to test fewer CPythons, SKIP_PYPY=1, SKIP_APT=1,
# FULL_PYTHON=3.11 (the one running the full suite and tools). A PyPy that is missing although apt could
# install it (or under CI=true) is a FAIL; SKIP_PYPY=1 is the only way to leave it out on purpose.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
export DEBIAN_FRONTEND=noninteractive

FULL_PYTHON=${FULL_PYTHON:-3.11}
PYTHON_VERSIONS=${PYTHON_VERSIONS:-"3.9 3.10 3.11 3.12 3.13"}
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT

SUMMARY=()   # one line per step: "status  seconds  name"
FAILED=0
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

banner() { printf '\n==== %s ====\n' "$*"; }

record() {  # record NAME STATUS SECONDS
    SUMMARY+=("$(printf '%-5s %5ss  %s' "$2" "$3" "$1")")
    if [ "$2" = "FAIL" ]; then FAILED=1; fi
}

step() {  # step NAME COMMAND...: run, time and record a step
    local name=$1 start rc
    shift
    banner "$name"
    start=$SECONDS
    "$@"
    rc=$?
    if [ $rc -eq 0 ]; then record "$name" ok $((SECONDS - start)); else record "$name" FAIL $((SECONDS - start)); fi
    return 0
}

# run_pytest NAME PYTHON ARGS...: pytest with its output teed, exit 5 (no tests collected) counted as ok,
# and its pass/fail/skip counts added to the totals printed at the end.
run_pytest() {
    local name=$1 python=$2 log start rc line
    shift 2
    log="$LOG_DIR/pytest-$(echo "$name" | tr -c 'a-zA-Z0-9' '_').log"
    banner "$name"
    start=$SECONDS
    "$python" -m pytest -p no:cacheprovider "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # pytest's closing line: "3 passed, 1 skipped in 1.2s", framed by '=' unless -q.
    line=$(grep -E '(passed|failed|errors?|skipped|no tests ran).* in [0-9.]+s' "$log" | tail -n 1)
    TOTAL_PASSED=$((TOTAL_PASSED + $(count passed "$line")))
    TOTAL_FAILED=$((TOTAL_FAILED + $(count failed "$line") + $(count error "$line") + $(count errors "$line")))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + $(count skipped "$line")))
    if [ $rc -ne 0 ] && [ $rc -ne 5 ] && [ $(($(count failed "$line") + $(count error "$line") + \
        $(count errors "$line"))) -eq 0 ]; then
        # pytest failed before any test did (a conftest that cannot import, a usage error): count it as one
        # failure, so that the last line never says "0 failed" for a run that tested nothing.
        echo "note: $name failed (pytest exit $rc) without a failing test; counted as 1 failed"
        TOTAL_FAILED=$((TOTAL_FAILED + 1))
    fi
    if [ $rc -eq 5 ]; then
        echo "note: $name collected no tests (pytest exit 5), counted as ok"
        rc=0
    fi
    if [ $rc -eq 0 ]; then record "$name" ok $((SECONDS - start)); else record "$name" FAIL $((SECONDS - start)); fi
}

count() {  # count WORD LINE: the number before WORD in a pytest summary line, else 0
    local n
    n=$(echo "$2" | grep -oE "[0-9]+ $1\b" | head -n 1 | cut -d' ' -f1)
    echo "${n:-0}"
}

source scripts/lib.sh

# ---- 1. system packages ---------------------------------------------------------------------------
install_system_packages() {
    local missing=() binary package
    for pair in prometheus:prometheus promtool:prometheus prometheus-pushgateway:prometheus-pushgateway \
        prometheus-node-exporter:prometheus-node-exporter carbon-cache:graphite-carbon; do
        binary=${pair%%:*}
        package=${pair#*:}
        if ! command -v "$binary" >/dev/null 2>&1 && [ ! -x "/usr/bin/$binary" ]; then
            missing+=("$package")
        fi
    done
    local want_pypy=0
    if [ "${SKIP_PYPY:-0}" != 1 ] && ! pypy_ready; then want_pypy=1; fi
    if [ ${#missing[@]} -eq 0 ] && [ $want_pypy -eq 0 ]; then
        echo "all servers installed"
        return 0
    fi
    if ! can_apt_install; then
        local wanted=("${missing[@]}")
        if [ $want_pypy -eq 1 ]; then wanted+=(pypy3 pypy3-venv); fi
        echo "note: cannot apt-get install ${wanted[*]} (not root or no apt); their tests will skip" \
            "(or fail when CI=true)"
        [ ${#missing[@]} -eq 0 ]
        return
    fi
    apt-get update -q || return 1
    if [ $want_pypy -eq 1 ]; then
        # No candidate is reported, not skipped: the PyPy step below then records a FAIL.
        for package in pypy3 pypy3-venv; do
            if [ -n "$(apt_candidate "$package")" ]; then
                missing+=("$package")
            else
                echo "error: apt has no candidate for $package (SKIP_PYPY=1 to test without PyPy)"
            fi
        done
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        # Sorting makes the list unique (prometheus appears twice when both of its binaries are missing).
        mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
        apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
    fi
}
if [ "${SKIP_APT:-0}" != 1 ]; then
    step "apt: install servers" install_system_packages
fi

# ---- 2. interpreters and venvs --------------------------------------------------------------------

# Other interpreters only need what tests/unit imports; the package itself comes from the repo (cwd).
UNIT_DEPS=(pytest hypothesis twisted asgiref aiohttp django protobuf)
declare -A VENV
for version in $PYTHON_VERSIONS; do
    python=$(find_python "$version")
    if [ -z "$python" ]; then
        banner "python $version"
        echo "note: no CPython $version found under $PYENV_ROOT_DIR/versions or on PATH"
        record "python $version: not found" FAIL 0
        continue
    fi
    if [ "$version" = "$FULL_PYTHON" ]; then
        step "venv .venv/py$version (-e .[test])" make_venv ".venv/py$version" "$python" -e ".[test]"
    else
        step "venv .venv/py$version" make_venv ".venv/py$version" "$python" "${UNIT_DEPS[@]}"
    fi
    if [ -x ".venv/py$version/bin/python" ]; then VENV[$version]="$ROOT/.venv/py$version/bin/python"; fi
done

PYPY=""
if [ "${SKIP_PYPY:-0}" = 1 ]; then
    record "pypy3: skipped (SKIP_PYPY=1)" skip 0
elif pypy_ready; then
    # Debian's pypy3 (3.9) with pypy3-venv: the venv takes ~30-60 s the first time.
    step "venv .venv/pypy3" make_venv ".venv/pypy3" "$(command -v pypy3)" "${UNIT_DEPS[@]}"
    if [ -x .venv/pypy3/bin/python ]; then PYPY="$ROOT/.venv/pypy3/bin/python"; fi
elif can_apt_install || [ "${CI:-}" = true ]; then
    # apt was ours to use (or this is CI): a PyPy that is still missing is a failure, never a silent skip.
    banner "pypy3"
    echo "error: pypy3 (with pypy3-venv) is not installed and could not be; SKIP_PYPY=1 to test without it"
    record "pypy3: not installed" FAIL 0
else
    banner "pypy3"
    echo "note: pypy3 (with pypy3-venv) is not installed and this run may not apt-get it" \
        "(not root, no apt or SKIP_APT=1); SKIP_PYPY=1 says you mean it"
    record "pypy3: not installed (no apt), skipped" skip 0
fi

# ---- 3. tests ---------------------------------------------------------------------------------------
# The official client 0.26.0, for the differential suite (tests/compat) and the name checks of
# tests/unit/test_compatibility.py (both fail under CI=true when it is missing).
OFFICIAL_BASE=$(find_python "$FULL_PYTHON")
if [ -n "$OFFICIAL_BASE" ]; then
    step "venv .venv/official (prometheus-client==0.26.0)" make_venv .venv/official "$OFFICIAL_BASE" \
        prometheus-client==0.26.0
else
    record "venv .venv/official: no python $FULL_PYTHON" FAIL 0
fi
if [ -x .venv/official/bin/python ]; then export PROM_OFFICIAL_PYTHON="$ROOT/.venv/official/bin/python"; fi
for version in $PYTHON_VERSIONS; do
    if [ "$version" = "$FULL_PYTHON" ] || [ -z "${VENV[$version]:-}" ]; then continue; fi
    run_pytest "unit tests, python $version" "${VENV[$version]}" tests/unit -q
done
if [ -n "$PYPY" ]; then
    run_pytest "unit tests, pypy3" "$PYPY" tests/unit -q
fi
FULL="${VENV[$FULL_PYTHON]:-}"
if [ -n "$FULL" ]; then
    run_pytest "full suite + coverage, python $FULL_PYTHON" "$FULL" tests -q \
        --cov=prometheus_client --cov-report=term-missing:skip-covered --cov-fail-under=90

    # ---- 4. lint, types, docs ------------------------------------------------------------------------
    BIN=$(dirname "$FULL")
    step "ruff check" "$BIN/ruff" check prometheus_client tests bench scripts
    step "mypy prometheus_client" "$BIN/mypy" prometheus_client
    step "mkdocs build --strict" "$BIN/mkdocs" build --strict --quiet --site-dir "$LOG_DIR/site"
else
    record "full suite: no python $FULL_PYTHON venv" FAIL 0
fi

# ---- summary ----------------------------------------------------------------------------------------
banner "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "total time: ${SECONDS}s"
if [ $FAILED -ne 0 ]; then echo "RESULT: FAILED"; else echo "RESULT: OK"; fi
# Last line, in the plain 'N passed, N failed' form CI reads.
echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
exit $FAILED
