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
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-mailauth.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
src="$top_srcdir/tests/dmarc"
key="$top_srcdir/tests/data/keys/rsa2048.pem"
sign="$top_builddir/tools/sign/dkimsa-sign"
verify="$top_builddir/tools/verify/dkimsa-verify"
nodedir="$top_builddir/tests/node"

# ---- mailauth, from tests/node/package-lock.json ----
if ! mailauth=$(sh "$top_srcdir/tests/node/install.sh" "$nodedir" 2> "$dir/npm.log"); then
	echo "FAIL: mailauth oracle: tests/node/install.sh failed: $(tail -5 "$dir/npm.log")"
	exit 0
fi
echo "PASS: mailauth $(sed -n 's/^ *"version": "\(.*\)".*/\1/p' \
	"$mailauth/package.json" | head -1) installed by npm ci from tests/node/package-lock.json"

# ---- the scenario zones, for libunbound and for nsd ----
scen_zones() {
	kr=$(dnsh_dkim_txt "$key") || return 1
	sed "s|@KEY@|$kr|" "$src/dmarc.zone.in" > "$DNSH_DIR/dmarc.zone" &&
		dnsh_add_zone dmarc.test "$DNSH_DIR/dmarc.zone" &&
		dnsh_add_zone dmarcsec.test "$src/dmarcsec.zone" signed &&
		dnsh_add_zone dmarcbog.test "$src/dmarcsec.zone" \
			'tampered:/^_dmarc\.dmarcbog\.test\./s/p=reject/p=none/'
}
if ! { dnsh_init "$dir" && scen_zones && dnsh_build && dnsh_silent_start &&
	dnsh_conf_auth && dnsh_nsd_start; }; then
	echo "FAIL: mailauth oracle harness starts: see the messages above"
	exit 1
fi

# message FROM DKIM: the row's message (as tests/dmarc/scenarios.sh makes it)
message() {
	{
		if [ "$1" != - ]; then
			printf '%s\n' "$1" | sed 's/ | /\n/g' |
				sed 's/^/From: /; s/$/\r/'
		fi
		printf 'To: rcpt@example.net\r\nSubject: scenario\r\n'
		printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\r\n'
		printf 'Message-ID: <scenario@dmarc.test>\r\n\r\nHello.\r\n'
	} > "$dir/m0"
	for d in $(printf '%s' "$2" | tr ',' ' '); do
		case $d in *:bad) ;; *) continue ;; esac
		"$sign" -d "${d%:bad}" -s sel2048 -k "$key" < "$dir/m0" \
			> "$dir/m1" 2>> "$dir/err" || return 1
		mv "$dir/m1" "$dir/m0"
		printf 'Changed after signing.\r\n' >> "$dir/m0"
	done
	for d in $(printf '%s' "$2" | tr ',' ' '); do
		case $d in *:bad | -) continue ;; esac
		"$sign" -d "$d" -s sel2048 -k "$key" < "$dir/m0" \
			> "$dir/m1" 2>> "$dir/err" || return 1
		mv "$dir/m1" "$dir/m0"
	done
	cat "$dir/m0"
}

# json STRING: a JSON string literal (the table holds printable ASCII)
json() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
jlist() { # space-separated words -> JSON list of strings
	out=
	for w in $1; do out="$out${out:+,}$(json "$w")"; done
	printf '[%s]' "$out"
}

