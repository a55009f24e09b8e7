#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# dmarc.sh - DMARC in the milter's verify mode (dkimsa.conf(5): DMARC,
# On-DMARCReject, On-DMARCQuarantine, DMARCIgnoreList, On-DNSError), seen
# from the MTA through the milter protocol (tests/milter/mclient.py):
# the reply, and the one Authentication-Results field with its dmarc=
# result.  Policies come from the zone of the DMARC scenario table
# (tests/dmarc/dmarc.zone.in) served to the real libunbound by the DNS
# harness.  One milter per configuration; each row sends one message.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/milter/lib.sh"
sign="$top_builddir/tools/sign/dkimsa-sign"
key="$top_srcdir/tests/data/keys/rsa2048.pem"
milter_init dmarc

mkdir "$T/dns" && dnsh_init "$T/dns" &&
	kr=$(dnsh_dkim_txt "$key") &&
	sed "s|@KEY@|$kr|" "$top_srcdir/tests/dmarc/dmarc.zone.in" \
		>"$T/dmarc.zone" &&
	dnsh_add_zone dmarc.test "$T/dmarc.zone" &&
	dnsh_add_zone dmarcbog.test "$top_srcdir/tests/dmarc/dmarcsec.zone" \
		'tampered:/^_dmarc\.dmarcbog\.test\./s/p=reject/p=none/' &&
	dnsh_build && dnsh_silent_start && dnsh_conf_auth || {
	echo "FAIL: the DNS harness starts: $(tail -5 "$T/dns/harness.log")"
	exit 0
}

# every milter verifies, plus the lines it is started with
milter_base()
{
	cat <<EOC
Mode v
SyslogSuccess yes
SenderID no
ADSP no
InternalHosts csl:127.0.0.1
AuthservID mx.example.test
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 2
EOC
}

# msg NAME FROM-DOMAIN [SIGNING-DOMAIN]: $T/NAME.msg
msg()
{
	printf 'From: user@%s\nTo: rcpt@example.org\nSubject: %s\n' "$2" "$1" \
		>"$T/$1.msg"
	printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\n\nbody\n' >>"$T/$1.msg"
	if [ -n "$3" ]; then
		"$sign" -d "$3" -s sel2048 -k "$key" <"$T/$1.msg" >"$T/$1.tmp" &&
			mv "$T/$1.tmp" "$T/$1.msg"
	fi
}

msg reject-fail reject.dmarc.test
msg reject-pass reject.dmarc.test reject.dmarc.test
msg quar-fail quar.dmarc.test
msg testy-fail testy.dmarc.test
msg none-fail none.dmarc.test
msg silent x.silent.test
msg norec norec.dmarc.test
msg bogus dmarcbog.test
msg idn bücher.dmarc.test

milter_start defaults
milter_start quarantine "On-DMARCQuarantine quarantine"
milter_start rejectaccept "On-DMARCReject accept"
milter_start ignoredomain \
	"DMARCIgnoreList csl:reject.dmarc.test,.quar.dmarc.test"
milter_start ignorenet "DMARCIgnoreList csl:192.0.2.0/24"
milter_start ignoreulabel "DMARCIgnoreList csl:bücher.dmarc.test"
milter_start ignorealabel "DMARCIgnoreList csl:xn--bcher-kva.dmarc.test"
milter_start internal "InternalHosts csl:192.0.2.10"
milter_start off "DMARC no"
milter_start dnsaccept "On-DNSError accept"
milter_start secreject "On-Security reject"
milter_start secaccept "On-Security accept"
milter_wait defaults quarantine rejectaccept ignoredomain ignorenet \
	internal off dnsaccept secreject secaccept ignoreulabel ignorealabel

# row LABEL MILTER MESSAGE WANT-REPLY [A-R SUBSTRING]: WANT-REPLY is
# accept, quarantine, reject or tempfail; the A-R must contain the
# substring ("!dmarc=" : no dmarc= result at all).
row()
{
	got=$(milter_reply "$2" "$3")
	last=$(tail -n 1 "$T/$2-$3.out")
	ar=$(grep '^insheader 0 Authentication-Results:' "$T/$2-$3.out")
	ok=yes
	[ "$got" = "$4" ] || ok=no
	case $5 in
	"") ;;
	"!"*) case $ar in *"${5#!}"*) ok=no ;; esac ;;
	*) case "$ar$last" in *"$5"*) ;; *) ok=no ;; esac ;;
	esac
	if [ $ok = yes ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: got $got, want $4 ($5): $(tr '\n' '|' <"$T/$2-$3.out")"
	fi
}

