#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# reload-load.sh - SIGHUP under load: 1,500 concurrent milter connections
# (dkimsa-miltload, sessions of 50 messages, so connections come and go
# across reloads), 1,400 signing and 100 verifying through the DNS
# harness (each reload starts a new resolver while queries are out), for
# 30 s while the milter gets a SIGHUP every 0.2 s.  No message may fail,
# the milter must reload and keep answering afterwards, and only the main
# thread may ever take a signal (libmilter's own signal thread stops the
# milter on SIGHUP).
# Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs another
# dkimsa binary (to show the test fails on an old one).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/dns/harness.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
sign="$top_builddir/tools/sign/dkimsa-sign"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
conns=${RELOAD_LOAD_CONNS:-1500}
vconns=$((conns / 15)) # of which verifying
secs=${RELOAD_LOAD_SECONDS:-30}
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-reload.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	dnsh_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() { # check NAME STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $3"
	fi
}

# a descriptor per connection, in the milter and in the client
need=$((conns + 200))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $need ] &&
	! ulimit -n $need 2>/dev/null; then
	echo "SKIP: $conns connections under reloads: open files hard limit $hard"
	exit 0
fi
openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null &&
	chmod 600 "$T/ed.private" || exit 1
mkdir "$T/dns" && dnsh_start "$T/dns" || {
	echo "FAIL: the DNS harness starts: $(tail -5 "$T/dns/harness.log" 2>/dev/null)"
	exit 0
}
# what the verifying clients send: signed by secure.test (DNSSEC)
"$load" -w "$T/v.msg" -f user@secure.test
sed -i "s/^From: .*/From: user@secure.test\r/" "$T/v.msg"
"$sign" -d secure.test -s sel2048 \
	-k "$top_srcdir/tests/data/keys/rsa2048.pem" < "$T/v.msg" > "$T/v.signed" ||
	exit 1
