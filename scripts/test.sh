#!/bin/sh
# test.sh: second command of the Quick start (README.md), and what .ci/run
# runs.  Builds dkimsa in _build/ when needed (autogen.sh, configure
# --enable-werror, make -j2), then runs the whole suite with
# `make -C _build check`.  The last line printed is always the
# "N passed, N failed" summary (a broken build counts as one failure), and
# the exit status is non-zero when anything failed.  Needs the packages
# from scripts/install-deps.sh.
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build"
. "$top/scripts/common.sh"

# build_failed STEP: report a build that did not get as far as the tests.
build_failed()
{
	echo "FAIL: build: $1 failed (output above; logs in $build)"
	echo "0 passed, 1 failed"
	exit 1
}

mkdir -p "$build" || build_failed "mkdir $build"
ensure_configure || build_failed "./autogen.sh"
# Tests always build with -Werror: (re)configure unless this build
# directory was already configured that way.
if [ ! -f "$build/Makefile" ] ||
	! grep -q -- '--enable-werror' "$build/config.status" 2>/dev/null; then
	echo "==> configure --enable-werror (in $build)"
	(cd "$build" && quiet config.out "$top/configure" --enable-werror) ||
		build_failed "configure --enable-werror"
fi
echo "==> make (in $build)"
quiet "$build/make.out" make -C "$build" -j2 || build_failed "make"

echo "==> make check"
out="$build/check.out"
make -C "$build" -j2 check >"$out" 2>&1
rc=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
# Failures, skips and per-test counts first, so the summary comes last.
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$out" |
	grep -E '^(FAIL:|SKIP:|# )|^    |\*\*\*'
if [ -z "$summary" ]; then
	# make check stopped before the runner printed its summary.
	tail -n 40 "$out"
	build_failed "make check (no summary line)"
fi
echo "$summary"
[ "$rc" -eq 0 ] || exit "$rc"
exit 0
