#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keys.sh - DKIM verification with keys in the harness zones, through the
# real libunbound: secure, insecure, tampered, missing, timed-out and
# 4096-bit keys (tests/unit/lib_test --live).
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dns-keys.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
if ! dnsh_start "$dir"; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
"$top_builddir/tests/unit/lib_test" --live "$DNSH_DIR"
