#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# milter-bench.sh - the dkimsa milter under load (issue 6, section 7):
# {sign, verify} x {1 KiB, 100 KiB body} x {1, 8, 32 connections} x
# {unix, inet socket}, BENCH_SECONDS each (default 4; about 2 minutes in
# all), driven by tools/miltload/dkimsa-miltload.  Prints one table row
# per run: messages/s, p50/p99 latency (MAIL to final reply), the
# milter's CPU time per message (/proc/PID/stat) and its resident size
# after the run.
#
# Signing: client 127.0.0.1, key tests/data/keys/rsa2048.pem as
# sel._domainkey.example.test.  Verifying: client 192.0.2.10, a message
# signed by dkimsa-sign with that key; DNS comes from tests/dns/harness.sh
# (libunbound auth-zones, nothing leaves the machine), whose zone
# example.test serves the key TXT record, an SPF record passing
# 192.0.2.0/24, an ADSP record and a DMARC record (p=reject, passed by
# the aligned signature), so SPF, Sender ID, DKIM, ADSP and DMARC all get
# answers rather than timeouts.  Before measuring, one message of each
# kind is checked: sign gets a DKIM-Signature, verify an
# Authentication-Results header with dkim=pass and spf=pass.
# Exit status 1 when a run had errors or a preflight check failed.
# Environment: top_builddir, top_srcdir (absolute); BENCH_SECONDS;
# BENCH_CONNS (default "1 8 32"); BENCH_SOCKETS (default "unix inet");
# BENCH_MODES (default "sign verify"); BENCH_SIZES (default "1k 100k");
# BENCH_DMARC (default yes: the milter's DMARC key, to measure what
# DMARC costs: run once with yes and once with no).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BENCH_SECONDS:=4}"
: "${BENCH_CONNS:=1 8 32}"
: "${BENCH_SOCKETS:=unix inet}"
: "${BENCH_MODES:=sign verify}"
: "${BENCH_SIZES:=1k 100k}"
: "${BENCH_DMARC:=yes}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
sign="$top_builddir/tools/sign/dkimsa-sign"
for p in "$load" "$milter" "$sign"; do
	[ -x "$p" ] || { echo "milter-bench.sh: $p not built" >&2; exit 1; }
done
. "$top_srcdir/tests/dns/harness.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/milter-bench.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	dnsh_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Key, tables, DNS.
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
_dmarc   TXT  "v=DMARC1; p=reject"
EOF
if ! { dnsh_init "$tmp/dns" &&
	dnsh_add_zone example.test "$tmp/example.zone" && dnsh_build &&
	dnsh_conf_auth; }; then
	echo "milter-bench.sh: DNS harness failed" >&2
	exit 1
fi

# Messages for the verify runs: signed as the milter would see them.
for size in 1k 100k; do
	"$load" -w "$tmp/plain-$size" -b "$size" &&
		"$sign" -d example.test -s sel -k "$tmp/sel.private" \
			< "$tmp/plain-$size" > "$tmp/signed-$size" || exit 1
done

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_milter unix|inet: sets sock and mpid.
start_milter() {
	if [ "$1" = unix ]; then
		sock="unix:$tmp/milter.sock"
	else
		sock="inet:$(free_port)@127.0.0.1"
	fi
	cat > "$tmp/dkimsa.conf" <<EOF
Mode sv
Socket $sock
AllowRoot yes
Syslog no
KeyTable refile:$tmp/KeyTable
SigningTable refile:$tmp/SigningTable
AuthservID mx.example.test
TrustAnchorFile none
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 2
DMARC $BENCH_DMARC
EOF
	"$milter" -f -x "$tmp/dkimsa.conf" 2>> "$tmp/milter-$1.log" &
	mpid=$!
	i=0
	while [ $i -lt 100 ]; do
		"$load" -s "$sock" -n 1 -t 5 > /dev/null 2>&1 && return 0
		kill -0 "$mpid" 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	echo "milter-bench.sh: milter did not start on $sock:" >&2
	tail -5 "$tmp/milter-$1.log" >&2
	return 1
}

