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
# DMARC costs: run once with yes and once with no); BENCH_ARC (default
# no; yes: ARCSign with the same key, so sign is sign+seal and verify is
# verify+seal, the rows of the shared body hash, issue 12).
: "${BENCH_SECONDS:=4}"
: "${BENCH_CONNS:=1 8 32}"
: "${BENCH_SOCKETS:=unix inet}"
: "${BENCH_MODES:=sign verify}"
: "${BENCH_SIZES:=1k 100k}"
: "${BENCH_DMARC:=yes}"
: "${BENCH_ARC:=no}"
. "$(dirname "$0")/lib.sh"
bench_init milter-bench
bench_keys
bench_dns auth '_dmarc   TXT  "v=DMARC1; p=reject"'
# Messages for the verify runs: signed as the milter would see them.
bench_signed 1k 100k

# start_milter unix|inet: sets sock and mpid.
start_milter() {
	if [ "$1" = unix ]; then
		sock="unix:$tmp/milter.sock"
	else
		sock="inet:$(dnsh_free_port)@127.0.0.1"
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
	if [ "$BENCH_ARC" = yes ]; then
		printf 'ARCSign yes\nARCKey sel._domainkey.example.test\n' \
			>> "$tmp/dkimsa.conf"
	fi
	"$milter" -f -x "$tmp/dkimsa.conf" 2>> "$tmp/milter-$1.log" &
	mpid=$!
	bench_ready "$sock" "$tmp/milter-$1.log"
}

stop_milter() {
	bench_stop
	echo "milter ($1 socket) exit status $bs_status" >> "$tmp/notes"
}

preflight() { # SOCKETKIND
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 1 -v $(bench_args sign 1k) > "$tmp/pf" 2>&1
	grep -q 'insheader 0 DKIM-Signature:' "$tmp/pf" ||
		echo "WARNING ($1): sign preflight got no DKIM-Signature: $(tr '\n' '|' < "$tmp/pf")" >> "$tmp/notes"
	[ "$BENCH_ARC" = yes ] && ! grep -q 'insheader 0 ARC-Seal:' "$tmp/pf" &&
		echo "WARNING ($1): sign preflight got no ARC-Seal" >> "$tmp/notes"
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 1 -v $(bench_args verify 1k) > "$tmp/pf" 2>&1
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
					-p "$mpid" $(bench_args "$mode" "$size") \
					> "$tmp/run" 2> "$tmp/run.err"
				r=$(grep '^RESULT' "$tmp/run")
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
