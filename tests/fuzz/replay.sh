#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# replay.sh - every seed (tests/fuzz/corpus/NAME) and every past crash
# input (tests/fuzz/crashes/NAME) through its harness, built with the
# normal compiler as tests/fuzz/replay_NAME (a plain main(), no fuzzing),
# so a reintroduced crash fails "make check" (and check-asan shows it
# with a sanitizer report).  One line per harness:
#   PASS: fuzz replay NAME (N inputs)
#   FAIL: fuzz replay NAME: why, last input
# Every tests/fuzz/fuzz_NAME.c must have its replay program and seeds.
# Environment: top_builddir, top_srcdir (absolute), as run-tests.sh sets.
src="$top_srcdir/tests/fuzz"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-fuzz-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

names=$(cd "$src" && ls fuzz_*.c | sed -e 's/^fuzz_//' -e 's/\.c$//' |
	grep -v '^util$')
for n in $names; do
	prog="$top_builddir/tests/fuzz/replay_$n"
	dirs=
	count=0
	for d in "$src/corpus/$n" "$src/crashes/$n"; do
		if [ -d "$d" ]; then
			dirs="$dirs $d"
			count=$((count + $(find "$d" -type f ! -name '.*' |
				wc -l)))
		fi
	done
	if [ ! -x "$prog" ]; then
		echo "FAIL: fuzz replay $n: $prog not built"
		continue
	fi
	if [ "$count" -eq 0 ]; then
		echo "FAIL: fuzz replay $n: no seeds in tests/fuzz/corpus/$n"
		continue
	fi
	# shellcheck disable=SC2086
	(cd "$tmp" && "$prog" $dirs) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$tmp/out")
	if [ "$rc" -eq 0 ] && [ "$got" = "$count" ]; then
		echo "PASS: fuzz replay $n ($count inputs)"
	else
		last=$(sed -n 's/^replay: //p' "$tmp/err" | tail -n 1)
		why=$(grep -m 1 -E 'ERROR|runtime error|check failed' \
			"$tmp/err")
		echo "FAIL: fuzz replay $n: exit status $rc, ${got:-0} of" \
			"$count inputs, last ${last:-none}${why:+: $why}"
	fi
done
exit 0
