#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# arc.sh - ARC (RFC 8617) through the milter, with Node's mailauth as the
# independent oracle (tests/node: installed by npm ci, driven by
# arc-oracle.js): dkimsa verifies chains mailauth seals, mailauth verifies
# chains dkimsa seals, RSA and Ed25519, 1, 2 and 5 hops (the 5 hops
# alternate the two implementations and both check every hop).  Also:
# the arc= result in our A-R, a forged ARC-Authentication-Results naming
# our authserv-id removed, a broken chain sealed with cv=fail, which
# messages each ARCSignMode seals, a seal that fails (its ARCKey file
# replaced on disk by a 384-bit RSA key or by one that does not parse)
# follows On-InternalError, and the ARC settings dkimsa -n refuses.
# Keys come from the real libunbound with the DNS harness's auth-zones
# (arc.test and oracle.test: selectors rsa and ed); mailauth's resolver
# answers from the same records, written to a file.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/milter/lib.sh"
sign="$top_builddir/tools/sign/dkimsa-sign"
apply="$top_srcdir/tests/milter/applymods.py"
oracle="$top_srcdir/tests/node/arc-oracle.js"
keys="$top_srcdir/tests/data/keys"
milter_init arc

MAILAUTH_DIR=$(sh "$top_srcdir/tests/node/install.sh" \
	"$top_builddir/tests/node" 2>"$T/npm.err") || {
	check "mailauth installs with npm ci" "$(tail -5 "$T/npm.err")"
	exit 0
}
export MAILAUTH_DIR

# The key records: one zone file for arc.test (dkimsa's seals) and
# oracle.test (mailauth's), and the same records for mailauth.
cp "$keys/rsa2048.pem" "$keys/ed25519.pem" "$T/" &&
	cp "$keys/rsa2048.pem" "$T/arcweak.pem" &&
	cp "$keys/rsa2048.pem" "$T/arcbroken.pem" &&
	chmod 600 "$T"/*.pem
rsa_p=$(openssl pkey -in "$T/rsa2048.pem" -pubout -outform DER |
	openssl base64 -A)
ed_p=$(openssl pkey -in "$T/ed25519.pem" -pubout -outform DER |
	tail -c 32 | openssl base64 -A)
{
	echo '@ 3600 IN SOA ns.test. h.test. 1 3600 600 86400 60'
	echo '@ 3600 IN NS ns.test.'
	printf 'rsa._domainkey 3600 IN TXT "v=DKIM1; k=rsa; " %s\n' \
		"$(printf 'p=%s' "$rsa_p" | fold -w 200 | sed 's/.*/"&"/' |
			tr '\n' ' ')"
	printf 'ed._domainkey 3600 IN TXT "v=DKIM1; k=ed25519; p=%s"\n' "$ed_p"
} >"$T/arc.zone"
for d in arc.test oracle.test; do
	printf 'rsa._domainkey.%s v=DKIM1; k=rsa; p=%s\n' "$d" "$rsa_p"
	printf 'ed._domainkey.%s v=DKIM1; k=ed25519; p=%s\n' "$d" "$ed_p"
done >"$T/keys.txt"

{
	echo '@ 3600 IN SOA ns.test. h.test. 1 3600 600 86400 60'
	echo '@ 3600 IN NS ns.test.'
	echo '_dmarc 3600 IN TXT "v=DMARC1; p=reject"'
} >"$T/strict.zone"

# sdkim.test: p=reject with strict DKIM alignment
sed 's/p=reject/p=reject; adkim=s/' "$T/strict.zone" >"$T/sdkim.zone"

mkdir "$T/dns" && dnsh_init "$T/dns" &&
	dnsh_add_zone arc.test "$T/arc.zone" &&
	dnsh_add_zone strict.test "$T/strict.zone" &&
	dnsh_add_zone sdkim.test "$T/sdkim.zone" &&
	dnsh_add_zone oracle.test "$T/arc.zone" && dnsh_build &&
	dnsh_conf_auth || {
	echo "FAIL: the DNS harness starts: $(tail -5 "$T/dns/harness.log")"
	exit 0
}