cat > "$T/dkimsa.conf" <<EOF
Mode sv
Socket unix:$T/sock
AllowRoot yes
Syslog no
SyslogSuccess no
PidFile $T/pid
Domain csl:example.test
KeyFile $T/ed.private
Selector ed
SignatureAlgorithm ed25519-sha256
UnboundConfigFile $DNSH_DIR/unbound.conf
AuthservID mx.example.test
# A message's whole DNS time: long enough that a loaded machine (ASan,
# load average 100) does not run it out, short enough that an answer a
# reload lost shows as a tempfail before miltload's 60 s timeout.
DNSTimeout 40
EOF
"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
mpid=$!
i=0
until [ -S "$T/sock" ] && [ -s "$T/pid" ] || [ $i -gt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$T/sock" ]
check "the milter starts" $? "$(cat "$T/log")"

# Each thread's blocked set (SigBlk, bit 0 = SIGHUP, bit 14 = SIGTERM; the
# low 32 bits only, as sh arithmetic is signed 64-bit): a thread inside
# sigwait() shows the signals it waits for as unblocked.  Only the main
# thread may be there (once it has got there).
sig_takers() {
	takers=$(grep -H '^SigBlk:' /proc/$mpid/task/*/status 2>/dev/null |
		while IFS=' 	' read -r f blk; do
			[ $((0x${blk#????????} & 0x4001)) -ne $((0x4001)) ] &&
				t=${f%/status:SigBlk:} && printf ' %s' "${t##*/}"
		done)
}
i=0
sig_takers
while [ "$takers" != " $mpid" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
	sig_takers
done
[ "$takers" = " $mpid" ]
check "only the main thread can take SIGHUP or SIGTERM" $? \
	"threads that can:$takers (main thread $mpid)"

"$load" -s "unix:$T/sock" -c $((conns - vconns)) -n 50 -d "$secs" -t 60 \
	-f user@example.test > "$T/out" 2> "$T/err" &
lpid=$!
"$load" -s "unix:$T/sock" -c $vconns -n 50 -d "$secs" -t 60 \
	-a 192.0.2.10 -f user@secure.test -m "$T/v.signed" \
	> "$T/vout" 2> "$T/verr" &
vpid=$!
hups=0
peakfd=0
end=$(($(date +%s) + secs))
while [ "$(date +%s)" -lt $end ] && kill -0 "$mpid" 2>/dev/null; do
	# two at once: the second comes while the first is being handled
	kill -HUP "$mpid" "$mpid" 2>/dev/null && hups=$((hups + 1))
	sleep 0.2
	if [ $((hups % 5)) -eq 0 ]; then
		n=$(ls "/proc/$mpid/fd" 2>/dev/null | wc -l)
		[ "$n" -gt "$peakfd" ] && peakfd=$n
	fi
done
wait "$lpid"
wait "$vpid"
r=$(grep '^RESULT' "$T/out")
echo "# $hups pairs of SIGHUPs sent; peak milter descriptors $peakfd; $r"
msgs=$(echo "$r" | sed -n 's/.* msgs=\([0-9]*\) .*/\1/p')
cont=$(echo "$r" | sed -n 's/.* continue=\([0-9]*\) .*/\1/p')
acc=$(echo "$r" | sed -n 's/.* accept=\([0-9]*\) .*/\1/p')
dkim=$(echo "$r" | sed -n 's/.* dkim=\([0-9]*\) .*/\1/p')
echo "$r" | grep -q ' tempfail=0 discard=0 cut=0 errors=0 ' &&
	[ "${msgs:-0}" -gt 0 ] && [ $((cont + acc)) -eq "$msgs" ]
check "$conns connections for ${secs}s with a SIGHUP every 0.2s: no message fails" \
	$? "$r $(head -c 600 "$T/err")"
[ "${dkim:-0}" -eq "${msgs:-1}" ]
check "every message under reloads is signed" $? "$r"
v=$(grep '^RESULT' "$T/vout")
echo "# verifying: $v"
vmsgs=$(echo "$v" | sed -n 's/.* msgs=\([0-9]*\) .*/\1/p')
echo "$v" | grep -q ' tempfail=0 discard=0 cut=0 errors=0 ' &&
	[ "${vmsgs:-0}" -gt 0 ] && echo "$v" | grep -q " ar=$vmsgs "
check "every message verified under reloads gets its A-R" $? \
	"$v $(head -c 600 "$T/verr")"

kill -0 "$mpid" 2>/dev/null
check "the milter is still running after the reloads" $? "$(tail -5 "$T/log")"
! grep -q "libmilter stopped" "$T/log"
check "libmilter never stops on SIGHUP" $? "$(grep "libmilter stopped" "$T/log")"
sleep 1 # the last SIGHUPs
reloads=$(grep -c "reloaded $T/dkimsa.conf" "$T/log")
echo "# $reloads reloads logged"
# A SIGHUP that comes while one is pending is merged into it, and a slow
# reload on a busy machine merges more; one more SIGHUP now must reload.
kill -HUP "$mpid"
i=0
while [ "$(grep -c "reloaded $T/dkimsa.conf" "$T/log")" -le "$reloads" ] &&
	[ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
# At least one reload per 10 s of load (2.1 s each under ASan at load 100).
[ "$reloads" -ge $((secs / 10)) ] &&
	[ "$(grep -c "reloaded $T/dkimsa.conf" "$T/log")" -gt "$reloads" ]
check "the milter reloads on the SIGHUPs" $? \
	"$reloads reloads for $hups pairs of SIGHUPs, then $(grep -c "reloaded $T/dkimsa.conf" "$T/log")"

"$load" -s "unix:$T/sock" -c 2 -n 5 -t 10 -f user@example.test \
	> "$T/out2" 2> "$T/err2"
grep -q '^RESULT msgs=10 .* errors=0 dkim=10 ' "$T/out2"
check "the milter answers after the reloads" $? \
	"$(grep RESULT "$T/out2") $(head -3 "$T/err2") $(tail -3 "$T/log")"

kill -TERM "$mpid" 2>/dev/null
i=0
while kill -0 "$mpid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
! kill -0 "$mpid" 2>/dev/null
check "the milter exits on SIGTERM after the load" $? "still running"
wait "$mpid" 2>/dev/null
mpid=
exit 0
