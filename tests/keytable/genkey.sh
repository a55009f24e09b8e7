#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# genkey.sh - dkimsa-genkey: file modes, PEM, the BIND TXT record (strings
# of at most 255 bytes, the tags asked for), refusal to overwrite, option
# checks, --zone from a KeyTable; and the round trip: a message signed
# with the generated .private verifies with dkimsa-verify and with dkimpy
# against the generated .txt record, for RSA and Ed25519.
. "$top_srcdir/tests/keytable/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/kt-genkey.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
SIGN="$top_builddir/tools/sign/dkimsa-sign"
VERIFY="$top_builddir/tools/verify/dkimsa-verify"
mkdir "$T/k"

# The quoted strings of a .txt file, one per line.
strings_of() {
	grep -o '"[^"]*"' "$1" | sed 's/^"//; s/"$//'
}

expect_rc genkey-rsa-default 0 "$GENKEY" -d example.com -s sel -D "$T/k"
grep_out genkey-prints-keytable-line \
	"^sel._domainkey.example.com example.com:sel:$T/k/sel.private\$"
grep_out genkey-prints-signingtable-line \
	'^\*@example.com sel._domainkey.example.com$'
check genkey-private-mode-0600 sh -c \
	"[ \"\$(stat -c %a '$T/k/sel.private')\" = 600 ]"
check genkey-private-is-pem grep -q -- '-----BEGIN RSA PRIVATE KEY-----' \
	"$T/k/sel.private"
check genkey-rsa-2048-bits sh -c \
	"openssl pkey -in '$T/k/sel.private' -text -noout | grep -q '2048 bit'"
check genkey-txt-owner-and-type grep -q \
	'^sel._domainkey	IN	TXT	( "v=DKIM1; k=rsa; "' "$T/k/sel.txt"
check genkey-txt-strings-at-most-255 sh -c \
	"! grep -o '\"[^\"]*\"' '$T/k/sel.txt' | awk 'length(\$0) > 257' | grep -q ."
check genkey-txt-split-in-several-strings sh -c \
	"[ \$(grep -o '\"[^\"]*\"' '$T/k/sel.txt' | wc -l) -ge 3 ]"
# The joined record's p= is the key's public half.
want=$(openssl pkey -in "$T/k/sel.private" -pubout -outform DER | openssl base64 -A)
got=$(strings_of "$T/k/sel.txt" | tr -d '\n' | sed 's/.*p=//')
check genkey-txt-p-is-public-key test "$got" = "$want"

expect_rc genkey-refuses-overwrite 2 "$GENKEY" -d example.com -s sel -D "$T/k"
grep_out genkey-refusal-message "sel.private exists; use --force"
check genkey-refusal-keeps-key sh -c \
	"openssl pkey -in '$T/k/sel.private' -pubout -outform DER | openssl base64 -A | grep -qx '$want'"
: > "$T/k/only.txt"
expect_rc genkey-refuses-existing-txt 2 "$GENKEY" -d example.com -s only -D "$T/k"
check genkey-refusal-writes-no-private test ! -e "$T/k/only.private"
expect_rc genkey-force-replaces 0 "$GENKEY" -d example.com -s sel -D "$T/k" --force
check genkey-force-new-key sh -c \
	"! openssl pkey -in '$T/k/sel.private' -pubout -outform DER | openssl base64 -A | grep -qx '$want'"
check genkey-force-keeps-mode sh -c \
	"[ \"\$(stat -c %a '$T/k/sel.private')\" = 600 ]"

expect_rc genkey-flags 0 "$GENKEY" -d example.com -s flags -D "$T/k" -b 1024 \
	-t -r --hash sha256 --note 'key for "tests"; 2024'
rec=$(strings_of "$T/k/flags.txt" | tr -d '\n')
case $rec in
"v=DKIM1; h=sha256; k=rsa; n=key=20for=20=22tests=22=3B=202024; s=email; t=y; p="*)
	echo "PASS: genkey-flags-tags" ;;
*) echo "FAIL: genkey-flags-tags: $rec" ;;
esac
check genkey-rsa-1024-bits sh -c \
	"openssl pkey -in '$T/k/flags.private' -text -noout | grep -q '1024 bit'"
expect_rc genkey-rsa-4096 0 "$GENKEY" -d example.com -s big -D "$T/k" -b 4096
check genkey-4096-strings-at-most-255 sh -c \
	"! grep -o '\"[^\"]*\"' '$T/k/big.txt' | awk 'length(\$0) > 257' | grep -q ."
expect_rc genkey-ed25519 0 "$GENKEY" -d example.com -s ed -a ed25519 -D "$T/k"
check genkey-ed25519-pkcs8 grep -q -- '-----BEGIN PRIVATE KEY-----' "$T/k/ed.private"
check genkey-ed25519-record grep -q '"v=DKIM1; k=ed25519; "' "$T/k/ed.txt"

