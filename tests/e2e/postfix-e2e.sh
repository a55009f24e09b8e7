#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# postfix-e2e.sh - the milter end to end: a real Postfix on loopback with
# dkimsa in smtpd_milters and non_smtpd_milters, the DNS test harness
# serving the sender zones to the milter's libunbound, swaks and
# sendmail(1) sending, dkimpy checking the delivered signatures.
# Outside clients are simulated with XCLIENT (addresses 192.0.2.x).
# DMARC: a p=reject failure refused, a p=quarantine failure delivered with
# its verdict, a pass, the DMARCHistoryFile lines and dkimsa-reports
# reports from them (validated, and mailed to the rua mailbox).
# Needs root (Postfix cannot run otherwise).
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/e2e/pfx.sh"

PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-e2e.XXXXXX") || exit 1
chmod 755 "$T" # the Postfix daemons run as postfix and nobody
MILTER_PID=
cleanup() {
	[ -n "$MILTER_PID" ] && kill "$MILTER_PID" 2>/dev/null
	pfx_stop
	dnsh_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
# check NAME CONDITION-COMMAND... : PASS when the command succeeds
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "${WHY:-check failed}"; fi
	WHY=
}
# checkx NAME 'SHELL EXPRESSION' : the same for an expression (eval)
checkx() {
	if eval "$2" >/dev/null 2>&1; then pass "$1"; else fail "$1" "${WHY:-check failed}"; fi
	WHY=
}

if [ "$(id -u)" != 0 ]; then
	fail "postfix end-to-end tests run" "Postfix needs root; run as root"
	exit 1
fi


