#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# suite.sh - the official SPF test suites (python3-spf's rfc7208-tests.yml.gz,
# 203 cases, and rfc4408-tests.yml.gz, 191 cases) run offline against
# libdkimsa: suite2zone.py turns each scenario's zonedata into a root zone
# served by libunbound as an auth-zone, suite_driver runs check_host().
# Environment: top_builddir, top_srcdir (absolute); cwd is a scratch dir.
: "${top_builddir:?}" "${top_srcdir:?}"
docs=/usr/share/doc/python3-spf
d=$(mktemp -d "${TMPDIR:-/tmp}/spf-suite.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT INT TERM
for s in rfc7208 rfc4408; do
	if [ ! -r "$docs/$s-tests.yml.gz" ]; then
		echo "FAIL: suite-$s-present: $docs/$s-tests.yml.gz missing (apt-get install python3-spf)"
		exit 1
	fi
done
if ! /usr/bin/python3 "$top_srcdir/tests/spf/suite2zone.py" "$d" \
	rfc7208 "$docs/rfc7208-tests.yml.gz" \
	rfc4408 "$docs/rfc4408-tests.yml.gz" 2>"$d/conv.err"; then
	echo "FAIL: suite-conversion: $(tail -n 1 "$d/conv.err")"
	exit 1
fi
n7208=$(grep -c '^rfc7208	' "$d/cases.tsv")
n4408=$(grep -c '^rfc4408	' "$d/cases.tsv")
[ "$n7208" -eq 203 ] && echo "PASS: suite-rfc7208-has-203-cases" ||
	echo "FAIL: suite-rfc7208-has-203-cases: $n7208"
[ "$n4408" -eq 191 ] && echo "PASS: suite-rfc4408-has-191-cases" ||
	echo "FAIL: suite-rfc4408-has-191-cases: $n4408"
"$top_builddir/tests/spf/suite_driver" "$d/cases.tsv"
