#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# opendkim-keys.sh - OpenDKIM's keys that dkimsa implements, seen from
# the MTA (SubDomains, SignatureTTL, RemoveOldSignatures), and what
# "dkimsa -n" says about OpenDKIM keys and about errors found once the
# file is read (the line of the key that named a table or key, and what
# the value was probably meant to be).
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/milter/lib.sh"
milter_init odk

openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null
chmod 600 "$T/ed.private"

# every milter signs with Ed25519, plus the lines it is started with
milter_base()
{
	printf 'Mode s\nSignatureAlgorithm ed25519-sha256\n'
}

# milter NAME LINES...: dkimsa -f on $T/NAME.sock (signing example.test
# with KeyFile unless NAME starts with "table"), plus LINES, waited for
milter()
{
	case $1 in
	table*) milter_start "$@" ;;
	*) milter_start "$@" "Domain csl:example.test" "KeyFile $T/ed.private" \
		"Selector ed" ;;
	esac
	milter_wait "$1"
}

message() # FROM, extra header lines: a message in $T/msg
{
	{
		printf 'From: %s\nTo: rcpt@example.org\nSubject: keys\n' "$1"
		shift
		for h in "$@"; do
			printf '%s\n' "$h"
		done
		printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\n\nbody\n'
	} >"$T/msg"
}

tag() # TAG: its value in the DKIM-Signature the milter inserted
{
	grep '^insheader .*DKIM-Signature' "$T/out" | tr -d '\r\n\t ' |
		tr ';' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# KeyTable and SigningTable: key "k" signs as the domain that matched (%)
printf 'k %%:ed:%s\n' "$T/ed.private" >"$T/KeyTable"
printf 'example.test k\n' >"$T/SigningTable"
milter plain
milter tablesub "KeyTable file:$T/KeyTable" "SigningTable file:$T/SigningTable" \
	"SubDomains yes"
milter table "KeyTable file:$T/KeyTable" "SigningTable file:$T/SigningTable"
milter subdomains "SubDomains yes"
milter ttl "SignatureTTL 3600"
milter removeold "RemoveOldSignatures yes"

message "a@mail.example.test"
python3 "$client" "$T/plain.sock" "$T/msg" >"$T/out" 2>&1
if grep -q DKIM-Signature "$T/out"; then
	check "without SubDomains a subdomain is not signed" "$(cat "$T/out")"
else
	check "without SubDomains a subdomain is not signed" ok
fi
python3 "$client" "$T/subdomains.sock" "$T/msg" >"$T/out" 2>&1
if [ "$(tag d)" = example.test ]; then
	check "SubDomains signs a subdomain with the listed domain" ok
else
	check "SubDomains signs a subdomain with the listed domain" \
		"$(cat "$T/out" "$T/subdomains.log")"
fi
python3 "$client" "$T/tablesub.sock" "$T/msg" >"$T/out" 2>&1
if [ "$(tag d)" = example.test ]; then
	check "SubDomains finds the SigningTable entry of a parent domain" ok
else
	check "SubDomains finds the SigningTable entry of a parent domain" \
		"$(cat "$T/out" "$T/tablesub.log")"
fi
python3 "$client" "$T/table.sock" "$T/msg" >"$T/out" 2>&1
if grep -q DKIM-Signature "$T/out"; then
	check "without SubDomains the SigningTable's parent entry is not used" \
		"$(cat "$T/out")"
else
	check "without SubDomains the SigningTable's parent entry is not used" ok
fi

message "a@example.test"
python3 "$client" "$T/ttl.sock" "$T/msg" >"$T/out" 2>&1
t=$(tag t)
x=$(tag x)
if [ -n "$t" ] && [ -n "$x" ] && [ $((x - t)) -eq 3600 ]; then
	check "SignatureTTL sets x= that far after t=" ok
else
	check "SignatureTTL sets x= that far after t=" "$(cat "$T/out")"
fi
python3 "$client" "$T/plain.sock" "$T/msg" >"$T/out" 2>&1
if [ -n "$(tag t)" ] && [ -z "$(tag x)" ]; then
	check "without SignatureTTL there is no x=" ok
else
	check "without SignatureTTL there is no x=" "$(cat "$T/out")"
fi

message "a@example.test" "DKIM-Signature: v=1; d=old.example; s=a; b=x" \
	"DKIM-Signature: v=1; d=old2.example; s=b; b=y"
python3 "$client" "$T/removeold.sock" "$T/msg" >"$T/out" 2>&1
if grep -q "^delheader DKIM-Signature 2$" "$T/out" &&
	grep -q "^delheader DKIM-Signature 1$" "$T/out" &&
	grep -q "^insheader .*DKIM-Signature:.*d=example.test" "$T/out"; then
	check "RemoveOldSignatures removes the fields the message came with" ok
else
	check "RemoveOldSignatures removes the fields the message came with" \
		"$(cat "$T/out")"
fi
python3 "$client" "$T/plain.sock" "$T/msg" >"$T/out" 2>&1
if grep -q "^delheader DKIM-Signature" "$T/out"; then
	check "without RemoveOldSignatures old signatures stay" \
		"$(cat "$T/out")"
else
	check "without RemoveOldSignatures old signatures stay" ok
fi

# dkimsa -n: label | lines (\n-separated) | exit status | expected text
# (%F stands for the file's name)
while IFS='|' read -r label lines rc want; do
	printf 'Mode s\nAllowRoot yes\n%b\n' "$lines" >"$T/n.conf"
	out=$("$dkimsa" -n -x "$T/n.conf" 2>&1)
	got=$?
	want=$(printf '%s' "$want" | sed "s#%F#$T/n.conf#g")
	case $out in
	*"$want"*) [ "$got" -eq "$rc" ] && ok=ok || ok="exit $got: $out" ;;
	*) ok="exit $got: $out" ;;
	esac
	check "dkimsa -n: $label" "$ok"
