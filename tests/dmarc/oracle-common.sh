# SPDX-License-Identifier: BSD-2-Clause
# oracle-common.sh - what the DMARC oracles (oracle-mailauth.sh,
# oracle-opendmarc.sh) share, sourced after tests/dns/harness.sh:
#   oracle_setup DIR   the scenario zones of tests/dmarc in the DNS harness
#                      (as tests/dmarc/scenarios.sh serves them), built, the
#                      silent server and the libunbound conf
#   oracle_dkimsa      every row of scenarios.tsv through dkimsa-verify
#                      (receiver mode): $ORC/dkimsa.tsv holds
#                      NAME RESULT POLICY DISPOSITION, $ORC/inputs.tsv
#                      NAME FROM MAIL-FROM HELO IP SPF-PASS DKIM-PASS (the
#                      domains whose SPF and DKIM passed, space separated,
#                      "-" for none): the oracles' SPF and DKIM inputs
#   oracle_compare LABEL KNOWN ORACLE-TSV
#                      one line per row: PASS when the oracle agrees on the
#                      result and the dispositions (and on the policy where
#                      it reports one), or differs exactly as KNOWN records
#                      (NAME TAB RESULT/POLICY/DISPOSITION TAB WHY); FAIL
#                      otherwise, and for a KNOWN row that agrees
# Variables: ORC (work directory), ORC_SRC (tests/dmarc).
ORC_SRC=${ORC_SRC:-$top_srcdir/tests/dmarc}
ORC_KEY="$top_srcdir/tests/data/keys/rsa2048.pem"
ORC_TAB=$(printf '\t')

oracle_setup() {
	ORC=$1
	dnsh_init "$ORC" || return 1
	kr=$(dnsh_dkim_txt "$ORC_KEY") || return 1
	sed "s|@KEY@|$kr|" "$ORC_SRC/dmarc.zone.in" > "$DNSH_DIR/dmarc.zone" &&
		dnsh_add_zone dmarc.test "$DNSH_DIR/dmarc.zone" &&
		dnsh_add_zone dmarcsec.test "$ORC_SRC/dmarcsec.zone" signed &&
		dnsh_add_zone dmarcbog.test "$ORC_SRC/dmarcsec.zone" \
			'tampered:/^_dmarc\.dmarcbog\.test\./s/p=reject/p=none/' &&
		dnsh_build && dnsh_silent_start && dnsh_conf_auth
}

# oracle_message FROM DKIM: the row's message, as scenarios.sh makes it
oracle_message() {
	{
		if [ "$1" != - ]; then
			printf '%s\n' "$1" | sed 's/ | /\n/g' |
				sed 's/^/From: /; s/$/\r/'
		fi
		printf 'To: rcpt@example.net\r\nSubject: scenario\r\n'
		printf 'Date: Thu, 26 Nov 2026 12:00:00 +0000\r\n'
		printf 'Message-ID: <scenario@dmarc.test>\r\n\r\nHello.\r\n'
	} > "$ORC/m0"
	for d in $(printf '%s' "$2" | tr ',' ' '); do
		case $d in *:bad) ;; *) continue ;; esac
		"$top_builddir/tools/sign/dkimsa-sign" -d "${d%:bad}" -s sel2048 \
			-k "$ORC_KEY" < "$ORC/m0" > "$ORC/m1" 2>> "$ORC/err" || return 1
		mv "$ORC/m1" "$ORC/m0"
		printf 'Changed after signing.\r\n' >> "$ORC/m0"
	done
	for d in $(printf '%s' "$2" | tr ',' ' '); do
		case $d in *:bad | -) continue ;; esac
		"$top_builddir/tools/sign/dkimsa-sign" -d "$d" -s sel2048 \
			-k "$ORC_KEY" < "$ORC/m0" > "$ORC/m1" 2>> "$ORC/err" || return 1
		mv "$ORC/m1" "$ORC/m0"
	done
	cat "$ORC/m0"
}

