#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# test.sh: second command of the Quick start (README.md), and what .ci/run
# runs.  Builds dkimsa in _build/ when needed (autogen.sh, configure
# --enable-werror, make -j2), then runs, one after the other:
#   make check       the whole suite (gcc, -Werror)
#   make check-asan  the whole suite again, built with clang's
#                    AddressSanitizer + UndefinedBehaviorSanitizer +
#                    LeakSanitizer in _build/_asan
#   make check-tsan  the milter under load with ThreadSanitizer, built in
#                    _build/_tsan
# Each part prints its failures and per-test counts; the last line printed
# is always ONE "N passed, N failed" summary, the sum of the three (a
# broken build counts as one failure), and the exit status is non-zero
# when anything failed.  TEST_SANITIZERS=no runs make check only;
# TEST_BUILD_DIR (absolute) builds somewhere else than _build/.  Needs
# the packages from scripts/install-deps.sh; runs as root (the end-to-end
# tests start a Postfix).
top=$(cd "$(dirname "$0")/.." && pwd)
build="${TEST_BUILD_DIR:-$top/_build}"
. "$top/scripts/common.sh"

pass=0 fail=0 skip=0

# summary: the combined last line and the exit status.
summary()
{
	if [ "$skip" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ] || exit 1
	exit 0
}

# build_failed STEP: report a build that did not get as far as the tests.
build_failed()
{
	echo "FAIL: build: $1 failed (output above; logs in $build)"
	fail=$((fail + 1))
	summary
}

# run_part TARGET: make TARGET in the build directory; prints its
# failures, skips and per-test counts, and adds its summary line to the
# totals (no summary line: one failure).
run_part()
{
	_out="$build/$1.out"
	_start=$(date +%s)
	echo "==> make $1"
	make -C "$build" "$1" >"$_out" 2>&1
	_sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$_out" | tail -n 1)
	grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$_out" |
		grep -E '^(FAIL:|SKIP:|# )|^    |\*\*\*'
	if [ -z "$_sum" ]; then
		# make stopped before the runner printed its summary.
		tail -n 40 "$_out"
		echo "FAIL: make $1: no summary line (log in $_out)"
		fail=$((fail + 1))
		return
	fi
	echo "# make $1: $_sum ($(($(date +%s) - _start))s)"
	pass=$((pass + $(echo "$_sum" | sed 's/ passed.*//')))
	fail=$((fail + $(echo "$_sum" | sed 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/')))
	case $_sum in
	*skipped*) skip=$((skip + $(echo "$_sum" | sed 's/.* \([0-9]*\) skipped/\1/'))) ;;
	esac
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

run_part check
if [ "${TEST_SANITIZERS:-yes}" != no ]; then
	run_part check-asan
	run_part check-tsan
fi
summary