done <<EOR
an ignored OpenDKIM key is a warning and the file is OK|AutoRestart yes\nAutoRestartRate 10/1h|0|%F, line 3: warning: OpenDKIM's AutoRestart is ignored (use systemd's Restart=); see dkimsa-migration(7)
a refused OpenDKIM key is an error with the reason|TrustSignaturesFrom csl:example.com|1|%F, line 3: OpenDKIM's TrustSignaturesFrom is not supported: third-party signatures would be trusted
a bare list in InternalHosts names its line and csl:|\nInternalHosts 192.168.0.0/16, 10.0.0.0/8|1|%F, line 4: InternalHosts 192.168.0.0/16, 10.0.0.0/8: 192.168.0.0/16, 10.0.0.0/8: No such file or directory; a value without a type is a file name (as in OpenDKIM); write a list as csl:
a table that cannot be opened names its line|MTA file:$T/no-such-table|1|%F, line 3: MTA file:$T/no-such-table:
a relative KeyFile names its line and says it is read as a key|Domain csl:example.test\nSelector s\nKeyFile keys/s.private|1|%F, line 5: KeyFile: 
a relative KeyFile says how to write a path|Domain csl:example.test\nSelector s\nKeyFile keys/s.private|1|write a path as /PATH or ./PATH
a library option out of its range names its line|Mode v\nDNSTimeout 0|1|%F, line 4: DNSTimeout: 0 is out of range (0.001-3600)
a bad Nameservers names its line|Mode v\nTrustAnchorFile none\n\nNameservers 127.0.0.1@99999|1|%F, line 6: Nameservers: "127.0.0.1@99999" is not ADDR or ADDR@PORT
KeyTable without SigningTable names its line|\nKeyTable csl:a=example.test:s:$T/ed.private|1|%F, line 4: KeyTable and SigningTable go together
EOR
exit 0
