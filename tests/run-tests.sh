#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run-tests.sh UNIT_PROGRAM... -- SCRIPT...
#
# Runs every unit test program and test script, each of which prints one
# line per check: "PASS: name", "FAIL: name: detail" or "SKIP: name: reason".
# A program that exits non-zero without printing a FAIL line counts as one
# failure under its own name.  Ends with "N passed, N failed[, N skipped]".
# Environment: top_builddir, top_srcdir (absolute).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_builddir top_srcdir
log=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-tests.XXXXXX") || exit 1
trap 'rm -rf "$log"' EXIT INT TERM
pass=0 fail=0 skip=0 mode=unit
for t in "$@"; do
	if [ "$t" = "--" ]; then mode=script; continue; fi
	name=$(basename "$t")
	start=$(date +%s)
	if [ $mode = unit ]; then
		prog="$top_builddir/$t"
		(cd "$log" && "$prog") >"$log/out" 2>"$log/err"; rc=$?
	else
		(cd "$log" && sh "$top_srcdir/$t") >"$log/out" 2>"$log/err"; rc=$?
	fi
	p=$(grep -c '^PASS: ' "$log/out"); f=$(grep -c '^FAIL: ' "$log/out")
	s=$(grep -c '^SKIP: ' "$log/out")
	grep '^FAIL: ' "$log/out"
	grep '^SKIP: ' "$log/out"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: exited with status $rc"
		tail -n 20 "$log/err" | sed 's/^/    /'
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped ($(( $(date +%s) - start ))s)"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
