#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# metrics-bench.sh - what MetricsSocket costs (issue 15): the milter's CPU
# time per message (dkimsa-miltload -p, /proc/PID/stat) for sign and
# verify, 1 KiB bodies, BENCH_CONNS connections, with MetricsSocket off
# and on, BENCH_ROUNDS rounds alternating off and on (so drift on a
# shared machine falls on both), BENCH_SECONDS per run.  Prints each run,
# then per mode the median of each side and the difference in percent
# (target: under 2 %).  With metrics on, /metrics is scraped every
# second during the runs (as Prometheus would, more often), and at the
# end the page must count every message the runs sent, so the "on" side
# really counted.  Last, the counting alone (tests/bench/metrics-cost,
# no milter, so no noise of the machine's other work): nanoseconds per
# verified message and that as a share of verify's median CPU time per
# message with metrics off.  Same keys, tables and DNS (tests/dns/harness.sh
# auth-zones) as milter-bench.sh.
# Environment: top_builddir, top_srcdir (absolute); BENCH_SECONDS
# (default 4); BENCH_ROUNDS (default 3); BENCH_CONNS (default 4).
# Exit status 1 when a run had errors or the counts do not match.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BENCH_SECONDS:=4}"
: "${BENCH_ROUNDS:=3}"
: "${BENCH_CONNS:=4}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
sign="$top_builddir/tools/sign/dkimsa-sign"
for p in "$load" "$milter" "$sign" "$top_builddir/tests/bench/metrics-cost"; do
	[ -x "$p" ] || { echo "metrics-bench.sh: $p not built" >&2; exit 1; }
done
. "$top_srcdir/tests/dns/harness.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/metrics-bench.XXXXXX") || exit 1
mpid='' spid=''
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	dnsh_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$tmp/sel.private" &&
	chmod 600 "$tmp/sel.private" || exit 1
echo "sel._domainkey.example.test example.test:sel:$tmp/sel.private" \
	> "$tmp/KeyTable"
echo "*@example.test sel._domainkey.example.test" > "$tmp/SigningTable"
mkdir "$tmp/dns" || exit 1
cat > "$tmp/example.zone" <<EOF
\$TTL 3600
@        SOA  ns1 hostmaster 1 3600 600 86400 3600
@        NS   ns1
ns1      A    127.0.0.1
@        A    192.0.2.1
@        TXT  "v=spf1 ip4:192.0.2.0/24 -all"
client   A    192.0.2.10
client   TXT  "v=spf1 ip4:192.0.2.0/24 -all"
sel._domainkey TXT ( $(dnsh_dkim_txt "$tmp/sel.private") )
_adsp._domainkey TXT "dkim=all"
EOF
if ! { dnsh_init "$tmp/dns" &&
	dnsh_add_zone example.test "$tmp/example.zone" && dnsh_build &&
	dnsh_conf_auth; }; then
	echo "metrics-bench.sh: DNS harness failed" >&2
	exit 1
fi
"$load" -w "$tmp/plain" -b 1k &&
	"$sign" -d example.test -s sel -k "$tmp/sel.private" \
		< "$tmp/plain" > "$tmp/signed" || exit 1
port=$(dnsh_free_port)
url="http://127.0.0.1:$port/metrics"

start_milter() { # off|on
	rm -f "$tmp/milter.sock"
	cat > "$tmp/dkimsa.conf" <<EOF
Mode sv
Socket unix:$tmp/milter.sock
AllowRoot yes
Syslog no
SyslogSuccess no
KeyTable refile:$tmp/KeyTable
SigningTable refile:$tmp/SigningTable
AuthservID mx.example.test
TrustAnchorFile none
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 2
EOF
	[ "$1" = on ] && echo "MetricsSocket inet:$port@127.0.0.1" >> "$tmp/dkimsa.conf"
	"$milter" -f -x "$tmp/dkimsa.conf" 2>> "$tmp/milter.log" &
	mpid=$!
	i=0
	while [ $i -lt 100 ]; do
		"$load" -s "unix:$tmp/milter.sock" -n 1 -t 5 -a 127.0.0.1 \
			> /dev/null 2>&1 && break
		sleep 0.05
		i=$((i + 1))
	done
	# one verify first: the DNS answers are cached for both sides alike
	"$load" -s "unix:$tmp/milter.sock" -n 1 -t 5 $(mode_args verify) \
		> /dev/null 2>&1
	if [ "$1" = on ]; then
		( while :; do curl -s -o /dev/null -m 5 "$url"; sleep 1; done ) &
		spid=$!
	fi
}

