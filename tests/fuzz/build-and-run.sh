#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# build-and-run.sh [NAME...] - "make fuzz": builds every libFuzzer harness
# (tests/fuzz/fuzz_NAME.c, or only the NAMEs given) with clang through
# Makefile.fuzz, then fuzzes each in turn, one process, for FUZZ_SECONDS
# seconds (default 60; 0 only builds), from its seeds (corpus/NAME).
# New inputs go to $FUZZ_OUT/corpus/NAME, crash inputs to
# $FUZZ_OUT/crashes/NAME, libFuzzer's output to $FUZZ_OUT/log/NAME.log.
# Prints one line per harness: "fuzz NAME: N execs, N exec/s, cov N,
# ft N, corpus N, N crashes"; exits 1 when any harness crashed.
#
# tests/fuzz/NAME.dict is passed as -dict=, tests/fuzz/NAME.options holds
# more libFuzzer options for that harness.
# Environment: top_srcdir, top_builddir (its config.h is used when it has
# one), FUZZ_OUT (default ./fuzz-out), FUZZ_SECONDS,
# FUZZ_CC (clang), FUZZ_LIBS (link flags), FUZZ_ARGS (more libFuzzer
# options), MAKE.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FUZZ_OUT:=$(pwd)/fuzz-out}"
: "${FUZZ_SECONDS:=60}"
: "${MAKE:=make}"
src="$top_srcdir/tests/fuzz"

if [ $# -gt 0 ]; then
	names=$*
else
	names=$(cd "$src" && ls fuzz_*.c | sed -e 's/^fuzz_//' -e 's/\.c$//' |
		grep -v '^util$')
fi
config_dir=
if [ -n "$top_builddir" ] && [ -f "$top_builddir/config.h" ]; then
	config_dir=$top_builddir
fi
targets=
for n in $names; do
	targets="$targets $FUZZ_OUT/fuzz_$n"
done
# shellcheck disable=SC2086
${MAKE} -f "$src/Makefile.fuzz" SRCDIR="$top_srcdir" OUT="$FUZZ_OUT" \
	${config_dir:+CONFIG_DIR="$config_dir"} ${FUZZ_CC:+FUZZ_CC="$FUZZ_CC"} ${FUZZ_LIBS:+FUZZ_LIBS="$FUZZ_LIBS"} \
	$targets || exit 1
[ "$FUZZ_SECONDS" -gt 0 ] || exit 0 # 0: build only

status=0
for n in $names; do
	mkdir -p "$FUZZ_OUT/corpus/$n" "$FUZZ_OUT/crashes/$n" "$FUZZ_OUT/log"
	dict= opts=
	[ -f "$src/$n.dict" ] && dict="-dict=$src/$n.dict"
	[ -f "$src/$n.options" ] && opts=$(cat "$src/$n.options")
	log="$FUZZ_OUT/log/$n.log"
	# shellcheck disable=SC2086
	(cd "$FUZZ_OUT" && "$FUZZ_OUT/fuzz_$n" -max_total_time="$FUZZ_SECONDS" \
		-rss_limit_mb=2048 -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$FUZZ_OUT/crashes/$n/" $dict $opts $FUZZ_ARGS \
		"$FUZZ_OUT/corpus/$n" "$src/corpus/$n") >"$log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	crashes=$(find "$FUZZ_OUT/crashes/$n" -type f | wc -l)
	echo "fuzz $n: ${execs:-?} execs, ${speed:-?} exec/s, cov ${cov:-?}," \
		"ft ${ft:-?}, corpus ${corp:-?}, $crashes crashes (exit $rc)"
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" |
			head -n 3 | sed 's/^/    /'
		status=1
	fi
done
exit $status
