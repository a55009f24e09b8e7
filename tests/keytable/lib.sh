# SPDX-License-Identifier: BSD-2-Clause
# tests/keytable/lib.sh - helpers sourced by the keytable test scripts.
# check NAME COND-COMMAND...: runs the command, prints PASS/FAIL.
# expect_rc NAME WANT COMMAND...: runs COMMAND, compares its exit status.
TABLE="$top_builddir/tools/table/dkimsa-table"
GENKEY="$top_builddir/tools/genkey/dkimsa-genkey"
TESTKEY="$top_builddir/tools/testkey/dkimsa-testkey"

check() {
	kt_name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "PASS: $kt_name"
	else
		echo "FAIL: $kt_name: $*"
	fi
}

expect_rc() {
	kt_name=$1 kt_want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	kt_rc=$?
	if [ "$kt_rc" -eq "$kt_want" ]; then
		echo "PASS: $kt_name"
	else
		echo "FAIL: $kt_name: exit $kt_rc, want $kt_want: $(head -c 300 "$T/out" "$T/err" | tr '\n' ' ')"
	fi
}

# grep_out NAME PATTERN: the last expect_rc output (stdout+stderr) has it.
grep_out() {
	if cat "$T/out" "$T/err" | grep -q -- "$2"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: no \"$2\" in: $(cat "$T/out" "$T/err" | head -c 300 | tr '\n' ' ')"
	fi
}