cat >"$T/keytable" <<EOK
dkimkey sender.test:sel:$T/rsa2048.pem
arcrsa arc.test:rsa:$T/rsa2048.pem
arced arc.test:ed:$T/ed25519.pem
arcweak arc.test:rsa:$T/arcweak.pem
arcbroken arc.test:rsa:$T/arcbroken.pem
EOK

# every milter signs for sender.test from 127.0.0.1 and verifies the
# rest, as ${authserv:-mx.example.test}, plus the lines it is started with
milter_base()
{
	cat <<EOC
Mode sv
SyslogSuccess yes
SPF no
SenderID no
ADSP no
AuthservID ${authserv:-mx.example.test}
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 5
KeyTable file:$T/keytable
SigningTable csl:sender.test=dkimkey
EOC
}

milter_start verify
# the sealers are three forwarders, each with its own authserv-id, that
# do not enforce DMARC
authserv=fwd1.example.test
milter_start sealverify "ARCSign yes" "ARCSignMode verify" "ARCKey arcrsa" \
	"DMARC no"
authserv=fwd2.example.test
milter_start sealsign "ARCSign yes" "ARCSignMode sign" "ARCKey arcrsa" \
	"DMARC no"
authserv=fwd3.example.test
milter_start sealboth "ARCSign yes" "ARCKey arced" "DMARC no"
authserv=
milter_start trust "ARCTrustedSealers csl:oracle.test"
milter_start nooldest "ARCOldestPass no"
milter_start nooldesttrust "ARCOldestPass no" \
	"ARCTrustedSealers csl:oracle.test"
milter_start trustarc "ARCTrustedSealers csl:arc.test" \
	"DMARCHistoryFile $T/history"
# their ARCKey files are good at start and replaced on disk later (see
# "a seal that fails")
milter_start sealfail "ARCSign yes" "ARCKey arcweak" "DMARC no"
milter_start sealfailaccept "ARCSign yes" "ARCKey arcbroken" "DMARC no" \
	"On-InternalError accept"
milter_wait verify sealverify sealsign sealboth trust trustarc sealfail \
	sealfailaccept nooldest nooldesttrust

# The first message: from outside (verified) and from sender.test (signed
# when it comes from 127.0.0.1), DKIM-signed by insecure.test.
printf 'From: user@sender.test\nTo: list@example.org\nSubject: arc\n' \
	>"$T/m0.tmp"
printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\nMessage-ID: <a@b>\n' \
	>>"$T/m0.tmp"
printf '\nbody line\n' >>"$T/m0.tmp"
"$sign" -d insecure.test -s sel2048 -k "$keys/rsa2048.pem" \
	<"$T/m0.tmp" >"$T/m0.msg"

# through MILTER IN OUT [IP]: $T/OUT.msg is $T/IN.msg as the milter passes
# it on (from IP, default 192.0.2.10: verified), $T/OUT.mods its changes
through()
{
	python3 "$client" "$T/$1.sock" "$T/$2.msg" "${4:-192.0.2.10}" \
		>"$T/$3.mods" 2>&1
	python3 "$apply" "$T/$2.msg" "$T/$3.mods" >"$T/$3.msg"
}

# mseal IN OUT ALG [AUTHSERV]: mailauth adds a set (d=oracle.test, s=rsa
# or ed), its AAR naming AUTHSERV (default relay.oracle.test)
mseal()
{
	case $3 in
	rsa) set -- "$1" "$2" "$T/rsa2048.pem" rsa rsa-sha256 "$4" ;;
	*) set -- "$1" "$2" "$T/ed25519.pem" ed ed25519-sha256 "$4" ;;
	esac
	node "$oracle" seal "$T/keys.txt" "$3" oracle.test "$4" "$5" \
		"${6:-relay.oracle.test}" 1764158400 \
		<"$T/$1.msg" >"$T/$2.msg" 2>"$T/$2.err" ||
		cp "$T/$2.err" "$T/$2.msg"
}

# mverify NAME: mailauth's verdict on $T/NAME.msg
mverify()
{
	node "$oracle" verify "$T/keys.txt" <"$T/$1.msg" 2>&1
}

# ar NAME: the A-R the milter inserted for NAME (unfolded)
ar()
{
	grep '^insheader 0 Authentication-Results:' "$T/$1.mods" | head -n 1
}

