#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# miltload-smoke.sh - dkimsa-miltload against the real dkimsa milter on a
# unix socket in sign mode (Mode s: no resolver, no DNS): 20 messages each
# get exactly one DKIM-Signature insert and a continue/accept, the
# signature verifies offline (dkimsa-verify -K), the summary counts agree,
# the same with one write per packet (-W), an external client's message
# gets one accept and no change with no reply at MAIL FROM or end of
# headers (SMFIP_NR_MAIL, SMFIP_NR_EOH), the milter exits cleanly on
# SIGTERM, the client reports a socket
# nobody listens on as an error, and a milter that accepts but never
# answers as an error after -t seconds, whether the reply is awaited in
# poll(2) (the default, as Postfix's timed_read) or in read(2) (-W).  Environment: top_builddir, top_srcdir.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
verify="$top_builddir/tools/verify/dkimsa-verify"
dir=$(mktemp -d "${TMPDIR:-/tmp}/miltload-smoke.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() { # check NAME CONDITION-STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $3"
	fi
}

cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$dir/sel.private" &&
	chmod 600 "$dir/sel.private" || exit 1
echo "sel._domainkey.example.test example.test:sel:$dir/sel.private" \
	> "$dir/KeyTable"
echo "*@example.test sel._domainkey.example.test" > "$dir/SigningTable"
cat > "$dir/dkimsa.conf" <<EOF
Mode s
Socket unix:$dir/milter.sock
AllowRoot yes
Syslog no
KeyTable refile:$dir/KeyTable
SigningTable refile:$dir/SigningTable
AuthservID mx.example.test
TrustAnchorFile none
EOF
"$milter" -f -x "$dir/dkimsa.conf" 2> "$dir/milter.log" &
mpid=$!
i=0
while [ ! -S "$dir/milter.sock" ] && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
[ -S "$dir/milter.sock" ]
check "milter-listens-on-unix-socket" $? "$(cat "$dir/milter.log")"

"$load" -s "unix:$dir/milter.sock" -c 1 -n 20 -v -p "$mpid" \
	> "$dir/out" 2> "$dir/err"
check "miltload-exits-0-after-20-messages" $? \
	"status $?: $(head -c 600 "$dir/err")"

# Every queue id the client used (L00Q000001..L00Q000020): one insert of
# DKIM-Signature at index 0 and one final continue or accept.
bad=
n=1
while [ $n -le 20 ]; do
	q=$(printf 'L00Q%06d' $n)
	s=$(grep -c "^$q: insheader 0 DKIM-Signature:" "$dir/out")
	r=$(grep -cE "^$q: reply (continue|accept) " "$dir/out")
	[ "$s" -eq 1 ] && [ "$r" -eq 1 ] || bad="$bad $q(sig=$s,reply=$r)"
	n=$((n + 1))
done
[ -z "$bad" ]
check "each-of-20-messages-gets-one-dkim-signature-insert" $? "$bad"
other=$(grep -vE '^L00Q[0-9]{6}: (insheader 0 DKIM-Signature:|reply (continue|accept) )' \
	"$dir/out" | grep -c '^L00Q')
[ "$other" -eq 0 ]
check "no-other-modifications-in-sign-mode" $? \
	"$(grep '^L00Q' "$dir/out" | grep -v 'DKIM-Signature\|reply' | head -3)"
grep -q '^RESULT msgs=20 .* errors=0 dkim=20 ' "$dir/out"
check "summary-counts-20-messages-20-signatures-no-errors" $? \
	"$(grep '^RESULT' "$dir/out")"
grep -qE '^RESULT .* cpu_us=[0-9]+\.[0-9]$' "$dir/out"
check "summary-reports-milter-cpu-per-message" $? \
	"$(grep '^RESULT' "$dir/out")"

# The same with every packet written at once (-W, no Postfix-like write
# buffer): the milter's answers do not depend on how packets are cut.
"$load" -s "unix:$dir/milter.sock" -c 2 -n 5 -W > "$dir/outw" 2>&1
grep -q '^RESULT msgs=10 .* errors=0 dkim=10 ' "$dir/outw"
check "per-packet-writes-10-messages-10-signatures" $? \
	"$(grep '^RESULT' "$dir/outw") $(head -3 "$dir/outw")"

