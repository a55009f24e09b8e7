#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# scenarios.sh - the DMARC scenario table (tests/dmarc/scenarios.tsv, its
# format is described at its top) end to end: each row becomes a message,
# signed by dkimsa-sign for its DKIM domains, and dkimsa-verify in
# receiver mode (--client-ip, --helo, --mail-from) runs SPF, DKIM and
# DMARC on it against the zones of tests/dmarc served to the real
# libunbound by tests/dns/harness.sh.  One line per row:
#   PASS: dmarc scenario NAME
#   FAIL: dmarc scenario NAME: got RESULT/POLICY/DISPOSITION (the lines)
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-scen.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
src="$top_srcdir/tests/dmarc"
key="$top_srcdir/tests/data/keys/rsa2048.pem"
sign="$top_builddir/tools/sign/dkimsa-sign"
verify="$top_builddir/tools/verify/dkimsa-verify"

# The scenario zones next to the harness's standard ones.
scen_zones() {
	kr=$(dnsh_dkim_txt "$key") || return 1
	sed "s|@KEY@|$kr|" "$src/dmarc.zone.in" > "$DNSH_DIR/dmarc.zone" &&
	dnsh_add_zone dmarc.test "$DNSH_DIR/dmarc.zone" &&
	dnsh_add_zone dmarcsec.test "$src/dmarcsec.zone" signed &&
	dnsh_add_zone dmarcbog.test "$src/dmarcsec.zone" \
		'tampered:/^_dmarc\.dmarcbog\.test\./s/p=reject/p=none/'
}
if ! { dnsh_init "$dir" && scen_zones && dnsh_build && dnsh_silent_start &&
	dnsh_conf_auth; }; then
	echo "FAIL: dmarc scenario harness starts: see the messages above"
	exit 1
fi

# message FROM DKIM: the message of a row on stdout.
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
	# failing signatures first, then the body changes, then good ones
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

tab=$(printf '\t')
rows=$(grep -a -v '^#' "$src/scenarios.tsv" | grep -a -c -v '^$')
if [ "$rows" -ge 60 ] &&
	[ "$(grep -a -v '^#' "$src/scenarios.tsv" | grep -a -v '^$' | cut -f1 |
		sort | uniq -d)" = "" ]; then
	echo "PASS: dmarc scenario table has $rows rows (60 at least), names unique"
else
	echo "FAIL: dmarc scenario table has $rows rows (60 at least), names unique"
fi
grep -a -v '^#' "$src/scenarios.tsv" | grep -a -v '^$' |
while IFS="$tab" read -r name from mfrom helo ip dkim result policy dis note; do
	: > "$dir/err"
	set -- --unbound-conf "$DNSH_DIR/unbound.conf" --trust-anchor none \
		--dns-timeout 2 --client-ip "$ip" --helo "$helo"
	[ "$mfrom" != - ] && set -- "$@" --mail-from "$mfrom"
	if ! message "$from" "$dkim" > "$dir/msg"; then
		echo "FAIL: dmarc scenario $name: signing failed: $(cat "$dir/err")"
		continue
	fi
	"$verify" "$@" < "$dir/msg" > "$dir/out" 2>> "$dir/err"
	line=$(grep -a '^dmarc=' "$dir/out")
	got_r=$(printf '%s' "$line" | sed -n 's/^dmarc=\([a-z]*\).*/\1/p')
	got_p=$(printf '%s' "$line" | sed -n 's/^[^(]*(p=\([a-z]*\) dis=.*/\1/p')
	got_d=$(printf '%s' "$line" | sed -n 's/.* policy\.dmarc=\([a-z]*\).*/\1/p')
	[ -n "$got_p" ] || got_p=-
	[ -n "$got_d" ] || got_d=-
	if [ "$got_r/$got_p/$got_d" = "$result/$policy/$dis" ]; then
		echo "PASS: dmarc scenario $name"
	else
		echo "FAIL: dmarc scenario $name: got $got_r/$got_p/$got_d," \
			"want $result/$policy/$dis: $(tr '\n' '|' < "$dir/out")" \
			"$(tr '\n' ' ' < "$dir/err")"
	fi
done