# want NAME LABEL WORD...: each WORD (a fixed string) is in the A-R
want_ar()
{
	n=$1
	label=$2
	shift 2
	a=$(ar "$n")
	bad=
	for w in "$@"; do
		case $a in
		*"$w"*) ;;
		*) bad="no \"$w\" in: ${a:-$(cat "$T/$n.mods")}" ;;
		esac
	done
	check "$label" "${bad:-ok}"
}

# --- dkimsa verifies what mailauth seals ---
through verify m0 v0
if [ -z "$(ar v0)" ]; then
	check "a message without ARC fields gets no arc= result" \
		"$(cat "$T/v0.mods")"
elif ar v0 | grep -q -E '(^|[[:space:];])arc='; then
	check "a message without ARC fields gets no arc= result" "$(ar v0)"
else
	check "a message without ARC fields gets no arc= result" ok
fi
mseal m0 ma1 rsa
through verify ma1 vma1
want_ar vma1 "dkimsa verifies mailauth's 1-hop RSA chain: arc=pass" \
	"arc=pass (sealer oracle.test)"
# oldest-pass (one more RSA verify per earlier set): ARCOldestPass yes
# by default; no leaves it out unless the DMARC override needs it
want_ar vma1 "by default the A-R has header.oldest-pass" \
	"arc=pass (sealer oracle.test)" "header.oldest-pass=0"
through nooldest ma1 noma1
case $(ar noma1) in
*arc=pass*oldest-pass*) check "ARCOldestPass no: the A-R has no header.oldest-pass" \
	"$(ar noma1)" ;;
*arc=pass*) check "ARCOldestPass no: the A-R has no header.oldest-pass" ok ;;
*) check "ARCOldestPass no: the A-R has no header.oldest-pass" \
	"no arc=pass in: $(ar noma1)" ;;
esac
through nooldesttrust ma1 tma1
want_ar tma1 "ARCOldestPass no with ARCTrustedSealers: header.oldest-pass still" \
	"arc=pass (sealer oracle.test)" "header.oldest-pass=0"
mseal m0 me1 ed
through verify me1 vme1
want_ar vme1 "dkimsa verifies mailauth's 1-hop Ed25519 chain: arc=pass" \
	"arc=pass"
mseal ma1 ma2 ed
through verify ma2 vma2
want_ar vma2 "dkimsa verifies mailauth's 2-hop RSA+Ed25519 chain" "arc=pass"
sed 's/^body line/b0dy line/' "$T/ma2.msg" >"$T/ma2bad.msg"
through verify ma2bad vma2bad
want_ar vma2bad "a body changed after the last seal: arc=fail" "arc=fail"

# A set whose AAR names our authserv-id: removed, and the chain fails.
mseal m0 forged rsa mx.example.test
through verify forged vforged
want_ar vforged "an AAR naming our authserv-id makes the chain fail" \
	"arc=fail" "forged ARC-Authentication-Results naming us removed"
if grep -q '^delheader ARC-Authentication-Results 1$' "$T/vforged.mods"; then
	check "an AAR naming our authserv-id is removed" ok
else
	check "an AAR naming our authserv-id is removed" "$(cat "$T/vforged.mods")"
fi
through verify forged sforged 127.0.0.1
if grep -q '^delheader ARC-Authentication-Results 1$' "$T/sforged.mods" &&
	grep -q '^insheader 0 DKIM-Signature:' "$T/sforged.mods"; then
	check "an AAR naming our authserv-id is removed from signed mail" ok
else
	check "an AAR naming our authserv-id is removed from signed mail" \
		"$(cat "$T/sforged.mods")"
fi
# ... also at a milter that seals: the set is oracle.test's, not ours.
mseal m0 forged1 rsa fwd1.example.test
through sealverify forged1 vforged1
want_ar vforged1 "an AAR naming us in a set another domain sealed: arc=fail" \
	"arc=fail" "forged ARC-Authentication-Results naming us removed"