stop_milter() {
	kill -TERM "$mpid"
	i=0
	while kill -0 "$mpid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	if kill -0 "$mpid" 2>/dev/null; then
		echo "milter-bench.sh: milter still running 5 s after SIGTERM" >&2
		kill -KILL "$mpid"
	fi
	wait "$mpid"
	echo "milter ($1 socket) exit status $?" >> "$tmp/notes"
	mpid=
}

# Args per mode and size for dkimsa-miltload.
mode_args() { # MODE SIZE
	if [ "$1" = sign ]; then
		echo "-a 127.0.0.1 -b $2"
	else
		echo "-a 192.0.2.10 -N client.example.test -H client.example.test -m $tmp/signed-$2"
	fi
}

preflight() { # SOCKETKIND
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 1 -v $(mode_args sign 1k) > "$tmp/pf" 2>&1
	grep -q 'insheader 0 DKIM-Signature:' "$tmp/pf" ||
		echo "WARNING ($1): sign preflight got no DKIM-Signature: $(tr '\n' '|' < "$tmp/pf")" >> "$tmp/notes"
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 1 -v $(mode_args verify 1k) > "$tmp/pf" 2>&1
	ar=$(grep 'Authentication-Results:' "$tmp/pf" | head -1 |
		sed 's/^.*Authentication-Results: *//; s/\\n\\t/ /g')
	echo "verify preflight ($1): Authentication-Results: $ar" >> "$tmp/notes"
	case $ar in
	*dkim=pass*spf=pass* | *spf=pass*dkim=pass*) ;;
	*) echo "WARNING ($1): verify preflight lacks dkim=pass or spf=pass" >> "$tmp/notes" ;;
	esac
	case $BENCH_DMARC/$ar in
	yes/*dmarc=pass* | no/*) ;;
	*) echo "WARNING ($1): verify preflight lacks dmarc=pass" >> "$tmp/notes" ;;
	esac
}

rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$mpid/status" 2>/dev/null
}

printf '%-6s %-5s %5s %-6s %9s %8s %8s %10s %8s %7s\n' mode body conns \
	socket msgs/s p50_ms p99_ms cpu_us/msg rss_KiB errors
: > "$tmp/notes"
status=0
for kind in $BENCH_SOCKETS; do
	start_milter "$kind" || exit 1
	preflight "$kind"
	echo "milter ($kind) RSS at start: $(rss_kib) KiB" >> "$tmp/notes"
	for mode in $BENCH_MODES; do
		for size in $BENCH_SIZES; do
			for c in $BENCH_CONNS; do
				# shellcheck disable=SC2046
				"$load" -s "$sock" -c "$c" -d "$BENCH_SECONDS" \
					-p "$mpid" $(mode_args "$mode" "$size") \
					> "$tmp/run" 2> "$tmp/run.err"
				r=$(grep '^RESULT' "$tmp/run")
				v() { echo "$r" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
				printf '%-6s %-5s %5s %-6s %9s %8s %8s %10s %8s %7s\n' \
					"$mode" "$size" "$c" "$kind" "$(v rate)" \
					"$(v p50_ms)" "$(v p99_ms)" "$(v cpu_us)" \
					"$(rss_kib)" "$(v errors)"
				[ "$(v errors)" = 0 ] || status=1
				t=$(( $(v tempfail) + $(v reject) ))
				[ "$t" -gt 0 ] && echo "NOTE: $mode $size c=$c $kind: $(v tempfail) tempfail, $(v reject) reject" >> "$tmp/notes"
				[ -s "$tmp/run.err" ] && sed "s/^/NOTE: $mode $size c=$c $kind: /" "$tmp/run.err" | head -3 >> "$tmp/notes"
			done
		done
	done
	stop_milter "$kind"
done
cat "$tmp/notes"
grep -ciE 'tempfail|error|crit' "$tmp"/milter-*.log | sed 's/^/milter log lines with tempfail|error|crit: /'
grep -q '^WARNING' "$tmp/notes" && status=1
exit $status
