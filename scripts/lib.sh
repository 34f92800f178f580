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
