#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# adsp.sh - RFC 5617 ADSP results from zone fixtures through the harness
# and the real libunbound (tests/unit/adsp_test --live).
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dns-adsp.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
if ! dnsh_start "$dir"; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
"$top_builddir/tests/unit/adsp_test" --live "$DNSH_DIR"