# Our own set from an earlier pass: a message we sealed (sealverify:
# fwd1.example.test, d=arc.test) comes back after a list (mailauth) sealed
# it.  The AAR naming us stays in the chain and on the message, the chain
# passes, our new set makes 3 that mailauth verifies.
through sealverify m0 loop0
mseal loop0 loop1 rsa
through sealverify loop1 loop2
want_ar loop2 "our own set from an earlier pass: the chain passes" "arc=pass"
case $(ar loop2) in
*forged*) check "our own set from an earlier pass: no forgery reported" \
	"$(ar loop2)" ;;
*) check "our own set from an earlier pass: no forgery reported" ok ;;
esac
if grep -q '^delheader ARC-Authentication-Results' "$T/loop2.mods"; then
	check "our own AAR from an earlier pass stays" "$(cat "$T/loop2.mods")"
else
	check "our own AAR from an earlier pass stays" ok
fi
v=$(mverify loop2)
[ "$v" = "arc=pass i=3" ] &&
	check "mailauth verifies the chain with our earlier and new sets" ok ||
	check "mailauth verifies the chain with our earlier and new sets" "$v"
# The same with the body changed after the list sealed it: the chain
# fails, so nothing shows the set was ours: the AAR goes as a forgery.
sed 's/^body line/b0dy line/' "$T/loop1.msg" >"$T/loop1bad.msg"
through sealverify loop1bad loop3
want_ar loop3 "our earlier set in a chain that fails: arc=fail, AAR forged" \
	"arc=fail" "forged ARC-Authentication-Results naming us removed"
if grep -q '^delheader ARC-Authentication-Results 2$' "$T/loop3.mods"; then
	check "our earlier AAR in a failing chain is removed" ok
else
	check "our earlier AAR in a failing chain is removed" \
		"$(cat "$T/loop3.mods")"
fi
# Two AARs naming us at the instance of our set: the copy goes, the
# chain (with the first) still passes.
awk '/^ARC-Authentication-Results: i=1;/ && !done { print; done = 1 } { print }' \
	"$T/loop1.msg" >"$T/loop1dup.msg"
through sealverify loop1dup loop4
want_ar loop4 "a copy of our earlier AAR: removed, the chain passes" \
	"arc=pass" "forged ARC-Authentication-Results naming us removed"
n=$(grep -c '^delheader ARC-Authentication-Results' "$T/loop4.mods")
[ "$n" = 1 ] && check "only the copy of our earlier AAR is removed" ok ||
	check "only the copy of our earlier AAR is removed" \
		"$(cat "$T/loop4.mods")"
# Sign mode removes every AAR naming us (before any validation).
through sealsign m0 sloop0 127.0.0.1
mseal sloop0 sloop1 rsa
through sealsign sloop1 sloop2 127.0.0.1
if grep -q '^delheader ARC-Authentication-Results' "$T/sloop2.mods"; then
	check "sign mode removes our own earlier AAR" ok
else
	check "sign mode removes our own earlier AAR" "$(cat "$T/sloop2.mods")"
fi

through verify ma1 vma1b
if grep -q '^delheader' "$T/vma1b.mods" || [ -z "$(ar vma1b)" ]; then
	check "an AAR naming another authserv-id stays" "$(cat "$T/vma1b.mods")"
else
	check "an AAR naming another authserv-id stays" ok
fi

# --- 5 hops by mailauth, RSA and Ed25519 in turn: both check each hop ---
cp "$T/m0.msg" "$T/h0.msg"
bad=
for h in 1 2 3 4 5; do
	case $h in
	1 | 3 | 5) mseal "h$((h - 1))" "h$h" rsa ;;
	*) mseal "h$((h - 1))" "h$h" ed ;;
	esac
	v=$(mverify "h$h")
	[ "$v" = "arc=pass i=$h" ] || bad="$bad hop $h: mailauth $v;"
	through verify "h$h" "vh$h"
	case $(ar "vh$h") in
	*arc=pass*) ;;
	*) bad="$bad hop $h: dkimsa $(ar "vh$h");" ;;
	esac
done
check "dkimsa verifies each of 5 mailauth hops (RSA, Ed25519 in turn)" \
	"${bad:-ok}"
