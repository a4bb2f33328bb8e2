#!/bin/sh
# Print the path of a Python >= 3.12 interpreter, or explain how to get one.
#
# Tried in order: what scripts/build-python.sh built (/opt/parvis-python), python3.13,
# python3.12, python3 (every copy on PATH, since a pyenv shim may be listed first and
# fail when that version is not selected), then pyenv's own installs ($(pyenv root)/versions
# or ~/.pyenv/versions): a distribution's Python or that optimised build before pyenv's
# default builds, on which Parvis needs about a quarter more CPU (docs/deployment.md).
# Each candidate is actually run; what is printed is its sys.executable, so a
# pyenv shim resolves to the real interpreter.
set -u

check='import sys; assert sys.version_info >= (3, 12); print(sys.executable)'

try() {
    out=$("$1" -c "$check" 2>/dev/null) && [ -n "$out" ] && { printf '%s\n' "$out"; exit 0; }
    return 0
}

try /opt/parvis-python/bin/python3.13

for name in python3.13 python3.12 python3; do
    old_ifs=$IFS; IFS=:
    for dir in $PATH; do
        IFS=$old_ifs
        [ -n "$dir" ] || dir=.
        [ -x "$dir/$name" ] && try "$dir/$name"
    done
    IFS=$old_ifs
done

roots=""
if command -v pyenv >/dev/null 2>&1; then
    roots=$(pyenv root 2>/dev/null)
fi
roots="$roots ${PYENV_ROOT:-} ${HOME:+$HOME/.pyenv}"
for root in $roots; do
    # Newest first (version sort, reversed).
    for py in $(ls -drv "$root"/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null); do
        try "$py"
    done
done

cat >&2 <<'MSG'
Parvis needs Python >= 3.12 and none was found.
  sudo apt install python3      (Debian 13 / Ubuntu 24.04 ship 3.12 or newer)
  or: pyenv install 3.12        (then re-run make)
  or: make PYTHON=/path/to/python3.12 ...
MSG
exit 1
