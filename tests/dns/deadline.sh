#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deadline.sh - the milter verifying while DNS fails, through the real
# libunbound (tests/dns/harness.sh): a dead server (a port that never
# answers), a server that answers SERVFAIL and a slow one (every answer
# 0.2 s late).  Each message gets the documented action (On-DNSError,
# default tempfail 4.4.3, for the dead and the SERVFAIL server; the real
# results for the slow one), and the reply to its end comes within one
# DNSTimeout (dkimsa.conf(5)): every query of a message (SPF at MAIL
# FROM, DKIM keys, ADSP, Sender ID) shares that time.
# Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs another
# dkimsa binary.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/dns/harness.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
sign="$top_builddir/tools/sign/dkimsa-sign"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
timeout=2 # DNSTimeout, seconds
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-deadline.XXXXXX") || exit 1
mpid= fpids=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	for p in $fpids; do kill "$p" 2>/dev/null; done
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

# dnsfault MODE ARGS...: starts tests/dns/dnsfault.py, sets $port
dnsfault() {
	python3 "$top_srcdir/tests/dns/dnsfault.py" "$@" > "$T/fault.port" &
	fpids="$fpids $!"
	i=0
	while [ ! -s "$T/fault.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	port=$(cat "$T/fault.port")
	rm -f "$T/fault.port"
}

stub() { # stub ZONE PORT
	printf 'stub-zone:\n\tname: "%s"\n\tstub-addr: 127.0.0.1@%s\n' \
		"$1" "$2" >> "$DNSH_DIR/unbound.conf"
}

mkdir "$T/dns" && dnsh_init "$T/dns" && dnsh_build && dnsh_silent_start &&
	dnsh_conf_auth || {
	echo "FAIL: the DNS harness starts: $(tail -5 "$T/dns/harness.log" 2>/dev/null)"
	exit 0
}
# slow.test: the DKIM zone, served by nsd behind a proxy 0.2 s late
dnsh_add_zone slow.test "$DNSH_DIR/dkim.zone" && dnsh_nsd_start || {
	echo "FAIL: nsd serves slow.test: $(tail -5 "$DNSH_DIR/harness.log")"
	exit 0
}
dnsfault slow "$DNSH_NSD_PORT" 0.2
stub slow.test "$port"
dnsfault servfail
stub servfail.test "$port"

cat > "$T/dkimsa.conf" <<EOF
Mode v
Socket unix:$T/sock
AllowRoot yes
Syslog no
AuthservID mx.example.test
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout $timeout
EOF
"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
mpid=$!
i=0
while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$T/sock" ]
check "the milter starts with the harness resolver" $? "$(cat "$T/log")"

# run DOMAIN: one message from user@DOMAIN, signed d=DOMAIN s=sel2048,
# from an outside client; prints the client's output in $T/DOMAIN.out and
# sets reply, ms (MAIL to the final reply) and ar.
run() {
	"$load" -w "$T/$1.msg" -f "user@$1" -r rcpt@example.net
	sed -i "s/^From: .*/From: user@$1\r/" "$T/$1.msg"
	"$sign" -d "$1" -s sel2048 -k "$top_srcdir/tests/data/keys/rsa2048.pem" \
		< "$T/$1.msg" > "$T/$1.signed" 2> "$T/$1.err"
	"$load" -s "unix:$T/sock" -n 1 -v -t 60 -a 192.0.2.10 -f "user@$1" \
		-m "$T/$1.signed" > "$T/$1.out" 2>> "$T/$1.err"
	reply=$(sed -n 's/^L00Q000001: reply \([a-z]*\) .*/\1/p' "$T/$1.out")
	ms=$(sed -n 's/^L00Q000001: reply [a-z]* \([0-9]*\).*/\1/p' "$T/$1.out")
	ar=$(grep 'Authentication-Results:' "$T/$1.out")
	echo "# $1: $reply after ${ms:-?} ms; $(grep replycode "$T/$1.out")"
}

limit=$((timeout * 1000 + 1000)) # DNSTimeout, and time to work on a busy machine

run silent.test
[ "$reply" = tempfail ] && grep -q 'replycode 451 4.4.3' "$T/silent.test.out"
check "a dead DNS server gives On-DNSError (tempfail 4.4.3)" $? \
	"$(cat "$T/silent.test.out" "$T/silent.test.err")"
[ -n "$ms" ] && [ "$ms" -le $limit ]
check "with a dead DNS server the message waits one DNSTimeout at most" $? \
	"${ms:-?} ms for DNSTimeout $timeout s (limit $limit ms)"

run servfail.test
[ "$reply" = tempfail ] && grep -q 'replycode 451 4.4.3' "$T/servfail.test.out"
check "a SERVFAIL DNS server gives On-DNSError (tempfail 4.4.3)" $? \
	"$(cat "$T/servfail.test.out" "$T/servfail.test.err")"
[ -n "$ms" ] && [ "$ms" -le $limit ]
check "with a SERVFAIL DNS server the message waits one DNSTimeout at most" $? \
	"${ms:-?} ms for DNSTimeout $timeout s (limit $limit ms)"

run slow.test
[ "$reply" = continue ] || [ "$reply" = accept ]
check "a slow DNS server within DNSTimeout gives the message's real results" \
	$? "$(cat "$T/slow.test.out" "$T/slow.test.err")"
for want in "dkim=pass" "spf=pass" "dkim-adsp=pass"; do
	echo "$ar" | grep -q "$want"
	check "slow DNS server: the A-R has $want" $? "$ar"
done
[ -n "$ms" ] && [ "$ms" -le $limit ]
check "with a slow DNS server the message waits one DNSTimeout at most" $? \
	"${ms:-?} ms for DNSTimeout $timeout s (limit $limit ms)"
exit 0