oracle_dkimsa() {
	: > "$ORC/dkimsa.tsv"
	: > "$ORC/inputs.tsv"
	grep -a -v '^#' "$ORC_SRC/scenarios.tsv" | grep -a -v '^$' |
		while IFS="$ORC_TAB" read -r name from mfrom helo ip dkim _; do
			: > "$ORC/err"
			set -- --unbound-conf "$DNSH_DIR/unbound.conf" \
				--trust-anchor none --dns-timeout 2 \
				--client-ip "$ip" --helo "$helo"
			[ "$mfrom" != - ] && set -- "$@" --mail-from "$mfrom"
			oracle_message "$from" "$dkim" > "$ORC/msg" || continue
			"$top_builddir/tools/verify/dkimsa-verify" "$@" \
				< "$ORC/msg" > "$ORC/out" 2>> "$ORC/err"
			line=$(grep -a '^dmarc=' "$ORC/out")
			r=$(printf '%s' "$line" | sed -n 's/^dmarc=\([a-z]*\).*/\1/p')
			p=$(printf '%s' "$line" |
				sed -n 's/^[^(]*(p=\([a-z]*\) dis=.*/\1/p')
			d=$(printf '%s' "$line" |
				sed -n 's/.* policy\.dmarc=\([a-z]*\).*/\1/p')
			printf '%s\t%s\t%s\t%s\n' "$name" "${r:--}" "${p:--}" \
				"${d:--}" >> "$ORC/dkimsa.tsv"
			spf=$(sed -n 's/^spf=pass .*smtp\.mailfrom=\([^ ;]*\).*/\1/p
				s/^spf=pass .*smtp\.helo=\([^ ;]*\).*/\1/p' "$ORC/out" |
				sed 's/.*@//' | tr '\n' ' ')
			dk=$(sed -n 's/^dkim=pass .*header\.d=\([^ ;]*\).*/\1/p' \
				"$ORC/out" | tr '\n' ' ')
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$from" \
				"$mfrom" "$helo" "$ip" "${spf:--}" "${dk:--}" \
				>> "$ORC/inputs.tsv"
		done
}

oracle_compare() {
	label=$1 known=$2 otsv=$3
	while IFS="$ORC_TAB" read -r name r p d; do
		m=$(grep -a "^$name$ORC_TAB" "$otsv" | head -1)
		mr=$(echo "$m" | cut -f2)
		mp=$(echo "$m" | cut -f3)
		md=$(echo "$m" | cut -f4)
		same=0
		if [ "$mr" = "$r" ] && [ "$md" = "$d" ] &&
			{ [ "$mp" = "$p" ] || [ "$mp" = - ]; }; then
			same=1
		fi
		k=$(grep -v "^#" "$known" | grep -a "^$name$ORC_TAB" | head -1)
		kr=$(echo "$k" | cut -f2)
		why=$(echo "$k" | cut -f3)
		if [ "$same" = 1 ] && [ -z "$k" ]; then
			echo "PASS: $label agrees: $name ($r/$p/$d)"
		elif [ "$same" = 1 ]; then
			echo "FAIL: $label agrees: $name: listed in $(basename "$known") but agrees now"
		elif [ -n "$k" ] && [ "$kr" = "$mr/$mp/$md" ]; then
			echo "PASS: $label differs as named: $name (dkimsa $r/$p/$d, $label $mr/$mp/$md: $why)"
		else
			echo "FAIL: $label agrees: $name: dkimsa $r/$p/$d, $label ${mr:-?}/${mp:-?}/${md:-?}${k:+ (listed as $kr)}"
		fi
	done < "$ORC/dkimsa.tsv"
	n=$(wc -l < "$ORC/dkimsa.tsv")
	if [ "$n" -ge 60 ]; then
		echo "PASS: $label oracle covers $n scenario rows"
	else
		echo "FAIL: $label oracle covers the scenario table: only $n rows"
	fi
}