stop_milter() { # off|on: when on, the final page into $tmp/page
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		spid=''
		curl -s -m 5 "$url" > "$tmp/page"
	fi
	kill -TERM "$mpid"
	wait "$mpid"
	mpid=''
}

mode_args() {
	if [ "$1" = sign ]; then
		echo "-a 127.0.0.1 -b 1k"
	else
		echo "-a 192.0.2.10 -N client.example.test -H client.example.test -m $tmp/signed"
	fi
}

# val SAMPLE: its value on the last page
val() { awk -v s="$1" '$1 == s { print $2 }' "$tmp/page"; }

printf '%-5s %-6s %-3s %9s %10s %7s\n' round mode mx msgs/s cpu_us/msg errors
status=0
: > "$tmp/cpu"
r=1
while [ $r -le "$BENCH_ROUNDS" ]; do
	for side in off on; do
		start_milter $side
		sent_sign=0 sent_verify=0
		for mode in sign verify; do
			# shellcheck disable=SC2046
			"$load" -s "unix:$tmp/milter.sock" -c "$BENCH_CONNS" \
				-d "$BENCH_SECONDS" -p "$mpid" $(mode_args $mode) \
				> "$tmp/run" 2> "$tmp/run.err"
			res=$(grep '^RESULT' "$tmp/run")
			v() { echo "$res" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
			printf '%-5s %-6s %-3s %9s %10s %7s\n' $r $mode $side \
				"$(v rate)" "$(v cpu_us)" "$(v errors)"
			[ "$(v errors)" = 0 ] || status=1
			echo "$mode $side $(v cpu_us)" >> "$tmp/cpu"
			eval "sent_$mode=\$(v msgs)"
		done
		stop_milter $side
		if [ $side = on ]; then
			# the warm-up: 1 sign, 1 verify, besides the runs
			s=$(val 'dkimsa_messages_total{mode="sign",action="accept"}')
			vv=$(val 'dkimsa_messages_total{mode="verify",action="accept"}')
			if [ "$s" != $((sent_sign + 1)) ] ||
				[ "$vv" != $((sent_verify + 1)) ]; then
				echo "metrics-bench.sh: /metrics counted sign $s verify $vv, sent $((sent_sign + 1)) and $((sent_verify + 1))" >&2
				status=1
			fi
		fi
	done
	r=$((r + 1))
done
# The counting alone, per verified message (tests/bench/metrics-cost.c).
cost=$("$top_builddir/tests/bench/metrics-cost")
echo "$cost" > "$tmp/cost"
awk '
function median(a, n,    i, j, t) {
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 == "COST" {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); cost[kv[1]] = kv[2] }
	next
}
{ k = $1 " " $2; n[k]++; v[k, n[k]] = $3 }
END {
	for (m = 1; m <= 2; m++) {
		mode = m == 1 ? "sign" : "verify"
		for (s = 1; s <= 2; s++) {
			side = s == 1 ? "off" : "on"; k = mode " " side
			for (i = 1; i <= n[k]; i++) tmp[i] = v[k, i]
			med[side] = median(tmp, n[k])
		}
		printf "%-6s median cpu_us/msg: metrics off %.1f, on %.1f: %+.1f%%\n",
			mode, med["off"], med["on"],
			100 * (med["on"] - med["off"]) / med["off"]
		if (mode == "verify") vmed = med["off"]
	}
	printf "counting alone (metrics-cost): %.0f ns per verified message, " \
		"%.0f ns with 2 threads counting at once (%.2f%% and %.2f%% " \
		"of verify'"'"'s %.1f us)\n", cost["on_ns"] - cost["off_ns"],
		cost["on2_ns"] - cost["off_ns"],
		(cost["on_ns"] - cost["off_ns"]) / 10 / vmed,
		(cost["on2_ns"] - cost["off_ns"]) / 10 / vmed, vmed
}' "$tmp/cost" "$tmp/cpu"
exit $status
