#!/usr/bin/env sh
# Prepares the environment: finds a Python >= 3.12, makes sure uv is there, syncs .venv.
# Sourced by the Makefile targets; afterwards "$UV" is the uv to run things with.
set -eu

python_is_recent() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
    for candidate in ${SECONDROUND_PYTHON:-} python3.13 python3.12 python3.14 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 && python_is_recent "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    # pyenv keeps interpreters that are not on PATH unless selected; look there too.
    pyenv_root=$( (command -v pyenv >/dev/null 2>&1 && pyenv root) || echo "$HOME/.pyenv")
    for candidate in "$pyenv_root"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [ -x "$candidate" ] && python_is_recent "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! PYTHON=$(find_python); then
    echo "secondround needs Python 3.12 or newer, and none was found." >&2
    echo "Install one (e.g. 'apt-get install python3.12 python3.12-venv', 'brew install python@3.12'," >&2
    echo "or 'pyenv install 3.12'), or point SECONDROUND_PYTHON at it, then run this again." >&2
    exit 1
fi

if command -v uv >/dev/null 2>&1; then
    UV=$(command -v uv)
else
    # No uv on this machine: keep a private copy in .tools, installed from PyPI with pip.
    if [ ! -x .tools/bin/uv ]; then
        echo "Installing uv into .tools/ …"
        "$PYTHON" -m venv .tools
        .tools/bin/python -m pip install --quiet --disable-pip-version-check uv
    fi
    UV=$(pwd)/.tools/bin/uv
fi
export UV PYTHON
export UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never
"$UV" sync --frozen --quiet