expect_rc genkey-bits-too-small 2 "$GENKEY" -d example.com -s x -D "$T/k" -b 512
grep_out genkey-bits-message "1024 to 4096"
expect_rc genkey-bits-too-big 2 "$GENKEY" -d example.com -s x -D "$T/k" -b 8192
expect_rc genkey-ed25519-no-bits 2 "$GENKEY" -d example.com -s x -a ed25519 -b 256 -D "$T/k"
expect_rc genkey-unknown-alg 2 "$GENKEY" -d example.com -s x -a dsa -D "$T/k"
expect_rc genkey-sha1-refused 2 "$GENKEY" -d example.com -s x --hash sha1 -D "$T/k"
expect_rc genkey-needs-selector 2 "$GENKEY" -d example.com -D "$T/k"
expect_rc genkey-bad-selector 2 "$GENKEY" -d example.com -s ../x -D "$T/k"
expect_rc genkey-missing-dir 2 "$GENKEY" -d example.com -s x -D "$T/nodir"

# --zone: every KeyTable key as a TXT record with a full owner name.
cat > "$T/KeyTable" <<TAB
sel._domainkey.example.com example.com:sel:$T/k/sel.private
ed._domainkey.example.com example.com:ed:$T/k/ed.private
mail._domainkey.example.org example.org:mail:$T/k/big.private
TAB
expect_rc genkey-zone 0 "$GENKEY" --zone "refile:$T/KeyTable"
cp "$T/out" "$T/zone"
check genkey-zone-three-records sh -c "[ \$(grep -c 'IN	TXT' '$T/zone') -eq 3 ]"
grep_out genkey-zone-fqdn-owner '^mail._domainkey.example.org.	IN	TXT'
p_sel=$(strings_of "$T/k/sel.txt" | tr -d '\n')
check genkey-zone-same-record-as-txt sh -c \
	"awk '/^sel._domainkey/,/\\)/' '$T/zone' | grep -o '\"[^\"]*\"' | sed 's/^\"//; s/\"\$//' | tr -d '\n' | grep -qxF '$p_sel'"
expect_rc genkey-zone-domain-filter 0 "$GENKEY" --zone "$T/KeyTable" -d example.org
check genkey-zone-filter-one sh -c "[ \$(grep -c 'IN	TXT' '$T/out') -eq 1 ]"
expect_rc genkey-zone-missing-table 2 "$GENKEY" --zone "$T/none"

# Round trip: sign with the new keys, verify against the new records.
printf 'From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: round trip\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello.\r\n' > "$T/msg"
"$SIGN" -d example.com -s sel -k "$T/k/sel.private" < "$T/msg" > "$T/s1" &&
"$SIGN" -d example.com -s ed -k "$T/k/ed.private" -a ed25519-sha256 < "$T/s1" > "$T/s2"
check roundtrip-signs test -s "$T/s2"
expect_rc roundtrip-dkimsa-verify 0 "$VERIFY" \
	-K "sel._domainkey.example.com=$T/k/sel.txt" \
	-K "ed._domainkey.example.com=$T/k/ed.txt" < "$T/s2"
check roundtrip-dkimsa-rsa-pass grep -q 'dkim=pass header.d=example.com header.s=sel' "$T/out"
check roundtrip-dkimsa-ed25519-pass grep -q 'dkim=pass header.d=example.com header.s=ed' "$T/out"
cat > "$T/dkimpy.py" <<'PY'
import re, sys
import dkim
d = sys.argv[1]
def txt(sel):
    s = open("%s/%s.txt" % (d, sel)).read()
    return "".join(re.findall(r'"([^"]*)"', s)).encode()
def dnsfunc(name, timeout=5):
    return txt(name.decode().split(".")[0])
msg = open(sys.argv[2], "rb").read()
v = dkim.DKIM(msg)
n = len([l for l in msg.split(b"\r\n\r\n")[0].split(b"\r\n") if l.lower().startswith(b"dkim-signature:")])
ok = [v.verify(idx=i, dnsfunc=dnsfunc) for i in range(n)]
print(n, ok)
sys.exit(0 if n == 2 and all(ok) else 1)
PY
expect_rc roundtrip-dkimpy-verifies-both 0 /usr/bin/python3 "$T/dkimpy.py" "$T/k" "$T/s2"
sed 's/Hello\./Hello!/' "$T/s2" > "$T/bad"
expect_rc roundtrip-dkimpy-detects-change 1 /usr/bin/python3 "$T/dkimpy.py" "$T/k" "$T/bad"