sed 's/^body line/b0dy line/' "$T/h5.msg" >"$T/h5bad.msg"
through verify h5bad vh5bad
want_ar vh5bad "a body changed after 5 hops: arc=fail" "arc=fail"
# --- mailauth verifies what dkimsa seals ---
# seal_row LABEL MILTER IN OUT IP CV: sealed (CV the cv= wanted, - none
# added) and, when sealed, mailauth says arc=pass at the next instance
seal_row()
{
	through "$2" "$3" "$4" "$5"
	if [ "$6" = - ]; then
		if grep -q 'ARC-Seal:' "$T/$4.mods"; then
			check "$1" "sealed: $(grep ARC-Seal "$T/$4.mods")"
		elif ! grep -q '^insheader 0 [ADK]' "$T/$4.mods"; then
			check "$1" "no A-R or signature: $(cat "$T/$4.mods")"
		else
			check "$1" ok
		fi
		return
	fi
	s=$(grep '^insheader 0 ARC-Seal:' "$T/$4.mods")
	case $s in
	*"cv=$6;"*) ;;
	*)
		check "$1" "no ARC-Seal with cv=$6: $(cat "$T/$4.mods")"
		return
		;;
	esac
	[ "$6" = fail ] && {
		check "$1" ok
		return
	}
	v=$(mverify "$4")
	case $v in
	"arc=pass i="*) check "$1" ok ;;
	*) check "$1" "mailauth: $v" ;;
	esac
}
seal_row "ARCSignMode verify seals a verified message (cv=none, mailauth: pass)" \
	sealverify m0 sv0 192.0.2.10 none
seal_row "ARCSignMode verify leaves a signed message unsealed" \
	sealverify m0 sv0s 127.0.0.1 -
seal_row "ARCSignMode sign seals a signed message (mailauth: pass)" \
	sealsign m0 ss0s 127.0.0.1 none
seal_row "ARCSignMode sign leaves a verified message unsealed" \
	sealsign m0 ss0 192.0.2.10 -
seal_row "ARCSignMode both seals a verified message (Ed25519, mailauth: pass)" \
	sealboth m0 sb0 192.0.2.10 none
seal_row "ARCSignMode both seals a signed message (Ed25519, mailauth: pass)" \
	sealboth m0 sb0s 127.0.0.1 none
seal_row "a passing chain is sealed with cv=pass (mailauth: pass)" \
	sealverify ma1 svma1 192.0.2.10 pass
seal_row "a failed chain is sealed with cv=fail" \
	sealverify ma2bad svbad 192.0.2.10 fail
python3 "$apply" "$T/ma2bad.msg" "$T/svbad.mods" >"$T/svbad.msg"
seal_row "a chain sealed with cv=fail is not sealed again (RFC 8617 5.1.2)" \
	sealboth svbad sbbad 192.0.2.10 -
if grep -q 'DKIM-Signature:' "$T/sb0s.mods"; then
	check "a sealed signed message is DKIM-signed too" ok
else
	check "a sealed signed message is DKIM-signed too" "$(cat "$T/sb0s.mods")"
fi
aar=$(grep '^insheader 0 ARC-Authentication-Results:' "$T/sv0.mods")
case $aar in
*"i=1; fwd1.example.test;"*"dkim=pass"*)
	check "the AAR copies our A-R with i=1" ok ;;
*) check "the AAR copies our A-R with i=1" "${aar:-$(cat "$T/sv0.mods")}" ;;
esac

# --- 5 hops, the two implementations in turn, both checking each hop ---
cp "$T/m0.msg" "$T/h0.msg"
bad=
for h in 1 2 3 4 5; do
	case $h in
	1) through sealverify "h0" "h1" ;;
	2) mseal h1 h2 ed ;;
	3) through sealboth "h2" "h3" ;;
	4) mseal h3 h4 rsa ;;
	5) through sealsign "h4" "h5" 127.0.0.1 ;;
	esac
	v=$(mverify "h$h")
	[ "$v" = "arc=pass i=$h" ] || bad="$bad hop $h: mailauth $v;"
	through verify "h$h" "vh$h"
	case $(ar "vh$h") in
	*arc=pass*) ;;
	*) bad="$bad hop $h: dkimsa $(ar "vh$h");" ;;
	esac
done
check "5 hops sealed in turn by dkimsa and mailauth (RSA, Ed25519) pass both" \
	"${bad:-ok}"
