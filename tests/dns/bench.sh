#!/bin/sh
# bench.sh - warm-cache DKIM key lookups through the DNS layer
# (tools/dnsbench): prints lookups/s; fails if a cached lookup costs a
# millisecond or more, or any lookup fails.  Served by nsd over loopback,
# so the figure is the cache's, not the auth-zone's.
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dns-bench.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
if ! { dnsh_start "$dir" && dnsh_nsd_start && dnsh_conf_nsd; }; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
for threads in 1 4; do
	out=$("$top_builddir/tools/dnsbench/dnsbench" \
		"$DNSH_DIR/unbound-nsd.conf" sel2048._domainkey.secure.test \
		20000 $threads 2>&1)
	rc=$?
	echo "# $out"
	rate=$(echo "$out" | sed -n 's/.*: \([0-9]*\) lookups\/s.*/\1/p')
	if [ $rc -eq 0 ] && [ "${rate:-0}" -ge 1000 ]; then
		echo "PASS: cached-key-lookup-under-a-millisecond-$threads-threads"
	else
		echo "FAIL: cached-key-lookup-under-a-millisecond-$threads-threads: $out"
	fi
done