row "p=reject failure is refused with 550 5.7.1 naming DMARC and the domain" \
	defaults reject-fail reject \
	"5.7.1 dkimsa: rejected by the DMARC policy of reject.dmarc.test"
row "p=reject message with an aligned DKIM signature is accepted" \
	defaults reject-pass accept \
	"dmarc=pass (p=reject dis=none) header.from=reject.dmarc.test policy.dmarc=none"
row "p=quarantine failure is accepted with the verdict by default" \
	defaults quar-fail accept \
	"dmarc=fail (p=quarantine dis=quarantine) header.from=quar.dmarc.test policy.dmarc=quarantine"
row "On-DMARCQuarantine quarantine holds a p=quarantine failure" \
	quarantine quar-fail quarantine
row "t=y lowers reject to quarantine: accepted by default" \
	defaults testy-fail accept "dmarc=fail (p=reject dis=quarantine t=y)"
row "t=y lowers reject to quarantine: held with On-DMARCQuarantine quarantine" \
	quarantine testy-fail quarantine
row "p=none failure is accepted" defaults none-fail accept \
	"policy.dmarc=none"
row "On-DMARCReject accept delivers a p=reject failure with its verdict" \
	rejectaccept reject-fail accept "dmarc=fail (p=reject dis=reject)"
row "DMARCIgnoreList exempts a From domain" \
	ignoredomain reject-fail accept "dmarc=fail"
row "DMARCIgnoreList .domain exempts a From subdomain's quarantine" \
	ignoredomain quar-fail accept "dmarc=fail"
row "DMARCIgnoreList exempts a client network" \
	ignorenet reject-fail accept "dmarc=fail"
row "a client in InternalHosts is never DMARC-checked nor rejected" \
	internal reject-fail accept "!dmarc="
row "DMARC no: no dmarc= result and no DMARC action" \
	off reject-fail accept "!dmarc="
row "a DMARC lookup that times out takes On-DNSError (tempfail 4.4.3)" \
	defaults silent tempfail "4.4.3"
row "On-DNSError accept delivers a DMARC temperror with its result" \
	dnsaccept silent accept "dmarc=temperror"
row "no DMARC record: dmarc=none, accepted" defaults norec accept \
	"dmarc=none"
row "a DNSSEC-bogus DMARC record takes On-Security (tempfail by default)" \
	defaults bogus tempfail "DMARC permerror for dmarcbog.test"
row "On-Security reject rejects a DNSSEC-bogus DMARC record" \
	secreject bogus reject "DMARC permerror for dmarcbog.test"
row "On-Security accept delivers a DNSSEC-bogus DMARC record as permerror" \
	secaccept bogus accept "dmarc=permerror"
row "On-Security accept: the bogus record's p=none is never used" \
	secaccept bogus accept "!policy.dmarc=none"
row "a From domain in U-labels takes the policy of its A-labels" \
	defaults idn reject "DMARC policy of xn--bcher-kva.dmarc.test"
row "DMARCIgnoreList in U-labels exempts that From domain in U-labels" \
	ignoreulabel idn accept "dmarc=fail"
row "DMARCIgnoreList in A-labels exempts that From domain in U-labels" \
	ignorealabel idn accept "dmarc=fail"
row "On-Security reject leaves a p=none failure with a valid record alone" \
	secreject none-fail accept "policy.dmarc=none"
out="$T/defaults-reject-pass.out"
n=$(grep -c 'Authentication-Results:' "$out")
ar=$(grep 'Authentication-Results:' "$out")
case "$n $ar" in
"1 "*spf=none*dkim=pass*dmarc=pass*)
	echo "PASS: the one A-R field carries spf, dkim and dmarc results" ;;
*) echo "FAIL: the one A-R field carries spf, dkim and dmarc results: $n: $ar" ;;
esac
line=$(grep 'DMARC not enforced' "$T/ignoredomain.log" | head -n 1)
case $line in
*"From domain reject.dmarc.test is in DMARCIgnoreList"*)
	echo "PASS: an exemption is logged with its reason" ;;
*) echo "FAIL: an exemption is logged with its reason: $line" ;;
esac