n=$(grep -c '^ARC-Seal:' "$T/h5.msg")
[ "$n" = 5 ] && check "the 5-hop message carries 5 ARC-Seals" ok ||
	check "the 5-hop message carries 5 ARC-Seals" "$n"

# --- DMARC override by a trusted sealer (strict.test: p=reject) ---
sed 's/^From: user@sender.test/From: user@strict.test/' "$T/m0.tmp" \
	>"$T/s0.tmp"
"$sign" -d insecure.test -s sel2048 -k "$keys/rsa2048.pem" \
	<"$T/s0.tmp" >"$T/s0.msg"
mseal s0 s1 rsa
sed 's/^body line/b0dy line/' "$T/s1.msg" >"$T/s1bad.msg"
through sealverify s0 s0arc
mseal s0arc s2 rsa
# override_row LABEL MILTER MSG WANT
override_row()
{
	got=$(milter_reply "$2" "$3")
	[ "$got" = "$4" ] && check "$1" ok || check "$1" "$got, want $4"
}
override_row "DMARC p=reject failing without ARC is rejected" trust s0 reject
override_row "a passing chain from an untrusted sealer does not override" \
	verify s1 reject
# mailauth's AAR says only "arc=none": nothing the override can rely on
override_row "a trusted sealer whose AAR records no pass (mailauth's) does not override" \
	trust s1 reject
override_row "a failing chain from a trusted sealer does not override" \
	trust s1bad reject
override_row "a trusted sealer above an untrusted oldest pass does not override" \
	trust s2 reject

# --- the override reads the trusted sealer's AAR (RFC 8617 7.2) ---
# aseal IN OUT RESULTS [CV]: dkimsa-sign --arc seals IN as arc.test
# (trusted by the trustarc milter), its AAR "relay.arc.test; RESULTS",
# with --cv CV when given
aseal()
{
	"$sign" --arc -d arc.test -s rsa -k "$T/rsa2048.pem" \
		--authserv-id relay.arc.test --results "$3" ${4:+--cv "$4"} \
		--trust-anchor none --unbound-conf "$DNSH_DIR/unbound.conf" \
		<"$T/$1.msg" >"$T/$2.msg" 2>"$T/$2.err" ||
		cp "$T/$2.err" "$T/$2.msg"
}
sed 's/^From: user@sender.test/From: user@sdkim.test/' "$T/m0.tmp" \
	>"$T/k0.tmp"
"$sign" -d insecure.test -s sel2048 -k "$keys/rsa2048.pem" \
	<"$T/k0.tmp" >"$T/k0.msg"
# aar_row LABEL MILTER BASE RESULTS WANT: BASE (s0: From strict.test,
# p=reject relaxed; k0: From sdkim.test, adkim=s) sealed with RESULTS,
# then MILTER's answer
n=0
aar_row()
{
	n=$((n + 1))
	aseal "$3" "aar$n" "$4"
	override_row "$1" "$2" "aar$n" "$5"
}
aar_row "a trusted sealer's AAR with dmarc=pass for the From domain overrides" \
	trustarc s0 "dmarc=pass header.from=strict.test" accept
a=$(grep '^insheader 0 Authentication-Results:' "$T/trustarc-aar$n.out")
case $a in
*"dmarc=fail"*"(arc override: arc.test)"*)
	check "the A-R says dmarc=fail (arc override: arc.test)" ok ;;
*) check "the A-R says dmarc=fail (arc override: arc.test)" \
	"${a:-$(cat "$T/trustarc-aar$n.out")}" ;;
esac
# (the history file writes the comment percent-encoded)
h=$(grep 'reason=local_policy' "$T/history" 2>/dev/null)
case $h in
*"sealer%20arc.test"*"dmarc%3Dpass%20header.from%3Dstrict.test"*)
	check "the history comment names the sealer and the AAR's result" ok ;;
*) check "the history comment names the sealer and the AAR's result" \
	"$(cat "$T/history" 2>/dev/null)" ;;
esac
aar_row "an AAR with an aligned dkim=pass only overrides" \
	trustarc s0 "dkim=pass header.d=strict.test header.s=sel; spf=fail smtp.mailfrom=strict.test" accept
