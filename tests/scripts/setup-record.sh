#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# setup-record.sh - the DNS record that scripts/setup.sh prints for the
# demo key (dkim_txt_record in scripts/common.sh) is the one to publish:
# a message signed with the key verifies, with dkimsa-verify and with
# dkimpy, against exactly the printed text (its quoted strings joined, as
# a DNS server serves them).
: "${top_srcdir:?}" "${top_builddir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-record.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
top=$top_srcdir
build=$T
. "$top_srcdir/scripts/common.sh"
genkey="$top_builddir/tools/genkey/dkimsa-genkey"
sign="$top_builddir/tools/sign/dkimsa-sign"
verify="$top_builddir/tools/verify/dkimsa-verify"

check() # name, then "ok" or the failure detail
{
	if [ "$2" = ok ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi
}

cat >"$T/msg" <<'EOM'
From: Demo <demo@example.test>
To: someone@example.org
Subject: record test
Date: Thu, 26 Nov 2026 12:00:00 +0000
Message-ID: <record-test@example.test>

The body.
EOM

# alg, how the key is made
for kind in rsa-genkey rsa-openssl ed25519-genkey; do
	dir="$T/$kind"
	mkdir "$dir"
	case $kind in
	rsa-genkey)
		"$genkey" -d example.test -s demo -D "$dir" >/dev/null ;;
	rsa-openssl)
		(umask 077 && openssl genpkey -algorithm RSA \
			-pkeyopt rsa_keygen_bits:2048 \
			-out "$dir/demo.private" 2>/dev/null) ;;
	ed25519-genkey)
		"$genkey" -a ed25519 -d example.test -s demo -D "$dir" \
			>/dev/null ;;
	esac
	alg=rsa-sha256
	[ $kind = ed25519-genkey ] && alg=ed25519-sha256
	if ! dkim_txt_record "$genkey" "$dir/demo.private" demo example.test \
		>"$dir/printed" 2>"$dir/err"; then
		check "the printed record ($kind) is made" "$(cat "$dir/err")"
		continue
	fi
	# What a DNS server serves: the character-strings joined.
	awk -F'"' '{ for (i = 2; i <= NF; i += 2) printf "%s", $i }' \
		"$dir/printed" >"$dir/value"
	owner=$(awk 'NR == 1 { print $1 }' "$dir/printed")
	if [ "$owner" = demo._domainkey.example.test. ]; then
		check "the printed record ($kind) names selector and domain" ok
	else
		check "the printed record ($kind) names selector and domain" \
			"owner \"$owner\""
	fi
	if ! "$sign" -d example.test -s demo -k "$dir/demo.private" -a $alg \
		<"$T/msg" >"$dir/signed" 2>"$dir/err"; then
		check "a message signed with the $kind key" "$(cat "$dir/err")"
		continue
	fi
	out=$("$verify" -K "demo._domainkey.example.test=$dir/value" \
		<"$dir/signed" 2>&1)
	case $out in
	*dkim=pass*) check "dkimsa-verify passes with the printed $kind record" ok ;;
	*) check "dkimsa-verify passes with the printed $kind record" \
		"$out; record: $(cat "$dir/value")" ;;
	esac
	out=$(/usr/bin/python3 - "$dir/signed" "$dir/value" <<'EOP' 2>&1
import sys
import dkim
msg = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
msg = msg.replace(b"\n", b"\r\n")
rec = open(sys.argv[2], "rb").read()
print("pass" if dkim.verify(msg, dnsfunc=lambda n, timeout=5: rec) else "fail")
EOP
)
	if [ "$out" = pass ]; then
		check "dkimpy passes with the printed $kind record" ok
	else
		check "dkimpy passes with the printed $kind record" \
			"$out; record: $(cat "$dir/value")"
	fi
done
exit 0
