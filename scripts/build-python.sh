#!/bin/sh
# Build CPython as distributions build it (profile-guided and link-time optimised, no
# shared libpython), for a machine whose only Python >= 3.12 is a default build (pyenv's,
# for one): the same Parvis needs about a fifth less CPU on it (docs/deployment.md, ADR 0032).
#
#   sh scripts/build-python.sh [PREFIX]      # default /opt/parvis-python; ~30 min on 2 cores
#   make install PYTHON=PREFIX/bin/python3.13
#
# The source is CPython's release tarball, checked against the checksum below, taken from
# python.org or, where only package registries are reachable, from Debian's archive (its
# "orig" tarball of the python3.13 package is the same file). Build dependencies on
# Debian/Ubuntu: build-essential libssl-dev libffi-dev zlib1g-dev libbz2-dev
# libsqlite3-dev liblzma-dev libreadline-dev uuid-dev libgdbm-dev libncurses-dev.
set -eu

version=3.13.5
sha256=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
prefix=${1:-/opt/parvis-python}
work=${TMPDIR:-/tmp}/parvis-python-build
tarball=$work/Python-$version.tar.xz

if [ -x "$prefix/bin/python3.13" ] && "$prefix/bin/python3.13" -c \
    "import sys, sysconfig; assert sys.version.split()[0] == '$version'; \
assert '--enable-optimizations' in sysconfig.get_config_var('CONFIG_ARGS')" 2>/dev/null; then
    echo "$prefix/bin/python3.13 is already an optimised $version build"
    exit 0
fi

mkdir -p "$work"
if ! echo "$sha256  $tarball" | sha256sum -c --status 2>/dev/null; then
    for url in \
        "https://www.python.org/ftp/python/$version/Python-$version.tar.xz" \
        "http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_$version.orig.tar.xz"; do
        echo "==> $url"
        curl -fsS --connect-timeout 10 -o "$tarball" "$url" && break || rm -f "$tarball"
    done
    [ -f "$tarball" ] || { echo "CPython $version's source could not be downloaded" >&2; exit 1; }
    echo "$sha256  $tarball" | sha256sum -c --status || {
        echo "Python-$version.tar.xz: wrong checksum, not built" >&2; rm -f "$tarball"; exit 1; }
fi

rm -rf "$work/Python-$version"
tar -C "$work" -xf "$tarball"
cd "$work/Python-$version"
echo "==> configure --enable-optimizations --with-lto --prefix=$prefix"
./configure --prefix="$prefix" --enable-optimizations --with-lto >"$work/configure.log" 2>&1 || {
    tail -20 "$work/configure.log" >&2; exit 1; }
echo "==> make: a profiled build, its profile run, then the optimised build linked whole (~30 min on two cores; log: $work/make.log)"
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
make altinstall >"$work/install.log" 2>&1 || { tail -30 "$work/install.log" >&2; exit 1; }
for module in ssl sqlite3 lzma bz2 zlib ctypes uuid readline; do
    "$prefix/bin/python3.13" -c "import $module" || {
        echo "the build lacks the $module module: install its -dev package and rebuild" >&2; exit 1; }
done
echo "$prefix/bin/python3.13"
