#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# arc-e2e.sh - ARC end to end through two loopback Postfix instances,
# each with its own sealing dkimsa: a list server (list.example.test)
# that breaks the author's DKIM signature by changing the body (a
# body_checks REPLACE adds the list's footer to the last line, in
# cleanup, before its milter sees the message) and relays to a receiver
# (mx.example.test) that delivers into a maildir.  The author's domain
# publishes DMARC p=reject: the receiver rejects the message while the
# list is not in its ARCTrustedSealers, and after a reload that adds it
# delivers it with an A-R that shows the DKIM failure, arc=pass with
# header.oldest-pass and dmarc=fail (arc override: list.example.test),
# and a DMARC history line with the override (local_policy, the sealer).
# The override needs the list's AAR to record an aligned pass (RFC 8617
# 7.2, milter/arctrust.h): the list's milter sees the message after its
# footer (dkim=fail), so what it records is SPF: the author's domain
# allows 127.0.0.1, where the author's client connects to the list, and
# the list relays from 127.0.0.2, so the receiver's own SPF check fails
# (SPF broken in transit) while the list's AAR says spf=pass for the
# author's domain.
# Needs root (Postfix cannot run otherwise).
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/e2e/pfx.sh"

PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-arce2e.XXXXXX") || exit 1
chmod 755 "$T" # the Postfix daemons run as postfix and nobody
pids=
LIST_DIR=
cleanup()
{
	for p in $pids; do kill "$p" 2>/dev/null; done
	pfx_stop
	[ -n "$LIST_DIR" ] && PFX_DIR=$LIST_DIR PFX_CONF=$LIST_DIR/conf pfx_stop
	dnsh_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() # name, then "ok" or the failure detail
{
	if [ "$2" = ok ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi
}

if [ "$(id -u)" != 0 ]; then
	check "ARC end-to-end tests run" "Postfix needs root; run as root"
	exit 1
fi

# ---- keys and DNS: the author's domain and the two sealers ----
K=$T/keys
mkdir -p "$K"
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$K/author.pem"
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$K/list.pem"
cp "$top_srcdir/tests/data/keys/ed25519.pem" "$K/mx.pem"
chmod 600 "$K"/*.pem
ed_p=$(openssl pkey -in "$K/mx.pem" -pubout -outform DER | tail -c 32 |
	openssl base64 -A)
cat >"$T/example.zone" <<EOZ
\$TTL 300
@        SOA  ns1 hostmaster 1 3600 600 86400 300
@        NS   ns1
ns1      A    127.0.0.1
sel._domainkey.author TXT ( $(dnsh_dkim_txt "$K/author.pem") )
_dmarc.author         TXT "v=DMARC1; p=reject"
author                TXT "v=spf1 ip4:127.0.0.1 -all"
arc._domainkey.list   TXT ( $(dnsh_dkim_txt "$K/list.pem") )
arc._domainkey.mx     TXT "v=DKIM1; k=ed25519; p=$ed_p"
EOZ
mkdir -p "$T/dns"
if ! { dnsh_init "$T/dns" && dnsh_add_zone example.test "$T/example.zone" &&
	dnsh_build && dnsh_conf_auth; }; then
	check "the DNS harness starts" "$(tail -n 5 "$T/dns/harness.log")"
	exit 0
fi

# ---- the two milters ----
# milter NAME PORT LINES...: dkimsa on inet PORT, verifying every client
milter()
{
	name=$1
	port=$2
	shift 2
	cat >"$T/$name.keytable" <<EOK
listkey list.example.test:arc:$K/list.pem
mxkey mx.example.test:arc:$K/mx.pem
EOK
	cat >"$T/$name.conf" <<EOC
Socket            inet:$port@127.0.0.1
AllowRoot         yes
Mode              v
Syslog            no
SyslogSuccess     yes
InternalHosts     csl:192.0.2.99
SPF               yes
SenderID          no
ADSP              no
TrustAnchorFile   none
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout        3
KeyTable          file:$T/$name.keytable
ARCSign           yes
ARCSignMode       verify
EOC
	for l in "$@"; do
		echo "$l" >>"$T/$name.conf"
	done
	"$top_builddir/milter/dkimsa" -f -x "$T/$name.conf" \
		>"$T/$name.log" 2>&1 &
	pids="$pids $!"
}
LIST_MPORT=$(dnsh_free_port)
MX_MPORT=$(dnsh_free_port)
: >"$T/trusted"
milter list "$LIST_MPORT" "AuthservID list.example.test" "ARCKey listkey" \
	"DMARC no"
milter mx "$MX_MPORT" "AuthservID mx.example.test" "ARCKey mxkey" \
	"ARCTrustedSealers file:$T/trusted" "DMARCHistoryFile $T/history"
MX_PID=$!
for p in "$LIST_MPORT" "$MX_MPORT"; do
	pfx_wait_port "$p" || {
		check "both milters start" "$(cat "$T/list.log" "$T/mx.log")"
		exit 0
	}
done

# ---- the two Postfix instances: the list relays to the receiver ----
LIST_SPORT=$(dnsh_free_port)
MX_SPORT=$(dnsh_free_port)
if ! pfx_start "$T/list" "$LIST_SPORT" "$LIST_MPORT"; then
	check "the list's Postfix starts" "$(tail -n 5 "$T/list/maillog")"
	exit 0
fi
LIST_DIR=$PFX_DIR
printf '/^(The body of .*)$/ REPLACE ${1} -- list footer: unsubscribe at list.example.test\n' \
	>"$T/list/conf/body_checks"
postconf -c "$LIST_DIR/conf" -e myhostname=list.example.test \
	virtual_mailbox_domains= "relayhost=[127.0.0.1]:$MX_SPORT" \
	smtp_bind_address=127.0.0.2 \
	"body_checks=regexp:$T/list/conf/body_checks" &&
	postconf -c "$LIST_DIR/conf" -M "smtp/unix=smtp unix - - n - - smtp" &&
	postfix -c "$LIST_DIR/conf" reload >/dev/null 2>&1
if ! pfx_start "$T/mx" "$MX_SPORT" "$MX_MPORT"; then
	check "the receiver's Postfix starts" "$(tail -n 5 "$T/mx/maillog")"
	exit 0
fi
sleep 1 # the list's reload

# ---- a message signed by its author, sent to the list ----
msg() # msg FILE SUBJECT FROM
{
	{
		printf 'From: %s\r\nTo: list@list.example.test\r\n' "$3"
		printf 'Subject: %s\r\n' "$2"
		printf 'Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n'
		printf 'Message-ID: <%s@e2e>\r\n\r\nThe body of %s.\r\n' "$2" "$2"
	} >"$T/$2.raw"
	"$top_builddir/tools/sign/dkimsa-sign" -d author.example.test -s sel \
		-k "$K/author.pem" <"$T/$2.raw" >"$1"
}
# ar FILE: the receiver's Authentication-Results field, unfolded
ar()
{
	sed '/^$/q' "$1" | $PY -c '
import sys, email
m = email.message_from_string(sys.stdin.read())
for v in m.get_all("Authentication-Results") or []:
    if v.strip().startswith("mx.example.test"):
        print(" ".join(v.split()))'
}

# Not trusted yet: the receiver rejects (DMARC p=reject, DKIM broken).
msg "$T/m0.eml" arc-e2e-untrusted user@author.example.test
swaks --server "127.0.0.1:$LIST_SPORT" --from user@author.example.test \
	--to list@list.example.test --data "$T/m0.eml" >"$T/m0.swaks" 2>&1
i=0
until grep -q 'milter-reject.*DMARC' "$T/mx/maillog" 2>/dev/null ||
	[ $i -gt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q 'milter-reject.*DMARC' "$T/mx/maillog"; then
	check "with the list untrusted the receiver rejects (DMARC p=reject)" ok
else
	check "with the list untrusted the receiver rejects (DMARC p=reject)" \
		"$(tail -n 5 "$T/mx/maillog")"
fi
echo list.example.test >"$T/trusted"
kill -HUP "$MX_PID"
sleep 1

msg "$T/m1.eml" arc-e2e-list user@author.example.test
swaks --server "127.0.0.1:$LIST_SPORT" --from user@author.example.test \
	--to list@list.example.test --data "$T/m1.eml" >"$T/m1.swaks" 2>&1
f=$(pfx_find arc-e2e-list 30)
if [ -z "$f" ]; then
	check "the message passes the list and reaches the receiver" \
		"$(tail -n 3 "$T/m1.swaks"; tail -n 5 "$T/list/maillog" "$T/mx/maillog")"
	exit 0
fi
check "the message passes the list and reaches the receiver" ok
a=$(ar "$f")
case $a in
*"dkim=fail"*) check "the list's footer breaks the author's DKIM signature" ok ;;
*) check "the list's footer breaks the author's DKIM signature" "$a" ;;
esac
case $a in
*"spf=fail"*) check "the receiver's own SPF check fails (relayed from 127.0.0.2)" ok ;;
*) check "the receiver's own SPF check fails (relayed from 127.0.0.2)" "$a" ;;
esac
aar=$(sed '/^$/q' "$f" | $PY -c '
import sys, email
m = email.message_from_string(sys.stdin.read())
for v in m.get_all("ARC-Authentication-Results") or []:
    print(" ".join(v.split()))' | grep 'i=1;')
case $aar in
*"spf=pass"*"smtp.mailfrom=user@author.example.test"*)
	check "the list's AAR records spf=pass for the author's domain" ok ;;
*) check "the list's AAR records spf=pass for the author's domain" "$aar" ;;
esac
case $a in
*"arc=pass (sealer list.example.test) header.oldest-pass=0"*)
	check "the receiver's A-R says arc=pass, oldest-pass 0 (every AMS verifies)" ok ;;
*) check "the receiver's A-R says arc=pass, oldest-pass 0 (every AMS verifies)" "$a" ;;
esac
case $a in
*"dmarc=fail"*"(arc override: list.example.test)"*)
	check "a trusted list overrides DMARC: dmarc=fail (arc override: ...)" ok ;;
*) check "a trusted list overrides DMARC: dmarc=fail (arc override: ...)" "$a" ;;
esac
h=$(grep 'reason=local_policy' "$T/history" 2>/dev/null)
case $h in
*list.example.test*spf%3Dpass*)
	check "the DMARC history line says local_policy, naming the sealer and its AAR's spf=pass" ok ;;
*) check "the DMARC history line says local_policy, naming the sealer and its AAR's spf=pass" \
	"$(cat "$T/history" 2>/dev/null)" ;;
esac
s=$(sed '/^$/q' "$f" | grep -c '^ARC-Seal:')
[ "$s" = 2 ] && check "list and receiver each added one ARC set" ok ||
	check "list and receiver each added one ARC set" "$s ARC-Seals"
# seals FILE: "i= d= cv=" of each ARC-Seal, one line each, by instance
seals()
{
	sed '/^$/q' "$1" | $PY -c '
import sys, email, re
m = email.message_from_string(sys.stdin.read())
out = []
for v in m.get_all("ARC-Seal") or []:
    t = dict(re.findall(r"(\w+)=([^;]*)", "".join(v.split())))
    out.append("i=%s d=%s cv=%s" % (t.get("i"), t.get("d"), t.get("cv")))
print("; ".join(sorted(out)))'
}
got=$(seals "$f")
want="i=1 d=list.example.test cv=none; i=2 d=mx.example.test cv=pass"
[ "$got" = "$want" ] &&
	check "the list sealed i=1 (cv=none), the receiver i=2 (cv=pass)" ok ||
	check "the list sealed i=1 (cv=none), the receiver i=2 (cv=pass)" "$got"
exit 0
