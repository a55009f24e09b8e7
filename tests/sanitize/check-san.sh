#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# check-san.sh asan|tsan - "make check-asan" and "make check-tsan".
#
# Builds dkimsa with clang in a build directory of its own,
# $top_builddir/_asan or _tsan (configure --enable-sanitizer=address or
# thread --enable-werror CC=clang), then:
#   asan: runs the whole suite there (make check: unit tests, scripts,
#         the Postfix end-to-end test) with AddressSanitizer, LeakSanitizer
#         and UndefinedBehaviorSanitizer (UB is fatal);
#   tsan: runs tests/sanitize/tsan-load.sh, the milter under
#         dkimsa-miltload load with reloads, built with ThreadSanitizer.
# Every sanitizer report is written to a file of its own (log_path) in
# $dir/san-logs, so a report from a program whose exit status a test does
# not look at (the milter in the background, a tool in a pipe) still
# counts: each report file is one "FAIL: sanitizer report ..." line.
# The last line is "N passed, N failed"; the exit status is 1 when
# anything failed.  Environment: top_builddir, top_srcdir (absolute),
# SAN_CC (default clang), SAN_JOBS (default 2).
mode=$1
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SAN_CC:=clang}"
: "${SAN_JOBS:=2}"
supp="$top_srcdir/tests/sanitize"
case $mode in
asan) sanitizer=address ;;
tsan) sanitizer=thread ;;
*)
	echo "usage: check-san.sh asan|tsan" >&2
	exit 2
	;;
esac
dir="$top_builddir/_$mode"
logs="$dir/san-logs"

# fail_build STEP LOG: a build that did not get as far as the tests.
fail_build()
{
	tail -n 40 "$2"
	echo "FAIL: $mode build: $1 failed (log in $2)"
	echo "0 passed, 1 failed"
	exit 1
}

mkdir -p "$dir" || fail_build "mkdir $dir" /dev/null
if [ ! -f "$dir/Makefile" ] ||
	! grep -q -- "--enable-sanitizer=$sanitizer" "$dir/config.status"; then
	echo "==> configure --enable-sanitizer=$sanitizer CC=$SAN_CC (in $dir)"
	(cd "$dir" && "$top_srcdir/configure" --enable-werror \
		"--enable-sanitizer=$sanitizer" CC="$SAN_CC" \
		CFLAGS="-g -O1") >"$dir/config.out" 2>&1 ||
		fail_build configure "$dir/config.out"
fi
echo "==> make (in $dir)"
if [ $mode = asan ]; then
	targets="all"
else
	# What the load test runs: the milter, the load client, the signer.
	targets="milter/dkimsa tools/miltload/dkimsa-miltload
		tools/sign/dkimsa-sign"
fi
# shellcheck disable=SC2086
make -C "$dir" -j"$SAN_JOBS" $targets >"$dir/make.out" 2>&1 ||
	fail_build make "$dir/make.out"

# Reports go to $logs/NAME.PID; the directory is world-writable because
# the milter may drop privileges (UserID) before it reports.
rm -rf "$logs" && mkdir -p "$logs" && chmod 1777 "$logs" ||
	fail_build "mkdir $logs" /dev/null
common="log_path=$logs/$mode:log_exe_name=1:print_summary=1"
if [ $mode = asan ]; then
	ASAN_OPTIONS="$common:abort_on_error=0:halt_on_error=1:detect_leaks=1"
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_stack_use_after_return=1"
	ASAN_OPTIONS="$ASAN_OPTIONS:check_initialization_order=1"
	LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
	UBSAN_OPTIONS="log_path=$logs/$mode:log_exe_name=1:print_stacktrace=1:halt_on_error=1"
	UBSAN_OPTIONS="$UBSAN_OPTIONS:suppressions=$supp/ubsan.supp"
	export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
	out="$dir/check.out"
	echo "==> make check (in $dir, ASan + UBSan + LSan)"
	make -C "$dir" -j"$SAN_JOBS" check >"$out" 2>&1
else
	TSAN_OPTIONS="$common:halt_on_error=0:second_deadlock_stack=1"
	TSAN_OPTIONS="$TSAN_OPTIONS:suppressions=$supp/tsan.supp"
	export TSAN_OPTIONS
	out="$dir/check.out"
	echo "==> tests/sanitize/tsan-load.sh (in $dir, TSan)"
	top_builddir="$dir" top_srcdir="$top_srcdir" \
		sh "$top_srcdir/tests/run-tests.sh" -- \
		tests/sanitize/tsan-load.sh >"$out" 2>&1
fi
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$out" |
	grep -E '^(FAIL:|SKIP:|# )|^    |\*\*\*'
if [ -z "$summary" ]; then
	tail -n 40 "$out"
	echo "FAIL: $mode: the suite stopped before its summary (log in $out)"
	summary="0 passed, 1 failed"
fi
pass=$(echo "$summary" | sed 's/ passed.*//')
fail=$(echo "$summary" | sed 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/')
skipped=$(echo "$summary" | sed -n 's/.*failed\(, [0-9]* skipped\)$/\1/p')

# One failure per report file (a report the test itself already counted
# as a failure is counted again here: it is then named twice).
for f in "$logs"/*; do
	[ -f "$f" ] || continue
	first=$(grep -m 1 -E 'ERROR|WARNING|runtime error|SUMMARY' "$f")
	echo "FAIL: $mode report $(basename "$f"): ${first:-$(head -n 1 "$f")}"
	sed -n '1,40p' "$f" | sed 's/^/    /'
	fail=$((fail + 1))
done
echo "# $mode: reports kept in $logs, whole output in $out"
echo "$pass passed, $fail failed$skipped"
[ "$fail" -eq 0 ]
