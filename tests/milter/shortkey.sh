#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# shortkey.sh - RSA signing keys shorter than 1024 bits are refused where
# they enter (RFC 8301 section 3.2: signers MUST use at least 1024 bits),
# never taken and found out at the first signature: the milter does not
# start with one in its KeyTable, as ARCKey or as KeyFile, and says which
# file and which entry; a reload that brings one in is refused and the
# old keys keep signing and sealing; dkimsa-sign and dkimsa-testkey -k
# refuse one and write nothing.  1024 bits is enough.  (A key replaced
# on disk after start: tests/keytable/lazy.sh for KeyTable keys,
# tests/milter/arc.sh for ARCKey.)  No DNS: the milter only signs here,
# and dkimsa-testkey is pointed at a closed loopback port.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/milter/lib.sh"
keys="$top_srcdir/tests/data/keys"
sign="$top_builddir/tools/sign/dkimsa-sign"
testkey="$top_builddir/tools/testkey/dkimsa-testkey"
milter_init shortkey

for k in rsa2048 rsa1024 rsa512 rsa384; do
	cp "$keys/$k.pem" "$T/$k.pem" || exit 1
done
chmod 600 "$T"/*.pem
weak="RSA key is 384 bits; signing keys must have at least 1024 (RFC 8301 section 3.2)"

# the tables: good.test signs with KeyTable entry kgood (2048 bits); the
# ARC seal is d=arc.test with ARCKey entry (kt NAME LINE...: $T/NAME)
kt()
{
	kt_f=$1
	shift
	printf '%s\n' "$@" >"$T/$kt_f"
}
kt KeyTable "kgood good.test:good:$T/rsa2048.pem" \
	"karc arc.test:arc:$T/rsa2048.pem"
kt SigningTable "good.test kgood"
# milter_base: every configuration's first lines (lib.sh)
milter_base()
{
	cat <<EOC
Mode s
SPF no
SenderID no
ADSP no
DMARC no
AuthservID mx.example.test
EOC
}

# refused LABEL WANT LINES...: dkimsa -f with those lines exits 1 (it
# does not run) and its error has WANT (a fixed string); dkimsa -n fails
refused()
{
	label=$1
	want=$2
	shift 2
	milter_conf bad "$@"
	timeout 10 "$dkimsa" -f -x "$T/bad.conf" >"$T/bad.log" 2>&1
	rc=$?
	bad=
	[ $rc = 1 ] || bad="exit $rc;"
	grep -q -F -- "$want" "$T/bad.log" ||
		bad="$bad no \"$want\" in: $(head -c 400 "$T/bad.log")"
	"$dkimsa" -n -x "$T/bad.conf" >"$T/badn.log" 2>&1 &&
		bad="$bad dkimsa -n passes;"
	check "$label" "${bad:-ok}"
}

kt KeyTable.weak "kgood good.test:good:$T/rsa2048.pem" \
	"kweak weak.test:weak:$T/rsa384.pem"
kt SigningTable.weak "good.test kgood" "weak.test kweak"
refused "a 384-bit RSA key in the KeyTable: the milter does not start" \
	"$T/KeyTable.weak, line 2: key $T/rsa384.pem: $weak" \
	"KeyTable file:$T/KeyTable.weak" "SigningTable file:$T/SigningTable.weak"
kt KeyTable.arcweak "karc arc.test:arc:$T/rsa384.pem"
refused "a 384-bit ARCKey: the milter does not start (entry and file named)" \
	"ARCKey: KeyTable file:$T/KeyTable.arcweak, key \"karc\": key $T/rsa384.pem: $weak" \
	"KeyTable file:$T/KeyTable.arcweak" "ARCSign yes" "ARCKey karc"
refused "a 512-bit KeyFile: the milter does not start" \
	"KeyFile: key $T/rsa512.pem: RSA key is 512 bits; signing keys must have at least 1024" \
	"Domain csl:good.test" "Selector good" "KeyFile $T/rsa512.pem"
# base64 DER written inline in the KeyTable (the PEM body on one line)
inline=$(grep -v '^-----' "$T/rsa384.pem" | tr -d '\n')
kt KeyTable.inline "kgood good.test:good:$inline"
chmod 600 "$T/KeyTable.inline"
refused "a 384-bit key written inline in the KeyTable is refused as short" \
	"$T/KeyTable.inline, line 1: inline key data (not a path: paths start with \"/\"): $weak" \
	"KeyTable file:$T/KeyTable.inline" "SigningTable csl:good.test=kgood"
if grep -q -F -- "$inline" "$T/bad.log"; then
	check "the refused inline key is not printed" "$(cat "$T/bad.log")"
else
	check "the refused inline key is not printed" ok
fi
kt KeyTable.1024 "kgood good.test:good:$T/rsa1024.pem"
milter_conf ok1024 "KeyTable file:$T/KeyTable.1024" \
	"SigningTable file:$T/SigningTable"
out=$("$dkimsa" -n -x "$T/ok1024.conf" 2>&1) &&
	check "a 1024-bit RSA key in the KeyTable is accepted" ok ||
	check "a 1024-bit RSA key in the KeyTable is accepted" "$out"

# --- a reload that brings in a short key is refused ---
printf 'From: user@good.test\nTo: a@example.org\nSubject: k\n' >"$T/m.msg"
printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\nMessage-ID: <k@b>\n' \
	>>"$T/m.msg"
printf '\nbody line\n' >>"$T/m.msg"
milter_start live "KeyTable file:$T/KeyTable" \
	"SigningTable file:$T/SigningTable" "ARCSign yes" "ARCSignMode sign" \
	"ARCKey karc"
milter_wait live
pid=${pids##* }
n=0
# signs_row LABEL: a message from 127.0.0.1 is accepted, DKIM-signed with
# s=good and sealed with s=arc (the keys the milter started with)
signs_row()
{
	n=$((n + 1))
	cp "$T/m.msg" "$T/m$n.msg"
	got=$(milter_reply live "m$n" 127.0.0.1)
	out="$T/live-m$n.out"
	bad=
	[ "$got" = accept ] || bad="$got;"
	grep '^insheader 0 DKIM-Signature:' "$out" | grep -q 's=good;' ||
		bad="$bad no DKIM-Signature s=good;"
	grep '^insheader 0 ARC-Seal:' "$out" | grep -q 's=arc;' ||
		bad="$bad no ARC-Seal s=arc;"
	[ -z "$bad" ] || bad="$bad $(head -c 400 "$out")"
	check "$1" "${bad:-ok}"
}
signs_row "before any reload: signed and sealed"

# reload_row LABEL WANT: after SIGHUP the log says the reload failed,
# keeping the old configuration, with WANT
reload_row()
{
	before=$(grep -c 'failed; keeping the old configuration' "$T/live.log")
	kill -HUP "$pid"
	i=0
	while [ "$(grep -c 'failed; keeping the old configuration' \
		"$T/live.log")" = "$before" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	bad=
	[ $i -lt 50 ] || bad="no failed reload logged;"
	grep -q -F -- "$2" "$T/live.log" || bad="$bad no \"$2\" in the log;"
	check "$1" "${bad:-ok}"
}
kt KeyTable "kgood good.test:good:$T/rsa384.pem" \
	"karc arc.test:arc:$T/rsa2048.pem"
reload_row "a reload with a 384-bit KeyTable key is refused, naming it" \
	"$T/KeyTable, line 1: key $T/rsa384.pem: $weak"
signs_row "after it the old keys still sign and seal"
kt KeyTable "kgood good.test:good:$T/rsa2048.pem" \
	"karc arc.test:arc:$T/rsa384.pem"
reload_row "a reload with a 384-bit ARCKey is refused, naming it" \
	"ARCKey: KeyTable file:$T/KeyTable, key \"karc\": key $T/rsa384.pem: $weak"
signs_row "after it the old ARCKey still seals"

# --- the command-line tools ---
# tool_row LABEL WANT-EXIT COMMAND...: exits WANT-EXIT, nothing on stdout,
# stderr (or stdout, for testkey) names the file and the size
tool_row()
{
	label=$1
	want=$2
	shift 2
	"$@" <"$T/m.msg" >"$T/tool.out" 2>"$T/tool.err"
	rc=$?
	bad=
	[ $rc = "$want" ] || bad="exit $rc, want $want;"
	grep -q -F -- "$T/rsa384.pem: $weak" "$T/tool.err" "$T/tool.out" ||
		bad="$bad no reason: $(cat "$T/tool.err" "$T/tool.out")"
	check "$label" "${bad:-ok}"
}
tool_row "dkimsa-sign refuses a 384-bit RSA key" 1 \
	"$sign" -d good.test -s good -k "$T/rsa384.pem"
if [ -s "$T/tool.out" ]; then
	check "dkimsa-sign writes no unsigned message" "$(cat "$T/tool.out")"
else
	check "dkimsa-sign writes no unsigned message" ok
fi
tool_row "dkimsa-sign --arc refuses a 384-bit RSA key" 1 \
	"$sign" --arc -d arc.test -s arc -k "$T/rsa384.pem" --authserv-id x
tool_row "dkimsa-testkey -k refuses a 384-bit RSA key (exit 6)" 6 \
	"$testkey" -d good.test -s good -k "$T/rsa384.pem" --trust-anchor none \
	--nameserver 127.0.0.1@9
"$sign" -d good.test -s good -k "$T/rsa1024.pem" <"$T/m.msg" \
	>"$T/tool.out" 2>&1 && grep -q '^DKIM-Signature:' "$T/tool.out" &&
	check "dkimsa-sign signs with a 1024-bit RSA key" ok ||
	check "dkimsa-sign signs with a 1024-bit RSA key" "$(cat "$T/tool.out")"
exit 0
