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
: "${BENCH_SECONDS:=4}"
: "${BENCH_ROUNDS:=3}"
: "${BENCH_CONNS:=4}"
. "$(dirname "$0")/lib.sh"
[ -x "$top_builddir/tests/bench/metrics-cost" ] || {
	echo "metrics-bench.sh: $top_builddir/tests/bench/metrics-cost not built" >&2
	exit 1
}
spid=''
bench_atexit() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null
}
bench_init metrics-bench
bench_keys
bench_dns auth
bench_signed 1k
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
	bench_ready "unix:$tmp/milter.sock" "$tmp/milter.log" || exit 1
	# one verify first: the DNS answers are cached for both sides alike
	"$load" -s "unix:$tmp/milter.sock" -n 1 -t 5 $(bench_args verify 1k) \
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
	bench_stop
}

# val SAMPLE: its value on the last page
val() { awk -v s="$1" '$1 == s { print $2 }' "$tmp/page"; }

printf '%-5s %-6s %-3s %9s %10s %7s\n' round mode mx msgs/s cpu_us/msg errors
status=0
: > "$tmp/cpu"
round=1
while [ $round -le "$BENCH_ROUNDS" ]; do
	for side in off on; do
		start_milter $side
		sent_sign=0 sent_verify=0
		for mode in sign verify; do
			# shellcheck disable=SC2046
			"$load" -s "unix:$tmp/milter.sock" -c "$BENCH_CONNS" \
				-d "$BENCH_SECONDS" -p "$mpid" $(bench_args $mode 1k) \
				> "$tmp/run" 2> "$tmp/run.err"
			r=$(grep '^RESULT' "$tmp/run")
			printf '%-5s %-6s %-3s %9s %10s %7s\n' $round $mode $side \
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
	round=$((round + 1))
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
