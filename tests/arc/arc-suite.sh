#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# arc-suite.sh - the ARC conformance suite (shared/testsuites/arc: 171
# validation cases, 17 signing cases) through dkimsa-verify --arc and
# dkimsa-sign --arc, every case's key records served by the real
# libunbound from auth-zones built from the suite's txt-records
# (tests/dns/harness.sh).  One PASS:/FAIL: line per case, by case name;
# tests/arc/arcsuite.py lists the cases whose expectation is not an RFC
# 8617 result and the RFC text followed instead.
. "$top_srcdir/tests/dns/harness.sh"
suite=${ARC_SUITE_DIR:-$top_srcdir/tests/arc/suite}
py=/usr/bin/python3
dir=$(mktemp -d "${TMPDIR:-/tmp}/arc-suite.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
verify="$top_builddir/tools/verify/dkimsa-verify"
sign="$top_builddir/tools/sign/dkimsa-sign"
drv="$top_srcdir/tests/arc/arcsuite.py"
val="$suite/arc-draft-validation-tests.yml"
sgn="$suite/arc-draft-sign-tests.yml"

if ! dnsh_init "$dir"; then
	echo "FAIL: arc-suite-harness-starts: see the messages above"
	exit 1
fi
mkdir -p "$dir/arczones"
if ! domains=$("$py" "$drv" zones "$val" "$sgn" "$dir/arczones"); then
	echo "FAIL: arc-suite-zones: the YAML could not be read"
	exit 1
fi
for d in $domains; do
	dnsh_add_zone "$d" "$dir/arczones/$d.zone" || exit 1
done
if ! { dnsh_build && dnsh_conf_auth; }; then
	echo "FAIL: arc-suite-harness-starts: see the messages above"
	exit 1
fi
"$py" "$drv" validate "$val" "$verify" "$DNSH_DIR/unbound.conf"
"$py" "$drv" sign "$sgn" "$sign" "$verify" "$DNSH_DIR/unbound.conf" "$dir"