# The first signature, put on the message as sent, verifies offline.
"$load" -w "$dir/msg" -b 1k
val=$(grep -m1 '^L00Q000001: insheader 0 DKIM-Signature:' "$dir/out" |
	sed 's/^[^:]*: insheader 0 DKIM-Signature://')
{
	printf 'DKIM-Signature:%s\r\n' "$val" | sed 's/\\n/\r\n/g; s/\\t/\t/g'
	cat "$dir/msg"
} > "$dir/signed"
printf 'v=DKIM1; k=rsa; p=%s\n' "$(openssl pkey -in "$dir/sel.private" \
	-pubout -outform DER 2>/dev/null | openssl base64 -A)" > "$dir/sel.txt"
"$verify" -K "sel._domainkey.example.test=$dir/sel.txt" < "$dir/signed" \
	> "$dir/vout" 2>&1
grep -q '^dkim=pass header.d=example.test header.s=sel' "$dir/vout"
check "milter-signature-verifies-with-dkimsa-verify" $? "$(cat "$dir/vout")"

# MAIL FROM and end of headers need no reply (SMFIP_NR_MAIL, SMFIP_NR_EOH
# negotiated): a message the
# milter leaves alone there (an external client in sign-only mode) still
# gets one final accept, and nothing else.
"$load" -s "unix:$dir/milter.sock" -n 1 -v -a 192.0.2.10 \
	> "$dir/out3" 2> "$dir/err3"
pf=$(sed -n 's/^negotiated: .* protocol 0x\([0-9a-f]*\)$/\1/p' "$dir/out3")
[ -n "$pf" ] && [ $((0x$pf & 0x40000)) -ne 0 ]
check "negotiation-waives-the-end-of-headers-reply" $? "protocol 0x$pf"
[ -n "$pf" ] && [ $((0x$pf & 0x4000)) -ne 0 ]
check "negotiation-waives-the-mail-from-reply" $? "protocol 0x$pf"
grep -q '^RESULT msgs=1 .* accept=1 .* errors=0 dkim=0 ar=0 ' "$dir/out3" &&
	[ "$(grep -c '^L00Q000001: ' "$dir/out3")" -eq 1 ]
check "external-client-in-sign-mode-one-accept-no-change" $? \
	"$(grep '^L00Q\|^RESULT' "$dir/out3" | head -4) $(head -2 "$dir/err3")"

kill -TERM "$mpid"
i=0
while kill -0 "$mpid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
if kill -0 "$mpid" 2>/dev/null; then
	check "milter-exits-on-sigterm" 1 "still running 5 s after SIGTERM"
else
	wait "$mpid"
	rc=$?
	mpid=
	check "milter-exits-0-on-sigterm" $rc "exit status $rc: $(tail -3 "$dir/milter.log")"
fi
! grep -qiE 'error|crit|tempfail|not signed' "$dir/milter.log"
check "milter-logged-no-errors" $? "$(grep -iE 'error|crit|tempfail|not signed' "$dir/milter.log" | head -3)"

# Nobody listens any more: every attempt is an error, exit status 1.
"$load" -s "unix:$dir/milter.sock" -n 2 -t 2 > "$dir/out2" 2> "$dir/err2"
rc=$?
[ $rc -eq 1 ] && grep -q '^RESULT msgs=0 .* errors=2 ' "$dir/out2"
check "miltload-reports-unreachable-milter-as-errors" $? \
	"status $rc: $(grep RESULT "$dir/out2") $(head -2 "$dir/err2")"

# A milter that accepts and then says nothing: the wait for the
# negotiation reply ends after -t 1 s with an error, in both read modes.
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(8)
held = []
while True:
    held.append(s.accept()[0])
' "$dir/silent.sock" &
mpid=$!
i=0
while [ ! -S "$dir/silent.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
for mode in poll read; do
	opt=
	[ $mode = read ] && opt=-W
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	"$load" -s "unix:$dir/silent.sock" -n 1 -t 1 $opt > "$dir/out3" 2> "$dir/err3"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $rc -eq 1 ] && grep -q '^RESULT msgs=0 .* errors=1 ' "$dir/out3" &&
		[ $ms -ge 900 ] && [ $ms -lt 10000 ]
	check "silent-milter-is-an-error-after-the-timeout-waiting-in-$mode" $? \
		"status $rc after $ms ms: $(grep RESULT "$dir/out3") $(head -2 "$dir/err3")"
done
exit 0
