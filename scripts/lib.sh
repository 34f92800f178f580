# Shared shell helpers for scripts/*.sh (sourced, not run).

PYENV_ROOT_DIR=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")

# find_python 3.X: the newest pyenv CPython 3.X.*, else python3.X on PATH; empty when none.
find_python() {
    local found
    found=$(ls -d "$PYENV_ROOT_DIR"/versions/"$1".[0-9]*/bin/python 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$found" ]; then found=$(command -v "python$1" 2>/dev/null || true); fi
    echo "$found"
}

# make_venv DIR PYTHON REQUIREMENT...: create a venv and pip install the requirements, or reuse DIR when
# it was made from the same interpreter, requirements and pyproject.toml (its .stamp says so).
make_venv() {
    local dir=$1 python=$2 stamp
    shift 2
    stamp=$(printf '%s\n' "$python" "$@" | cat - pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
        echo "reusing $dir"
        return 0
    fi
    rm -rf "$dir"
    "$python" -m venv "$dir" || return 1
    "$dir/bin/python" -m pip install -q --disable-pip-version-check "$@" || return 1
    echo "$stamp" >"$dir/.stamp"
}

# apt_candidate PACKAGE: the version apt would install, empty when it has none. The output is captured
# before it is searched: `apt-cache policy | grep -q` under pipefail fails whenever grep exits first and
# apt-cache dies of SIGPIPE, which made every fresh machine skip PyPy.
apt_candidate() {
    local policy
    policy=$(apt-cache policy "$1" 2>/dev/null) || policy=""
    policy=$(printf '%s\n' "$policy" | sed -n 's/^ *Candidate: *//p')
    case "$policy" in
    [0-9]*) echo "$policy" ;;
    *) echo "" ;;  # "(none)" or no such package
    esac
}

# deb_installed PACKAGE: true when dpkg has PACKAGE installed (false without dpkg).
deb_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [ "$status" = "install ok installed" ]
}

# can_apt_install: true when this script may install Debian packages (root, apt-get, SKIP_APT unset).
can_apt_install() {
    [ "${SKIP_APT:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
}

# pypy_ready: true when pypy3 can make a venv (Debian splits that into pypy3-venv).
pypy_ready() {
    command -v pypy3 >/dev/null 2>&1 || return 1
    if command -v dpkg-query >/dev/null 2>&1 && [ "$(command -v pypy3)" = /usr/bin/pypy3 ]; then
        deb_installed pypy3-venv
    fi
}