aar_row "an AAR with dkim=pass of a subdomain overrides under relaxed adkim" \
	trustarc s0 "dkim=pass header.d=news.strict.test" accept
aar_row "an AAR with dkim=pass and only header.i overrides (its domain)" \
	trustarc s0 "dkim=pass header.i=list@strict.test" accept
aar_row "an AAR with an aligned spf=pass overrides" \
	trustarc s0 "spf=pass smtp.mailfrom=bounce@strict.test" accept
aar_row "an AAR with an unaligned spf=pass does not override" \
	trustarc s0 "spf=pass smtp.mailfrom=bounce@lists.example.org" reject
if grep -q "ARC sealer arc.test is trusted but its AAR (i=1, relay.arc.test) shows no aligned pass for strict.test" \
	"$T/trustarc.log"; then
	check "the log says why a trusted sealer did not override" ok
else
	check "the log says why a trusted sealer did not override" \
		"$(tail -n 3 "$T/trustarc.log")"
fi
aar_row "an AAR with dmarc=fail does not override" \
	trustarc s0 "dmarc=fail header.from=strict.test" reject
aar_row "an AAR with passes for another From domain does not override" \
	trustarc s0 "dmarc=pass header.from=other.test; dkim=pass header.d=other.test; spf=pass smtp.mailfrom=a@other.test" reject
aar_row "an AAR with dkim=fail for the From domain does not override" \
	trustarc s0 "dkim=fail header.d=strict.test" reject
aar_row "a malformed AAR (a comment that does not end) does not override" \
	trustarc s0 "dkim=pass header.d=strict.test (open" reject
aar_row "a malformed AAR (no = after the method) does not override" \
	trustarc s0 "dkim pass header.d=strict.test" reject
aar_row "an empty AAR (none) does not override" trustarc s0 "" reject
aar_row "an untrusted sealer's AAR with dmarc=pass changes nothing" \
	verify s0 "dmarc=pass header.from=strict.test" reject
aar_row "strict adkim: dkim=pass of a subdomain does not override" \
	trustarc k0 "dkim=pass header.d=news.sdkim.test" reject
aar_row "strict adkim: dkim=pass of the From domain itself overrides" \
	trustarc k0 "dkim=pass header.d=sdkim.test" accept
# A list that validated on the way in, added a footer, and sealed with
# cv=pass (dkimsa-sign --cv): the chain passes with oldest-pass 2, and
# the AAR read is that of instance 2, not of instance 1.
# footer_seal LABEL AAR1 AAR2 WANT
footer_seal()
{
	n=$((n + 1))
	aseal s0 "fs$n" "$2"
	sed 's/^body line/body line -- list footer/' "$T/fs$n.msg" \
		>"$T/fs${n}f.msg"
	aseal "fs${n}f" "aar$n" "$3" pass
	override_row "$1" trustarc "aar$n" "$4"
}
footer_seal "the AAR of the oldest-pass instance (2) with dmarc=pass overrides" \
	"none" "dmarc=pass header.from=strict.test" accept
a=$(grep '^insheader 0 Authentication-Results:' "$T/trustarc-aar$n.out")
case $a in
*"header.oldest-pass=2"*"(arc override: arc.test)"*)
	check "the override came from oldest-pass 2" ok ;;
*) check "the override came from oldest-pass 2" \
	"${a:-$(cat "$T/trustarc-aar$n.out")}" ;;
esac
footer_seal "dmarc=pass at instance 1 does not count when oldest-pass is 2" \
	"dmarc=pass header.from=strict.test" "none" reject
"$sign" --arc -d arc.test -s rsa -k "$T/rsa2048.pem" --authserv-id x \
	--cv maybe <"$T/s0.msg" >/dev/null 2>&1
rc=$?
[ $rc = 2 ] && check "dkimsa-sign --cv other than pass or fail is a usage error" ok ||
	check "dkimsa-sign --cv other than pass or fail is a usage error" "exit $rc"

