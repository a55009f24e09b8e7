#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# oracle-mailauth.sh - Node's mailauth (npm package, its RFC 9989 DMARC
# module) as an independent oracle over the DMARC scenario table
# (tests/dmarc/scenarios.tsv): every row runs through dkimsa-verify
# (receiver mode, libunbound on the harness zones) and through mailauth's
# dmarc() with the SPF and DKIM domains that passed and a resolver callback
# answering from the same zones (nsd on 127.0.0.1, tests/dns/harness.sh).
# Each row must agree on the DMARC result and the policy (published and
# after t=y), or be listed in oracle-mailauth.known with mailauth's exact
# answer and the RFC text the two implementations read differently; a
# listed row that agrees fails too (the list must stay true).
#
# mailauth is installed reproducibly by tests/node/install.sh (npm ci of
# tests/node/package-lock.json into $top_builddir/tests/node).  Its DMARC
# module runs on Node 20 (the package as a whole asks for 22).
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/dmarc/oracle-common.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-mailauth.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
nodedir="$top_builddir/tests/node"

if ! mailauth=$(sh "$top_srcdir/tests/node/install.sh" "$nodedir" 2> "$dir/npm.log"); then
	echo "FAIL: mailauth oracle: tests/node/install.sh failed: $(tail -5 "$dir/npm.log")"
	exit 0
fi
echo "PASS: mailauth $(sed -n 's/^ *"version": "\(.*\)".*/\1/p' \
	"$mailauth/package.json" | head -1) installed by npm ci from tests/node/package-lock.json"

if ! { oracle_setup "$dir" && dnsh_nsd_start; }; then
	echo "FAIL: mailauth oracle harness starts: see the messages above"
	exit 1
fi
oracle_dkimsa

# json STRING: a JSON string literal (the table holds printable ASCII)
json() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
jlist() { # space-separated words ("-" none) -> JSON list of strings
	out=
	for w in $1; do
		[ "$w" = - ] || out="$out${out:+,}$(json "$w")"
	done
	printf '[%s]' "$out"
}
while IFS="$ORC_TAB" read -r name from mfrom helo ip spf dk; do
	froms=
	if [ "$from" != - ]; then
		froms=$(printf '%s\n' "$from" | sed 's/ | /\n/g' |
			while IFS= read -r f; do printf '%s,' "$(json "$f")"; done)
	fi
	printf '{"name":%s,"from":[%s],"spf":%s,"dkim":%s}\n' \
		"$(json "$name")" "${froms%,}" "$(jlist "$spf")" "$(jlist "$dk")"
done < "$dir/inputs.tsv" > "$dir/rows.json"

NODE_PATH="$nodedir/node_modules" node "$ORC_SRC/oracle-mailauth.js" \
	"$DNSH_NSD_PORT" < "$dir/rows.json" > "$dir/mailauth.tsv" 2> "$dir/node.err"
if [ ! -s "$dir/mailauth.tsv" ]; then
	echo "FAIL: mailauth oracle runs: $(head -5 "$dir/node.err")"
	exit 0
fi
oracle_compare mailauth "$ORC_SRC/oracle-mailauth.known" "$dir/mailauth.tsv"
exit 0