# ---- dkimsa-verify on every row; mailauth's input from its SPF/DKIM ----
tab=$(printf '\t')
: > "$dir/dkimsa.tsv"
: > "$dir/rows.json"
grep -v '^#' "$src/scenarios.tsv" | grep -v '^$' |
	while IFS="$tab" read -r name from mfrom helo ip dkim _; do
		: > "$dir/err"
		set -- --unbound-conf "$DNSH_DIR/unbound.conf" --trust-anchor none \
			--dns-timeout 2 --client-ip "$ip" --helo "$helo"
		[ "$mfrom" != - ] && set -- "$@" --mail-from "$mfrom"
		message "$from" "$dkim" > "$dir/msg" || continue
		"$verify" "$@" < "$dir/msg" > "$dir/out" 2>> "$dir/err"
		line=$(grep '^dmarc=' "$dir/out")
		r=$(printf '%s' "$line" | sed -n 's/^dmarc=\([a-z]*\).*/\1/p')
		p=$(printf '%s' "$line" | sed -n 's/^[^(]*(p=\([a-z]*\) dis=.*/\1/p')
		d=$(printf '%s' "$line" | sed -n 's/.* policy\.dmarc=\([a-z]*\).*/\1/p')
		printf '%s\t%s\t%s\t%s\n' "$name" "${r:--}" "${p:--}" "${d:--}" \
			>> "$dir/dkimsa.tsv"
		spf=$(sed -n 's/^spf=pass .*smtp\.mailfrom=\([^ ]*\).*/\1/p
			s/^spf=pass .*smtp\.helo=\([^ ]*\).*/\1/p' "$dir/out" |
			sed 's/.*@//')
		dk=$(sed -n 's/^dkim=pass .*header\.d=\([^ ]*\).*/\1/p' "$dir/out")
		froms=
		if [ "$from" != - ]; then
			froms=$(printf '%s\n' "$from" | sed 's/ | /\n/g' |
				while IFS= read -r f; do printf '%s,' "$(json "$f")"; done)
		fi
		printf '{"name":%s,"from":[%s],"spf":%s,"dkim":%s}\n' \
			"$(json "$name")" "${froms%,}" "$(jlist "$spf")" \
			"$(jlist "$dk")" >> "$dir/rows.json"
	done

NODE_PATH="$nodedir/node_modules" node "$src/oracle-mailauth.js" \
	"$DNSH_NSD_PORT" < "$dir/rows.json" > "$dir/mailauth.tsv" 2> "$dir/node.err"
if [ ! -s "$dir/mailauth.tsv" ]; then
	echo "FAIL: mailauth oracle runs: $(head -5 "$dir/node.err")"
	exit 0
fi

# ---- compare ----
known="$src/oracle-mailauth.known"
while IFS="$tab" read -r name r p d; do
	m=$(grep "^$name$tab" "$dir/mailauth.tsv" | head -1)
	mr=$(echo "$m" | cut -f2)
	mp=$(echo "$m" | cut -f3)
	md=$(echo "$m" | cut -f4)
	same=0
	if [ "$mr" = "$r" ] && [ "$md" = "$d" ] &&
		{ [ "$mp" = "$p" ] || [ "$mp" = - ]; }; then
		same=1
	fi
	k=$(grep -v '^#' "$known" | grep "^$name$tab" | head -1)
	kr=$(echo "$k" | cut -f2)
	why=$(echo "$k" | cut -f3)
	if [ "$same" = 1 ] && [ -z "$k" ]; then
		echo "PASS: mailauth agrees: $name ($r/$p/$d)"
	elif [ "$same" = 1 ]; then
		echo "FAIL: mailauth agrees: $name: listed in oracle-mailauth.known but agrees now"
	elif [ -n "$k" ] && [ "$kr" = "$mr/$mp/$md" ]; then
		echo "PASS: mailauth differs as named: $name (dkimsa $r/$p/$d, mailauth $mr/$mp/$md: $why)"
	else
		echo "FAIL: mailauth agrees: $name: dkimsa $r/$p/$d, mailauth ${mr:-?}/${mp:-?}/${md:-?}${k:+ (listed as $kr)}"
	fi
done < "$dir/dkimsa.tsv"
n=$(wc -l < "$dir/dkimsa.tsv")
[ "$n" -ge 60 ] && echo "PASS: mailauth oracle covers $n scenario rows" ||
	echo "FAIL: mailauth oracle covers the scenario table: only $n rows"
exit 0