# --- a seal that fails takes On-InternalError, never a silent pass ---
# The ARCKey file is read again for a seal when it changed on disk (as
# KeyTable keys are): sealfail's is replaced by a 384-bit RSA key (RFC
# 8301 3.2: refused for signing), sealfailaccept's by one that does not
# parse, after each sealed a message with the key it started with.
seal_row "an ARCKey file replaced later seals while it is good (mailauth: pass)" \
	sealfail m0 sfgood 192.0.2.10 none
seal_row "an ARCKey file broken later seals while it is good (mailauth: pass)" \
	sealfailaccept m0 sfagood 192.0.2.10 none
cp "$keys/rsa384.pem" "$T/arcweak.pem"
printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'bm90IGEga2V5' \
	'-----END PRIVATE KEY-----' >"$T/arcbroken.pem"
# sealfail_row LABEL MILTER MSG IP WANT: the reply is WANT, nothing is
# sealed, the log names the seal's failure (the key file and why) and the
# action, and (accept) our A-R (verified) or DKIM-Signature (from
# 127.0.0.1) still goes out
cp "$T/m0.msg" "$T/m0s.msg"
sealfail_row()
{
	got=$(milter_reply "$2" "$3" "$4")
	out="$T/$2-$3.out"
	bad=
	[ "$got" = "$5" ] || bad="$got, want $5;"
	! grep -q 'ARC-' "$out" || bad="$bad ARC fields added;"
	lg=": not sealed"
	[ "$4" != 127.0.0.1 ] || lg=": signed but not sealed"
	case $2 in
	sealfail) why="key $T/arcweak.pem: RSA key is 384 bits; signing keys must have at least 1024" ;;
	*) why="key $T/arcbroken.pem: PEM private key could not be parsed" ;;
	esac
	grep -q "$lg: ARC seal d=arc.test s=rsa: $why.*; action $5\$" \
		"$T/$2.log" || bad="$bad no log line naming the key file;"
	case $5 in
	tempfail)
		tail -n 1 "$out" | grep -q '^replycode 451 4\.3\.0 .*ARC seal' ||
			bad="$bad reply: $(tail -n 1 "$out");" ;;
	accept)
		what=Authentication-Results
		[ "$4" != 127.0.0.1 ] || what=DKIM-Signature
		grep -q "^insheader 0 $what:" "$out" || bad="$bad no $what;" ;;
	esac
	check "$1" "${bad:-ok}"
}
sealfail_row "a seal that fails on a verified message is tempfailed (4.3.0)" \
	sealfail m0 192.0.2.10 tempfail
sealfail_row "a seal that fails on a signed message is tempfailed (4.3.0)" \
	sealfail m0s 127.0.0.1 tempfail
sealfail_row "On-InternalError accept passes a verified message unsealed, logged" \
	sealfailaccept m0 192.0.2.10 accept
sealfail_row "On-InternalError accept passes a signed message unsealed, logged" \
	sealfailaccept m0s 127.0.0.1 accept

# --- the settings dkimsa -n refuses ---
# conf_row LABEL WANT LINES...: dkimsa -n on those lines says WANT
conf_row()
{
	label=$1
	w=$2
	shift 2
	milter_conf bad "$@"
	out=$("$dkimsa" -n -x "$T/bad.conf" 2>&1)
	case $out in
	*"$w"*) check "$label" ok ;;
	*) check "$label" "$out" ;;
	esac
}
conf_row "ARCSign yes without ARCKey is an error" "needs ARCKey" \
	"ARCSign yes"
conf_row "an ARCSignMode other than verify, sign, both is an error" \
	"expected verify, sign or both" "ARCSign yes" "ARCKey arcrsa" \
	"ARCSignMode seal"
conf_row "an ARCKey not in the KeyTable is an error" \
	"no such KeyTable entry" "ARCSign yes" "ARCKey nokey"
conf_row "an ARCTrustedSealers that cannot open is an error" \
	"ARCTrustedSealers file:$T/none: " "ARCTrustedSealers file:$T/none"
milter_conf bad "ARCSign yes" "ARCKey arced"
sed -i '/^SigningTable/d' "$T/bad.conf"
out=$("$dkimsa" -n -x "$T/bad.conf" 2>&1) &&
	check "a KeyTable without SigningTable is fine for ARCKey" ok ||
	check "a KeyTable without SigningTable is fine for ARCKey" "$out"
exit 0