# ---- keys and DNS ----
K=$T/keys
mkdir -p "$K"
mkkey() { openssl genpkey -algorithm "$@" 2>/dev/null && chmod 600 "$K"/*; }
mkkey RSA -pkeyopt rsa_keygen_bits:2048 -out "$K/rsa.private"
mkkey ED25519 -out "$K/ed.private"
mkkey RSA -pkeyopt rsa_keygen_bits:2048 -out "$K/in.private"
mkkey RSA -pkeyopt rsa_keygen_bits:2048 -out "$K/second.private"
rsa_rec() { printf 'v=DKIM1; k=rsa; p=%s\n' "$(openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | base64 -w0)"; }
rsa_rec "$K/rsa.private" > "$K/rsa.txt"
rsa_rec "$K/second.private" > "$K/second.txt"
printf 'v=DKIM1; k=ed25519; p=%s\n' "$(openssl pkey -in "$K/ed.private" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)" > "$K/ed.txt"

cat > "$T/sender.zone" <<EOZ
\$TTL 300
@        SOA  ns1 hostmaster 1 3600 600 86400 300
@        NS   ns1
ns1      A    127.0.0.1
@        A    192.0.2.10
@        TXT  "v=spf1 ip4:192.0.2.10 -all"
@        TXT  "spf2.0/mfrom,pra ip4:192.0.2.10 -all"
in._domainkey    TXT ( $(dnsh_dkim_txt "$K/in.private") )
_adsp._domainkey TXT "dkim=all"
EOZ
# DMARC (RFC 9989) senders: p=reject and p=quarantine, SPF passing for
# 192.0.2.10, aggregate reports (RFC 9990) asked for inside the domain.
for pol in reject quarantine; do
	cat > "$T/$pol.zone" <<EOZ
\$TTL 300
@        SOA  ns1 hostmaster 1 3600 600 86400 300
@        NS   ns1
ns1      A    127.0.0.1
@        A    192.0.2.10
@        TXT  "v=spf1 ip4:192.0.2.10 -all"
_dmarc   TXT  "v=DMARC1; p=$pol; rua=mailto:dmarc-rua@$pol.example"
EOZ
done
mkdir -p "$T/dns"
if ! { dnsh_init "$T/dns" && dnsh_add_zone sender.example "$T/sender.zone" &&
	dnsh_add_zone reject.example "$T/reject.zone" &&
	dnsh_add_zone quarantine.example "$T/quarantine.zone" &&
	dnsh_build && dnsh_silent_start && dnsh_conf_auth; }; then
	fail "dns harness starts" "$(tail -n 5 "$T/dns/harness.log" 2>/dev/null)"
	exit 1
fi

# ---- milter ----
MPORT=$(dnsh_free_port)
SPORT=$(dnsh_free_port)
SUBPORT=$(dnsh_free_port)
METPORT=$(dnsh_free_port)
cat > "$T/KeyTable" <<EOK
rsa._domainkey.example.test example.test:rsa:$K/rsa.private
ed._domainkey.example.test example.test:ed:$K/ed.private
EOK
cat > "$T/SigningTable" <<EOS
*@example.test rsa._domainkey.example.test
*@example.test ed._domainkey.example.test
EOS
cat > "$T/dkimsa.conf" <<EOC
# end-to-end test configuration
Socket              inet:$MPORT@127.0.0.1
AllowRoot           yes
Mode                sv
KeyTable            refile:$T/KeyTable
SigningTable        refile:$T/SigningTable
MultipleSignatures  yes
# no AuthservID: ours is Postfix's myhostname (mx.example.test), macro j
TrustAnchorFile     none
UnboundConfigFile   $DNSH_DIR/unbound.conf
DNSTimeout          2
PeerList            csl:192.0.2.77
ExternalIgnoreList  csl:192.0.2.88
MTA                 csl:ORIGINATING
MetricsSocket       inet:$METPORT@127.0.0.1
DMARCHistoryFile    $T/dmarc-history
EOC
"$top_builddir/milter/dkimsa" -f -x "$T/dkimsa.conf" > "$T/milter.log" 2>&1 &
MILTER_PID=$!
if ! pfx_wait_port "$MPORT"; then
	fail "milter starts and listens" "$(cat "$T/milter.log")"
	exit 1
fi
pass "milter starts and listens"
if ! pfx_start "$T/pfx" "$SPORT" "$MPORT" "$SUBPORT"; then
	fail "postfix starts" "$(cat "$T/pfx/start.err" "$T/pfx/maillog" 2>/dev/null | tail -n 5)"
	exit 1
fi
pass "postfix starts with the milter in smtpd_milters and non_smtpd_milters"

SWAKS="swaks --server 127.0.0.1:$SPORT --to bob@example.test"
records="rsa._domainkey.example.test=$K/rsa.txt ed._domainkey.example.test=$K/ed.txt second._domainkey.second.test=$K/second.txt"
dkimpy() { $PY "$top_srcdir/tests/e2e/dkimpy_check.py" "$1" $records; }
# header_count FILE NAME: fields of that name in the delivered header
header_count() { sed '/^$/q' "$1" | grep -ci "^$2:"; }
# ar FILE: our Authentication-Results field, unfolded
ar() { sed '/^$/q' "$1" | $PY -c '
import sys, email
m = email.message_from_string(sys.stdin.read())
for v in m.get_all("Authentication-Results") or []:
    print(" ".join(v.split()))'; }

# metric NAME{LABELS} FILE: one sample of a /metrics page (MetricsSocket)
metric() { awk -v s="$1" '$1 == s { print $2 }' "$2"; }
SIGNED='dkimsa_messages_total{mode="sign",action="accept"}'
curl -s -m 10 "http://127.0.0.1:$METPORT/metrics" > "$T/metrics.0"

# ---- sign path ----
$SWAKS --from alice@example.test --header "Subject: e2e-smtp-sign" \
	--body "hello over smtp" > "$T/s1.log" 2>&1
f=$(pfx_find e2e-smtp-sign)
curl -s -m 10 "http://127.0.0.1:$METPORT/metrics" > "$T/metrics.1"
WHY="$(grep -e '^dkimsa_messages_total' -e '^dkimsa_signatures' "$T/metrics.0" "$T/metrics.1" | grep -v ' 0$')"
checkx "/metrics counts the message Postfix had signed: 1 sign/accept, 1 RSA and 1 Ed25519 signature" \
	"[ \"\$(metric '$SIGNED' $T/metrics.0)\" = 0 ] && [ \"\$(metric '$SIGNED' $T/metrics.1)\" = 1 ] && [ \"\$(metric 'dkimsa_signatures_total{algorithm=\"rsa-sha256\"}' $T/metrics.1)\" = 1 ] && [ \"\$(metric 'dkimsa_signatures_total{algorithm=\"ed25519-sha256\"}' $T/metrics.1)\" = 1 ]"
dkimpy "$f" > "$T/s1.dkimpy" 2>&1
WHY="$(cat "$T/s1.dkimpy" "$T/s1.log" | tail -n 3)"
check "mail submitted over SMTP from 127.0.0.1 is signed and dkimpy verifies it" \
	grep -q "example.test rsa-sha256 pass" "$T/s1.dkimpy"
WHY="$(cat "$T/s1.dkimpy")"
checkx "with two keys for a domain the mail carries an RSA and an ed25519 signature, both verified by dkimpy" \
	"grep -q 'example.test ed25519-sha256 pass' $T/s1.dkimpy && [ $(grep -c pass $T/s1.dkimpy) = 2 ]"

printf 'From: local@example.test\nTo: dave@example.test\nSubject: e2e-pickup-sign\n\nbody from sendmail\n' |
	pfx_sendmail local@example.test dave@example.test
f=$(pfx_find e2e-pickup-sign)
dkimpy "$f" > "$T/s2.dkimpy" 2>&1
WHY="$(cat "$T/s2.dkimpy"; tail -n 3 "$T/milter.log")"
checkx "mail from local sendmail (pickup, non_smtpd_milters) is signed and dkimpy verifies it" \
	"[ $(grep -c pass $T/s2.dkimpy) = 2 ]"

$SWAKS --xclient-addr 192.0.2.50 --auth PLAIN --auth-user user@example.test \
	--auth-password secret --from alice@example.test \
	--header "Subject: e2e-auth-sign" --body "authenticated" > "$T/s3.log" 2>&1
f=$(pfx_find e2e-auth-sign)
dkimpy "$f" > "$T/s3.dkimpy" 2>&1
WHY="$(tail -n 5 "$T/s3.log")"
check "an authenticated session from an outside address is signed" \
	grep -q "rsa-sha256 pass" "$T/s3.dkimpy"

swaks --server "127.0.0.1:$SUBPORT" --to bob@example.test \
	--xclient-addr 192.0.2.60 --from alice@example.test \
	--header "Subject: e2e-mta-sign" --body "via submission" > "$T/s4.log" 2>&1
f=$(pfx_find e2e-mta-sign)
dkimpy "$f" > "$T/s4.dkimpy" 2>&1
WHY="$(tail -n 5 "$T/s4.log")"
check "mail through a service whose {daemon_name} is in MTA is signed" \
	grep -q "rsa-sha256 pass" "$T/s4.dkimpy"

$SWAKS --from alice@example.test --header "Subject: e2e-sign-forged" \
	--add-header "Authentication-Results: mx.example.test; dkim=pass" \
	--body "inside forgery" > "$T/s5.log" 2>&1
f=$(pfx_find e2e-sign-forged)
checkx "an A-R in our name is removed from signed (internal) mail too" \
	"[ -n \"$f\" ] && [ \$(header_count $f Authentication-Results) = 0 ]"

# ---- verify path ----
msg() { # msg FILE SUBJECT FROM [EXTRA HEADER LINES]
	{
		printf 'From: %s\r\nTo: bob@example.test\r\nSubject: %s\r\n' "$3" "$2"
		printf 'Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%s@e2e>\r\n' "$2"
		[ -n "${4:-}" ] && printf '%s' "$4"
		printf '\r\nThe body of %s.\r\n' "$2"
	} > "$1"
}
sign_in() { # sign_in IN OUT DOMAIN SELECTOR KEY
	"$top_builddir/tools/sign/dkimsa-sign" -d "$3" -s "$4" -k "$5" < "$1" > "$2"
}
inbound() { # inbound ADDR FROM DATAFILE LOG
	$SWAKS --xclient-addr "$1" --xclient-name mail.sender.example \
		--from "$2" --data "$3" > "$4" 2>&1
}

msg "$T/in1.eml" e2e-in-pass user@sender.example
sign_in "$T/in1.eml" "$T/in1.signed" sender.example in "$K/in.private"
inbound 192.0.2.10 user@sender.example "$T/in1.signed" "$T/in1.log"
f=$(pfx_find e2e-in-pass)
ar "$f" > "$T/in1.ar"
WHY="$(cat "$T/in1.ar"; tail -n 2 "$T/milter.log")"
checkx "inbound mail gets exactly one Authentication-Results field" \
	"[ $(wc -l < $T/in1.ar) = 1 ]"
for want in "mx.example.test;" "spf=pass smtp.mailfrom=user@sender.example" \
	"sender-id=pass header.from=user@sender.example" \
	"dkim=pass (2048-bit key; unprotected key) header.d=sender.example" \
	"dkim-adsp=pass header.from=user@sender.example"; do
	check "inbound pass case: A-R has \"$want\"" grep -qF "$want" "$T/in1.ar"
done
checkx "after XCLIENT the milter verifies (no signature of ours added)" \
	"[ $(header_count $f DKIM-Signature) = 1 ]"

msg "$T/in2.eml" e2e-in-fail user@sender.example
sign_in "$T/in2.eml" "$T/in2.signed" sender.example in "$K/in.private"
sed -i 's/The body of/The forged body of/' "$T/in2.signed"
inbound 192.0.2.99 user@sender.example "$T/in2.signed" "$T/in2.log"
f=$(pfx_find e2e-in-fail)
ar "$f" > "$T/in2.ar"
WHY="$(cat "$T/in2.ar" "$T/in2.log" | tail -n 4)"
for want in "spf=fail smtp.mailfrom=user@sender.example" \
	"sender-id=fail header.from=user@sender.example" \
	"dkim=fail" "body hash did not verify" \
	"dkim-adsp=fail header.from=user@sender.example"; do
	check "inbound fail case: A-R has \"$want\"" grep -qF "$want" "$T/in2.ar"
done

msg "$T/in3.eml" e2e-in-secure user@secure.test
sign_in "$T/in3.eml" "$T/in3.signed" secure.test sel2048 "$top_srcdir/tests/data/keys/rsa2048.pem"
inbound 192.0.2.10 user@secure.test "$T/in3.signed" "$T/in3.log"
f=$(pfx_find e2e-in-secure)
ar "$f" > "$T/in3.ar"
WHY="$(cat "$T/in3.ar")"
check "a key from a DNSSEC-signed zone is reported secure in the A-R" \
	grep -qF "dkim=pass (2048-bit key; secure) header.d=secure.test" "$T/in3.ar"

forged='Authentication-Results: mx.example.test; dkim=pass header.d=paypal.example\r
Authentication-Results: relay.other.example; spf=pass smtp.mailfrom=a@b.example\r
Authentication-Results: MX.EXAMPLE.TEST;\r
	spf=pass smtp.mailfrom=user@sender.example\r
Authentication-Results: second.other.example; dkim=fail\r
Authentication-Results: (trust me) mx.example.test; dkim=pass\r
'
msg "$T/in4.eml" e2e-in-forged user@sender.example "$(printf "$forged")
"
sign_in "$T/in4.eml" "$T/in4.signed" sender.example in "$K/in.private"
inbound 192.0.2.10 user@sender.example "$T/in4.signed" "$T/in4.log"
f=$(pfx_find e2e-in-forged)
ar "$f" > "$T/in4.ar"
WHY="$(cat "$T/in4.ar")"
# Our authserv-id is the default, Postfix's myhostname (macro j), not the
# machine's host name: the forgeries name myhostname.
checkx "three forged A-R fields with our authserv-id are all removed" \
	"[ $(grep -ci 'mx.example.test' $T/in4.ar) = 1 ] && head -n 1 $T/in4.ar | grep -q '^mx.example.test; spf=pass'"
checkx "A-R fields of other authserv-ids stay, in their order" \
	"sed -n 2,3p $T/in4.ar | tr '\n' '|' | grep -q '^relay.other.example; spf=pass smtp.mailfrom=a@b.example|second.other.example; dkim=fail|$'"
check "the signature over the forged fields still verifies (dkim=pass)" \
	grep -q "dkim=pass" "$T/in4.ar"

# A-R fields a sender can write must neither stop the milter nor
# inject results into ours (issue 9: crash, injection).
msg "$T/in7.eml" e2e-in-empty-servid user@sender.example \
	"$(printf 'Authentication-Results: ""; none\r\n')"
inbound 192.0.2.10 user@sender.example "$T/in7.eml" "$T/in7.log"
f=$(pfx_find e2e-in-empty-servid)
WHY="$(tail -n 3 "$T/in7.log"; tail -n 3 "$T/milter.log")"
checkx "an A-R with an empty quoted authserv-id does not stop the milter" \
	"kill -0 $MILTER_PID && [ -n \"$f\" ] && ar $f | grep -q '^mx.example.test;'"
msg "$T/in8.eml" e2e-in-from-inject '<x@evil.example;dkim=pass;spf=pass>'
inbound 192.0.2.99 user@sender.example "$T/in8.eml" "$T/in8.log"
f=$(pfx_find e2e-in-from-inject)
ours_results() { # the method=result pairs of our A-R, as python3-authres reads it
	sed '/^$/q' "$1" | $PY -c '
import sys, email, authres
m = email.message_from_string(sys.stdin.read())
for v in m.get_all("Authentication-Results") or []:
    h = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + " ".join(v.split()))
    if h.authserv_id == "mx.example.test":
        print(" ".join(sorted("%s=%s" % (r.method, r.result) for r in h.results)))'
}
ours_results "$f" > "$T/in8.res" 2>&1
WHY="$(cat "$T/in8.res"; ar "$f")"
checkx "a From with ; and = inside <> adds no result to our A-R" \
	"[ \"\$(cat $T/in8.res)\" = 'dkim-adsp=permerror dkim=none dmarc=permerror sender-id=fail sender-id=permerror spf=fail spf=none' ]"
msg "$T/in9.eml" e2e-in-two-from user@sender.example \
	"$(printf 'From: boss@bank.example\r\n')"
inbound 192.0.2.10 user@sender.example "$T/in9.eml" "$T/in9.log"
f=$(pfx_find e2e-in-two-from)
ours_results "$f" > "$T/in9.res" 2>&1
WHY="$(cat "$T/in9.res"; ar "$f")"
check "two From fields give dkim-adsp=permerror, neither author is picked" \
	grep -q 'dkim-adsp=permerror' "$T/in9.res"

msg "$T/in5.eml" e2e-in-timeout user@sender.example
sign_in "$T/in5.eml" "$T/in5.signed" silent.test x "$K/in.private"
inbound 192.0.2.10 user@sender.example "$T/in5.signed" "$T/in5.log"
WHY="$(grep -E '^<\*\* |^<- +[245]' "$T/in5.log" | tail -n 2)"
check "a DNS timeout on the DKIM key gives 451 4.4.3 with the default On-DNSError" \
	grep -q '451 4.4.3 dkimsa: DKIM temperror' "$T/in5.log"
checkx "a DNS timeout is never a silent accept" "! pfx_find e2e-in-timeout 1"

$SWAKS --xclient-addr 192.0.2.77 --from alice@example.test \
	--header "Subject: e2e-peer" \
	--add-header "Authentication-Results: mx.example.test; dkim=pass" \
	--body "peer" > "$T/p1.log" 2>&1
f=$(pfx_find e2e-peer)
checkx "PeerList clients pass untouched (no signature, no A-R change)" \
	"[ -n \"$f\" ] && [ \$(header_count $f DKIM-Signature) = 0 ] && grep -q '^Authentication-Results: mx.example.test; dkim=pass' $f"
$SWAKS --xclient-addr 192.0.2.88 --from alice@example.test \
	--header "Subject: e2e-ignored" --body "ignored" > "$T/p2.log" 2>&1
pfx_find e2e-ignored > /dev/null
$SWAKS --xclient-addr 192.0.2.10 --from alice@example.test \
	--header "Subject: e2e-spoof" --body "spoof" > "$T/p3.log" 2>&1
pfx_find e2e-spoof > /dev/null
WHY="$(grep 'tried to send' "$T/milter.log")"
check "an outside host sending as our domain is logged" \
	grep -q "external host 192.0.2.10 tried to send as alice@example.test" "$T/milter.log"
checkx "an ExternalIgnoreList host sending as our domain is not logged" \
	"! grep -q 'external host 192.0.2.88' $T/milter.log"

# ---- DMARC: actions, history, aggregate reports ----
msg "$T/d1.eml" e2e-dmarc-reject user@reject.example
inbound 192.0.2.99 user@reject.example "$T/d1.eml" "$T/d1.log"
WHY="$(grep -E '^<\*\* |^<- +[245]' "$T/d1.log" | tail -n 2)"
check "a p=reject DMARC failure gets 550 5.7.1 naming DMARC and the domain" \
	grep -Eq '550 5.7.1 .*DMARC.*reject.example' "$T/d1.log"
checkx "a p=reject DMARC failure never reaches the mailbox" \
	"! pfx_find e2e-dmarc-reject 1"
msg "$T/d2.eml" e2e-dmarc-quarantine user@quarantine.example
inbound 192.0.2.99 user@quarantine.example "$T/d2.eml" "$T/d2.log"
f=$(pfx_find e2e-dmarc-quarantine)
ar "$f" > "$T/d2.ar" 2>/dev/null
WHY="$(cat "$T/d2.ar" "$T/d2.log" | tail -n 3)"
check "a p=quarantine DMARC failure is delivered with dmarc=fail in the A-R" \
	grep -q "dmarc=fail .*header.from=quarantine.example" "$T/d2.ar"
msg "$T/d3.eml" e2e-dmarc-pass user@reject.example
inbound 192.0.2.10 user@reject.example "$T/d3.eml" "$T/d3.log"
f=$(pfx_find e2e-dmarc-pass)
ar "$f" > "$T/d3.ar" 2>/dev/null
WHY="$(cat "$T/d3.ar" "$T/d3.log" | tail -n 3)"
check "an aligned SPF pass from a p=reject domain is delivered with dmarc=pass" \
	grep -q "dmarc=pass .*header.from=reject.example" "$T/d3.ar"
reports="$top_builddir/tools/reports/dkimsa-reports"
now=$(date +%s)
RMETA="--org-name E2E --email dmarc-reports@example.test --receiver mx.example.test --from $((now - 3600)) --to $((now + 3600))"
mkdir -p "$T/rep"
$reports $RMETA --outdir "$T/rep" "$T/dmarc-history" > "$T/rep.out" 2>&1
WHY="$(cat "$T/dmarc-history" "$T/rep.out")"
checkx "the history file has one whole line per DMARC-evaluated message (3)" \
	"grep -q '3 lines, 3 in the period, 0 bad' $T/rep.out"
checkx "the history records the reject, the quarantine delivery and the pass" \
	"grep -q 'hfrom=reject.example .* dmarc=fail .* disp=reject' $T/dmarc-history && grep -q 'hfrom=quarantine.example .* dmarc=fail' $T/dmarc-history && grep -q 'hfrom=reject.example .* dmarc=pass .* disp=pass' $T/dmarc-history"
for d in reject.example quarantine.example; do
	g=$(ls "$T/rep/mx.example.test!$d!"*.xml.gz 2>/dev/null | head -n 1)
	WHY="$(cat "$T/rep.out"; ls "$T/rep")"
	checkx "dkimsa-reports writes a report for $d that validates against RFC 9990's schema" \
		"[ -n \"$g\" ] && gzip -dc \"$g\" | xmllint --noout --schema $top_srcdir/tests/reports/rfc9990.xsd -"
done
printf '#!/bin/sh\nexec /usr/sbin/sendmail -C %s "$@"\n' "$PFX_CONF" > "$T/pfx-sendmail"
chmod 755 "$T/pfx-sendmail"
$reports $RMETA --outdir "$T/rep" --send --sendmail "$T/pfx-sendmail" \
	--unbound-conf "$DNSH_DIR/unbound.conf" --trust-anchor none \
	"$T/dmarc-history" > "$T/send.out" 2>&1
f=$(pfx_find "Report Domain: reject.example")
WHY="$(cat "$T/send.out"; tail -n 3 "$PFX_DIR/maillog")"
checkx "dkimsa-reports --send delivers the report to the rua mailbox (dmarc-rua@reject.example)" \
	"[ -n \"$f\" ] && grep -qi '^To: dmarc-rua@reject.example' \"$f\" && grep -q 'application/gzip' \"$f\""

# ---- reload ----
$SWAKS --from bob@second.test --header "Subject: e2e-before-reload" \
	--body "not yet" > "$T/r1.log" 2>&1
f=$(pfx_find e2e-before-reload)
checkx "a trusted sender without a key is delivered unsigned (no error)" \
	"[ -n \"$f\" ] && [ \$(header_count $f DKIM-Signature) = 0 ]"
echo "second._domainkey.second.test second.test:second:$K/second.private" >> "$T/KeyTable"
echo "*@second.test second._domainkey.second.test" >> "$T/SigningTable"
echo "On-SPFFail reject" >> "$T/dkimsa.conf"
kill -HUP "$MILTER_PID"
i=0
until grep -q "reloaded" "$T/milter.log" || [ $i -gt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
$SWAKS --from bob@second.test --header "Subject: e2e-after-reload" \
	--body "now signed" > "$T/r2.log" 2>&1
f=$(pfx_find e2e-after-reload)
dkimpy "$f" > "$T/r2.dkimpy" 2>&1
WHY="$(cat "$T/r2.dkimpy"; tail -n 3 "$T/milter.log")"
check "after SIGHUP a new SigningTable entry signs without a restart" \
	grep -q "second.test rsa-sha256 pass" "$T/r2.dkimpy"
checkx "the reload kept the milter running (same process)" \
	"kill -0 $MILTER_PID"
curl -s -m 10 "http://127.0.0.1:$METPORT/metrics" > "$T/metrics.2"
WHY="$(grep -e '^dkimsa_reloads' -e "^$SIGNED" "$T/metrics.2")"
checkx "/metrics after SIGHUP: one successful reload, the sign count kept and grown" \
	"[ \"\$(metric 'dkimsa_reloads_total{outcome=\"success\"}' $T/metrics.2)\" = 1 ] && [ \"\$(metric '$SIGNED' $T/metrics.2)\" -gt 1 ]"

msg "$T/in6.eml" e2e-in-spf-reject user@sender.example
inbound 192.0.2.99 user@sender.example "$T/in6.eml" "$T/in6.log"
WHY="$(grep -E '^<\*\* ' "$T/in6.log" | tail -n 2)"
check "SPF fail with On-SPFFail reject gives 550 5.7.1 naming SPF" \
	grep -q '550 5.7.1 dkimsa: SPF fail for user@sender.example' "$T/in6.log"

printf 'Mode sv\nCanonicalisation relaxed/relaxed\nAuthservID x\n' > "$T/typo.conf"
"$top_builddir/milter/dkimsa" -n -x "$T/typo.conf" > "$T/typo.out" 2>&1
WHY="$(cat "$T/typo.out")"
check "dkimsa -n on a config with a typo names the file and line" \
	grep -qF "$T/typo.conf, line 2: unknown key \"Canonicalisation\"" "$T/typo.out"
"$top_builddir/milter/dkimsa" -n -x "$T/dkimsa.conf" > "$T/ok.out" 2>&1
WHY="$(cat "$T/ok.out")"
check "dkimsa -n accepts the running configuration" grep -q "configuration OK" "$T/ok.out"

kill -TERM "$MILTER_PID"
i=0
while kill -0 "$MILTER_PID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
checkx "SIGTERM stops the milter" "! kill -0 $MILTER_PID"
MILTER_PID=
exit 0
