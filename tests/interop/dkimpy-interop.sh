#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# dkimpy-interop.sh: DKIM interoperability with dkimpy (python3-dkim),
# both ways (RFC 6376, RFC 8463).  gen_messages.py writes ~200 awkward
# messages; each is signed for the four canonicalisation pairs and both
# algorithms (rsa-sha256 with a 2048-bit key, ed25519-sha256):
#   (a) by tools/sign/dkimsa-sign, then verified by dkimpy;
#   (b) by dkimpy, then verified by tools/verify/dkimsa-verify.
# One PASS/FAIL line per message, canonicalisation, algorithm and
# direction.  All dkimpy work runs in one /usr/bin/python3 process per
# direction (dkimpy_side.py).  Keys are made fresh in a mktemp -d
# directory, which is removed at the end.
# Environment: top_builddir, top_srcdir (absolute), as set by
# tests/run-tests.sh.

py=/usr/bin/python3
here="$top_srcdir/tests/interop"
sign="$top_builddir/tools/sign/dkimsa-sign"
verify="$top_builddir/tools/verify/dkimsa-verify"
tab=$(printf '\t')
canons="simple/simple simple/relaxed relaxed/simple relaxed/relaxed"
algs="rsa-sha256 ed25519-sha256"

for tool in "$sign" "$verify"; do
	if [ ! -x "$tool" ]; then
		echo "FAIL: dkimpy interop: $tool is not built"
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-interop.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
keys="$work/keys"
mkdir "$keys" "$work/a" "$work/b"

# Keys: RSA 2048 as PKCS#8 PEM for dkimsa and PKCS#1 PEM for dkimpy;
# Ed25519 as PKCS#8 PEM for dkimsa and the raw base64 seed for dkimpy.
make_keys()
{
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$keys/rsa2048.pem" 2>/dev/null &&
	openssl rsa -in "$keys/rsa2048.pem" -traditional \
		-out "$keys/rsa2048.pkcs1.pem" 2>/dev/null &&
	p=$(openssl pkey -in "$keys/rsa2048.pem" -pubout -outform DER |
		openssl base64 -A) &&
	printf 'v=DKIM1; k=rsa; p=%s\n' "$p" >"$keys/rsa2048.txt" &&
	openssl genpkey -algorithm ed25519 -out "$keys/ed25519.pem" &&
	openssl pkey -in "$keys/ed25519.pem" -outform DER | tail -c 32 |
		openssl base64 -A >"$keys/ed25519.seed" &&
	p=$(openssl pkey -in "$keys/ed25519.pem" -pubout -outform DER |
		tail -c 32 | openssl base64 -A) &&
	printf 'v=DKIM1; k=ed25519; p=%s\n' "$p" >"$keys/ed25519.txt"
}
if ! make_keys; then
	echo "FAIL: dkimpy interop: could not make test keys with openssl"
	exit 1
fi

if ! "$py" "$here/gen_messages.py" "$work/msgs" >"$work/manifest"; then
	echo "FAIL: dkimpy interop: gen_messages.py failed"
	exit 1
fi

selector()
{
	case $1 in
	rsa-sha256) echo rsa2048 ;;
	*) echo ed25519 ;;
	esac
}

# label NAME CANON ALG: the part of a check name after the direction.
label()
{
	echo "$1 $2 $(selector "$3")"
}

# (a) dkimsa signs, dkimpy verifies.  Sign failures are reported here;
# the rest go to dkimpy_side.py in one list.
dir_a="dkimpy verifies dkimsa signature"
: >"$work/a.list"
while IFS="$tab" read -r name path; do
	for c in $canons; do
		for a in $algs; do
			sel=$(selector "$a")
			out="$work/a/$name.${c%/*}-${c#*/}.$sel.eml"
			check="$dir_a: $(label "$name" "$c" "$a")"
			if "$sign" -d example.com -s "$sel" -k "$keys/$sel.pem" \
				-a "$a" -c "$c" <"$path" >"$out" 2>"$work/err"; then
				printf '%s\t%s\t%s\t%s\t%s\n' "$check" "$c" "$a" \
					"$path" "$out" >>"$work/a.list"
			else
				echo "FAIL: $check: dkimsa-sign exit $?:" \
					"$(head -c 300 "$work/err" | tr '\n' ' ')"
			fi
		done
	done
done <"$work/manifest"

# dkimsa-sign also reads dkimpy's own ed25519 key format (base64 seed).
dir_seed="dkimpy verifies dkimsa signature made with a dkimpy seed key"
for name in plain-1 folded-headers-1 utf8-body-1; do
	path="$work/msgs/$name.eml"
	out="$work/a/$name.seed.eml"
	check="$dir_seed: $name relaxed/relaxed ed25519"
	if "$sign" -d example.com -s ed25519 -k "$keys/ed25519.seed" \
		-a ed25519-sha256 -c relaxed/relaxed <"$path" >"$out" \
		2>"$work/err"; then
		printf '%s\t%s\t%s\t%s\t%s\n' "$check" relaxed/relaxed \
			ed25519-sha256 "$path" "$out" >>"$work/a.list"
	else
		echo "FAIL: $check: dkimsa-sign exit $?:" \
			"$(head -c 300 "$work/err" | tr '\n' ' ')"
	fi
done

"$py" "$here/dkimpy_side.py" verify "$keys" "$work/a.list" ||
	echo "FAIL: $dir_a: dkimpy_side.py verify exited with status $?"

# (b) dkimpy signs (one process), dkimsa-verify checks each message.
dir_b="dkimsa verifies dkimpy signature"
: >"$work/b.list"
while IFS="$tab" read -r name path; do
	for c in $canons; do
		for a in $algs; do
			sel=$(selector "$a")
			printf '%s\t%s\t%s\t%s\t%s\n' \
				"$dir_b: $(label "$name" "$c" "$a")" "$c" "$a" \
				"$path" "$work/b/$name.${c%/*}-${c#*/}.$sel.eml"
		done
	done
done <"$work/manifest" >"$work/b.list"

"$py" "$here/dkimpy_side.py" sign "$keys" "$work/b.list" "$work/b.ok" ||
	echo "FAIL: $dir_b: dkimpy_side.py sign exited with status $?"

# verify_one CHECK ALG FILE: dkimsa-verify must exit 0 and print exactly
# one line, "dkim=pass" for d=example.com with the right selector and a=.
verify_one()
{
	"$verify" -K "rsa2048._domainkey.example.com=$keys/rsa2048.txt" \
		-K "ed25519._domainkey.example.com=$keys/ed25519.txt" \
		<"$3" >"$work/vout" 2>"$work/err"
	rc=$?
	line=$(head -n 1 "$work/vout")
	n=$(wc -l <"$work/vout")
	want="header.d=example.com header.s=$(selector "$2") header.a=$2 "
	if [ $rc -ne 0 ]; then
		echo "FAIL: $1: dkimsa-verify exit $rc:" \
			"$(head -c 300 "$work/err" | tr '\n' ' ')"
	elif [ "$n" -ne 1 ]; then
		echo "FAIL: $1: $n result lines:" \
			"$(head -c 300 "$work/vout" | tr '\n' '|')"
	else
		case $line in
		"dkim=pass $want"*) echo "PASS: $1" ;;
		*) echo "FAIL: $1: $line" ;;
		esac
	fi
}

while IFS="$tab" read -r check c a path out; do
	verify_one "$check" "$a" "$out"
done <"$work/b.ok"
exit 0
