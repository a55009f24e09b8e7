#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# live.sh - the DNS layer against real libunbound through the harness:
# auth-zones inside libunbound, then nsd over loopback (EDNS/TCP for the
# 4096-bit key), then the cache proof (nsd stopped, answer still there).
# Zones added by the caller through dnsh_add_zone are checked too.
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dns-live.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
prog="$top_builddir/tests/unit/dns_test"
# a caller's own zones: one signed, one tampered after signing
printf '$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 127.0.0.1\n@ TXT "caller" " zone"\n' \
	> "$dir/caller.zone"
if ! { dnsh_init "$dir" &&
	dnsh_add_zone caller.test "$dir/caller.zone" signed &&
	dnsh_add_zone callerbad.test "$dir/caller.zone" \
		'tampered:s/"caller"/"forged"/' &&
	dnsh_build && dnsh_silent_start && dnsh_conf_auth; }; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
"$prog" --live "$DNSH_DIR" auth
if dnsh_nsd_start && dnsh_conf_nsd; then
	echo "PASS: harness-nsd-starts"
	"$prog" --live "$DNSH_DIR" nsd
	"$prog" --live "$DNSH_DIR" cache
else
	echo "FAIL: harness-nsd-starts: $(tail -n 3 "$DNSH_DIR/nsd.log" 2>/dev/null)"
fi
