#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh - warm-cache DKIM key lookups through the DNS layer
# (tools/dnsbench): prints lookups/s (a benchmark run by "make bench",
# not a test).  Served by nsd over loopback, so the figure is the
# cache's, not the auth-zone's.
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dns-bench.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
if ! { dnsh_start "$dir" && dnsh_nsd_start && dnsh_conf_nsd; }; then
	echo "bench.sh: the DNS harness did not start" >&2
	exit 1
fi
echo "DNS layer, warm cache, DKIM key TXT via nsd on loopback"
for threads in 1 4; do
	out=$("$top_builddir/tools/dnsbench/dnsbench" \
		"$DNSH_DIR/unbound-nsd.conf" sel2048._domainkey.secure.test \
		20000 $threads 2>&1)
	echo "  $threads thread(s): $out"
done
