#!/bin/sh
# setup.sh: first command of the Quick start (README.md).  On a fresh
# Debian 12 machine, as root: installs the build and test dependencies,
# builds dkimsa out of tree in _build/ and installs it (prefix /usr/local
# unless PREFIX is set).  Each step is one function; main() runs them in
# order, so further steps (e.g. starting the milter) are appended there.
set -e

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build"
prefix="${PREFIX:-/usr/local}"
. "$top/scripts/common.sh"

install_deps()
{
	echo "==> installing Debian packages (scripts/install-deps.sh)"
	"$top/scripts/install-deps.sh"
}

build()
{
	mkdir -p "$build"
	ensure_configure
	if [ ! -f "$build/Makefile" ]; then
		echo "==> configure --prefix=$prefix (in $build)"
		(cd "$build" &&
			quiet config.out "$top/configure" --prefix="$prefix")
	fi
	echo "==> make (in $build)"
	quiet "$build/make.out" make -C "$build" -j2
}

install_build()
{
	echo "==> make install"
	quiet "$build/install.out" make -C "$build" install
	ldconfig 2>/dev/null || true
}

report()
{
	echo "==> installed under $prefix:"
	for f in "$prefix"/lib/libdkimsa.so "$prefix"/lib/pkgconfig/libdkimsa.pc \
		"$prefix"/include/dkimsa/dkimsa.h "$prefix"/bin/dkimsa-* \
		"$prefix"/sbin/dkimsa* "$prefix"/share/man/man*/dkimsa*; do
		if [ -e "$f" ]; then
			echo "    $f"
		fi
	done
	echo "The milter is not written yet: nothing was started."
}

main()
{
	install_deps
	build
	install_build
	report
}

main "$@"
