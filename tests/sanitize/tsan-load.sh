#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tsan-load.sh - the milter under load with ThreadSanitizer (make
# check-tsan builds everything with -fsanitize=thread and runs this): 64
# connections from dkimsa-miltload, 32 signing (client 127.0.0.1) and 32
# verifying (a client outside, a message signed by dkimsa-sign, DNS from
# tests/dns/harness.sh as libunbound auth-zones), for TSAN_SECONDS
# (default 20) with a SIGHUP every 0.5 s, then SIGTERM.  Every message gets
# its signature or its Authentication-Results, no client sees an error or
# a tempfail, the milter reloads and exits 0, and ThreadSanitizer reports
# nothing (its reports, in the milter's stderr or in TSAN_OPTIONS'
# log_path files, are quoted in the FAIL line).
# Environment: top_builddir, top_srcdir (absolute); TSAN_SECONDS.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TSAN_SECONDS:=20}"
# load, milter, sign, the DNS harness, bench_init/keys/dns (cleanup at
# exit: the milter, bench_atexit below, the DNS harness, $tmp)
. "$top_srcdir/tests/bench/lib.sh"
bench_init tsan-load
hpid=
bench_atexit() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null
}

check() { # check NAME STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $3"
	fi
}

# TSan maps its shadow at fixed addresses; with a high-entropy ASLR
# (vm.mmap_rnd_bits > 28) clang 14's runtime cannot start, so run without
# address randomisation when setarch can.
norand=
setarch "$(uname -m)" -R true 2>/dev/null && norand="setarch $(uname -m) -R"

bench_keys
chmod 600 "$tmp/KeyTable" "$tmp/SigningTable"
bench_dns auth
$norand "$load" -w "$tmp/plain" -b 2k &&
	$norand "$sign" -d example.test -s sel -k "$tmp/sel.private" \
		< "$tmp/plain" > "$tmp/signed" || {
	echo "FAIL: tsan-load-signed-message: dkimsa-sign failed"
	exit 1
}

mport=$(dnsh_free_port)
cat > "$tmp/dkimsa.conf" <<EOF
Mode sv
Socket unix:$tmp/milter.sock
MetricsSocket inet:$mport@127.0.0.1
AllowRoot yes
Syslog no
KeyTable refile:$tmp/KeyTable
SigningTable refile:$tmp/SigningTable
AuthservID mx.example.test
TrustAnchorFile none
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 5
EOF
chmod 600 "$tmp/dkimsa.conf"
# shellcheck disable=SC2086
$norand "$milter" -f -x "$tmp/dkimsa.conf" 2> "$tmp/milter.log" &
mpid=$!
i=0
until $norand "$load" -s "unix:$tmp/milter.sock" -n 1 -t 10 \
	> /dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$mpid" 2>/dev/null; then
		check "milter-starts-under-tsan" 1 "$(tail -5 "$tmp/milter.log")"
		exit 1
	fi
	sleep 0.1
done
check "milter-starts-under-tsan" 0 ""

# Reloads and /metrics scrapes all through the run.
(
	while :; do
		sleep 0.5
		kill -HUP "$mpid" 2>/dev/null || exit 0
		curl -s -o /dev/null -m 5 "http://127.0.0.1:$mport/metrics"
	done
) &
hpid=$!
$norand "$load" -s "unix:$tmp/milter.sock" -c 32 -d "$TSAN_SECONDS" \
	-a 127.0.0.1 -b 2k -t 60 > "$tmp/sign.out" 2> "$tmp/sign.err" &
spid=$!
$norand "$load" -s "unix:$tmp/milter.sock" -c 32 -d "$TSAN_SECONDS" \
	-a 192.0.2.10 -N client.example.test -H client.example.test \
	-m "$tmp/signed" -t 60 > "$tmp/verify.out" 2> "$tmp/verify.err" &
vpid=$!
wait "$spid"
src=$?
wait "$vpid"
vrc=$?
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null
hpid=

# v FILE FIELD: a field of the RESULT line.
v() { grep '^RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
for kind in sign verify; do
	out="$tmp/$kind.out"
	n=$(v "$out" msgs)
	if [ $kind = sign ]; then rc=$src; got=$(v "$out" dkim); else
		rc=$vrc; got=$(v "$out" ar); fi
	[ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ] && [ "$(v "$out" errors)" = 0 ] &&
		[ "$(v "$out" tempfail)" = 0 ] && [ "$got" = "$n" ]
	check "32-$kind-connections-under-reloads-every-message-answered" $? \
		"status $rc: $(grep '^RESULT' "$out") $(head -c 300 "$tmp/$kind.err")"
done
curl -s -m 10 "http://127.0.0.1:$mport/metrics" > "$tmp/metrics"
m=$(awk '$1 == "dkimsa_messages_total{mode=\"sign\",action=\"accept\"}" { print $2 }' "$tmp/metrics")
[ "${m:-0}" -ge "$(v "$tmp/sign.out" msgs)" ]
check "metrics-count-every-signed-message-under-load" $? \
	"/metrics sign/accept ${m:-none}, sent $(v "$tmp/sign.out" msgs)"
reloads=$(grep -c 'reloaded' "$tmp/milter.log")
[ "$reloads" -gt 0 ]
check "milter-reloads-under-load" $? "no reload logged: $(tail -3 "$tmp/milter.log")"

kill -TERM "$mpid"
i=0
while kill -0 "$mpid" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
if kill -0 "$mpid" 2>/dev/null; then
	check "milter-exits-0-on-sigterm-after-load" 1 "still running 60 s after SIGTERM"
else
	wait "$mpid"
	rc=$?
	mpid=
	check "milter-exits-0-on-sigterm-after-load" $rc \
		"exit status $rc (66: ThreadSanitizer reported): $(tail -3 "$tmp/milter.log")"
fi

# ThreadSanitizer's reports: in the milter's stderr, or in log_path files
# named after the program (log_exe_name=1).
lp=$(echo "${TSAN_OPTIONS:-}" | tr ':' '\n' | sed -n 's/^log_path=//p')
reports=$(grep -c 'WARNING: ThreadSanitizer' "$tmp/milter.log")
first=$(grep -m 1 -A 12 'WARNING: ThreadSanitizer' "$tmp/milter.log")
if [ -n "$lp" ]; then
	for f in "$lp".*; do
		[ -f "$f" ] || continue
		reports=$((reports + $(grep -c 'WARNING: ThreadSanitizer' "$f")))
		[ -n "$first" ] || first=$(grep -m 1 -A 12 'WARNING: ThreadSanitizer' "$f")
	done
fi
[ "$reports" -eq 0 ]
check "threadsanitizer-reports-no-race-in-milter-or-client" $? \
	"$reports reports; first: $(echo "$first" | tr '\n' '|' | head -c 1500)"
echo "# $reloads reloads; sign: $(grep '^RESULT' "$tmp/sign.out")"
echo "# verify: $(grep '^RESULT' "$tmp/verify.out")"
exit 0
