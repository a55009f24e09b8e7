#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# verify-cli.sh - dkimsa-verify resolving keys and ADSP through the DNS
# layer (--unbound-conf) against the harness zones: secure, insecure,
# bogus, missing and timed-out keys, and the dkim-adsp line.
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/verify-cli.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
if ! { dnsh_init "$dir" && dnsh_build && dnsh_silent_start &&
	dnsh_conf_auth; }; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
sign="$top_builddir/tools/sign/dkimsa-sign"
verify="$top_builddir/tools/verify/dkimsa-verify"
key="$top_srcdir/tests/data/keys/rsa2048.pem"

# row DOMAIN SELECTOR EXPECTED-SUBSTRING LABEL
row() {
	printf 'From: user@%s\r\nTo: x@example.net\r\nSubject: t\r\n\r\nHi.\r\n' "$1" |
		"$sign" -d "$1" -s "$2" -k "$key" > "$dir/msg" 2> "$dir/err"
	"$verify" --unbound-conf "$DNSH_DIR/unbound.conf" --trust-anchor none \
		--now "$(date +%s)" < "$dir/msg" > "$dir/out" 2>> "$dir/err"
	if grep -qF "$3" "$dir/out"; then
		echo "PASS: $4"
	else
		echo "FAIL: $4: got $(tr '\n' '|' < "$dir/out") $(cat "$dir/err")"
	fi
}
row secure.test sel2048 "dkim=pass header.d=secure.test header.s=sel2048 header.a=rsa-sha256" \
	"dkimsa-verify passes a key from the signed zone"
row secure.test sel2048 "(2048-bit key; secure key; signature verified)" \
	"dkimsa-verify marks a DNSSEC-validated key secure"
row secure.test sel2048 "dkim-adsp=pass header.from=user@secure.test" \
	"dkimsa-verify prints the ADSP result for the author domain"
row insecure.test sel2048 "(2048-bit key; unprotected key; signature verified)" \
	"dkimsa-verify marks a key from an unsigned zone unprotected"
row bogus.test sel2048 "dkim=permerror" \
	"dkimsa-verify never passes a key from a tampered zone"
row secure.test nosuch "dkim=permerror" \
	"dkimsa-verify gives permerror for a missing key"
row silent.test sel2048 "dkim=temperror" \
	"dkimsa-verify gives temperror for a key query that times out"
row secure.test sel4096 "dkim=fail" \
	"dkimsa-verify fails a signature made with another key (4096-bit record resolves)"
