#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# onactions.sh - the On- actions of a verified message (dkimsa.conf(5),
# ACTIONS), seen from the MTA: each DKIM cause picks its own On- key,
# any passing signature passes the message, and otherwise every
# signature counts and the most severe action wins.  Keys come from the
# real libunbound with the DNS harness's auth-zones (tests/dns/harness.sh):
# insecure.test (good key sel2048, "nokey" without TXT, no "missing"),
# bogus.test (sel2048 fails DNSSEC) and refused.test (every query
# REFUSED).  One milter runs per On- key, set to reject, the others at
# their defaults; each is sent every message of the table below.
# A failing signature whose key has t=y counts as no signature
# (RFC 6376 3.6.1).  Also: the log line of a verified message (one space between results,
# the ; inside a comment kept) and its key notes.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/milter/lib.sh"
sign="$top_builddir/tools/sign/dkimsa-sign"
key="$top_srcdir/tests/data/keys/rsa2048.pem"
milter_init onact

mkdir "$T/dns" && dnsh_init "$T/dns" && dnsh_build && dnsh_conf_auth || {
	echo "FAIL: the DNS harness starts: $(tail -5 "$T/dns/harness.log")"
	exit 0
}

# every milter verifies, plus the lines it is started with
milter_base()
{
	cat <<EOC
Mode v
SyslogSuccess yes
SPF no
SenderID no
ADSP no
AuthservID mx.example.test
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 5
EOC
}

# msg NAME DOMAIN SELECTOR [SED]: $T/NAME.msg from user@DOMAIN signed
# d=DOMAIN s=SELECTOR (no signature when SELECTOR is -), then SED applied
msg()
{
	printf 'From: user@%s\nTo: rcpt@example.org\nSubject: %s\n' "$2" "$1" \
		>"$T/$1.msg"
	printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\n\nbody\n' >>"$T/$1.msg"
	if [ "$3" != - ]; then
		"$sign" -d "$2" -s "$3" -k "$key" <"$T/$1.msg" >"$T/$1.tmp" &&
			mv "$T/$1.tmp" "$T/$1.msg"
	fi
	[ -z "$4" ] || sed -i "$4" "$T/$1.msg"
}

# resign NAME DOMAIN SELECTOR: one more signature on top of $T/NAME.msg
resign()
{
	"$sign" -d "$2" -s "$3" -k "$key" <"$T/$1.msg" >"$T/$1.tmp" &&
		mv "$T/$1.tmp" "$T/$1.msg"
}

# The messages, each named by the cause it should hit.
msg nosig insecure.test -
msg pass insecure.test sel2048
msg badsig insecure.test sel2048 's/^body$/b0dy/'
msg nxdomain insecure.test missing
msg nodata insecure.test nokey
msg bogus bogus.test sel2048
msg dnserror refused.test sel2048
msg sigerror insecure.test sel2048 's/^DKIM-Signature: v=1;/DKIM-Signature: v=2;/'
# two signatures: no key first (on top), then one that fails or passes
msg nokey-bad insecure.test sel2048 's/^body$/b0dy/'
resign nokey-bad insecure.test missing
msg nokey-pass insecure.test sel2048
resign nokey-pass insecure.test missing
# a bad signature whose key is in testing mode (t=y): as unsigned mail
msg testing-bad insecure.test test2048 's/^body$/b0dy/'
messages="nosig pass badsig nxdomain nodata bogus dnserror sigerror"
messages="$messages nokey-bad nokey-pass testing-bad"

# default MESSAGE: what the defaults do with it (dkimsa.conf(5))
default()
{
	case $1 in
	bogus | dnserror) echo tempfail ;;
	*) echo accept ;;
	esac
}

# One milter per On- key set to reject; NAME KEY "MESSAGES it rejects"
rows="defaults - -
nosignature On-NoSignature nosig,testing-bad
badsignature On-BadSignature badsig,nokey-bad
keynotfound On-KeyNotFound nxdomain,nodata,nokey-bad
security On-Security bogus
dnserror On-DNSError dnserror
signatureerror On-SignatureError sigerror
default On-Default nosig,badsig,nxdomain,nodata,bogus,dnserror,sigerror,nokey-bad,testing-bad"
while read -r name k rejects; do
	if [ "$k" = - ]; then
		milter_start "$name"
	else
		milter_start "$name" "$k reject"
	fi
done <<EOR
$rows
EOR
milter_wait $(echo "$rows" | cut -d' ' -f1)

while read -r name k rejects; do
	bad=
	for m in $messages; do
		case ",$rejects," in
		*",$m,"*) want=reject ;;
		*) want=$(default "$m") ;;
		esac
		got=$(milter_reply "$name" "$m")
		[ "$got" = "$want" ] || bad="$bad $m: $got, want $want;"
	done
	if [ "$k" = - ]; then
		label="with the defaults each cause gets its default action"
	else
		label="$k reject rejects $(echo "$rejects" | sed 's/,/, /g')"
		label="$label and no other message"
	fi
	check "$label" "${bad:-ok}"
done <<EOR
$rows
EOR

# Across signatures: the reply names the signature whose action won.
got=$(tail -n 1 "$T/badsignature-nokey-bad.out")
case $got in
*"DKIM fail for d=insecure.test: body hash did not verify"*)
	check "a failing second signature is not hidden by the first" ok ;;
*) check "a failing second signature is not hidden by the first" "$got" ;;
esac

# The log line: results separated by one space, "; " kept in a comment,
# and key notes only when a key record was fetched.
line=$(grep 'mode=verify.*dkim=pass' "$T/defaults.log" | head -n 1)
case $line in
*"dkim=pass (2048-bit key; unprotected key) header.d=insecure.test"*)
	check "the log line keeps a comment's ; and has no double space" \
		"$(echo "$line" | grep '  ' || echo ok)" ;;
*) check "the log line keeps a comment's ; and has no double space" \
	"${line:-$(cat "$T/defaults.log")}" ;;
esac
line=$(grep 'mode=verify.*dkim=temperror' "$T/defaults.log" | head -n 1)
case $line in
*"dkim=temperror (key lookup failed temporarily"*)
	check "a failed key lookup says nothing about the key" \
		"$(echo "$line" | grep 'unprotected\|secure' || echo ok)" ;;
*) check "a failed key lookup says nothing about the key" \
	"${line:-$(cat "$T/defaults.log")}" ;;
esac
exit 0
