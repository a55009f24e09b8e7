#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# reports.sh - dkimsa-reports (tools/reports/) on tables of DMARC history
# lines: the reports it writes (one per policy domain, RFC 9990 file
# names, rows and counts) validated by xmllint against RFC 9990's schema
# (tests/reports/rfc9990.xsd); hostile history lines; and --send through a
# recording sendmail, with the external destination check (RFC 9990
# section 4) answered by the real libunbound from the harness zones
# (tests/reports/reports.zone, signed, unsigned, tampered, silent).
# Run by tests/run-tests.sh with top_srcdir and top_builddir set.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-reports.XXXXXX") || exit 1
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
tool="$top_builddir/tools/reports/dkimsa-reports"
xsd="$top_srcdir/tests/reports/rfc9990.xsd"
zone="$top_srcdir/tests/reports/reports.zone"

ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1: $2"; }

# The period: 2025-11-26 UTC.
B=1764115200
E=1764201600
LAST=$((E - 1))
META="--org-name Test&Org --email postmaster@rcv.example --receiver rcv.example"

# hist TIME IP HFROM PDOM [EXTRA...]: one history line.
hist() {
	t=$1 ip=$2 hf=$3 pd=$4
	shift 4
	printf 'v=1 time=%s job=Q%s ip=%s hfrom=%s mfrom=%s rcpt=rcv.example pdom=%s odom=%s p=reject sp=quarantine np= adkim=r aspf=r t=n psd=u fo= rua=mailto:dmarc@%s spfd=%s spfs=mfrom spf=pass dkim=%s,s1,pass dmarc=pass dkima=pass spfa=pass disp=pass reason= comment= %seol=1\n' \
		"$t" "$t" "$ip" "$hf" "$hf" "$pd" "$pd" "$pd" "$hf" "$hf" "$*${*:+ }"
}

# run NAME HISTFILE [OPTIONS...]: reports into $dir/NAME/, output kept.
run() {
	n=$1 h=$2
	shift 2
	rm -rf "$dir/$n" && mkdir -p "$dir/$n"
	# shellcheck disable=SC2086
	"$tool" $META --from "$B" --to "$E" --outdir "$dir/$n" "$@" "$h" \
		> "$dir/$n.out" 2> "$dir/$n.err"
	echo $? > "$dir/$n.rc"
}

# xml NAME DOMAIN: the report's XML on stdout.
xml() {
	gzip -dc "$dir/$1/rcv.example!$2!$B!$LAST.xml.gz" 2>/dev/null
}

valid() { # NAME DOMAIN LABEL
	if xml "$1" "$2" > "$dir/v.xml" && [ -s "$dir/v.xml" ] &&
		xmllint --noout --schema "$xsd" "$dir/v.xml" 2> "$dir/v.err"; then
		ok "$3"
	else
		bad "$3" "$(head -3 "$dir/v.err" | tr '\n' ' ')"
	fi
}

has() { # NAME DOMAIN XPATH EXPECTED LABEL
	got=$(xml "$1" "$2" | xmllint --xpath "$3" - 2>/dev/null)
	if [ "$got" = "$4" ]; then ok "$5"; else bad "$5" "got '$got' want '$4'"; fi
}

X='/*[local-name()="feedback"]'
el() { # PATH of local names a/b/c -> xpath under feedback
	p=$X
	for c in $(echo "$1" | tr '/' ' '); do
		case $c in
		*\[*) p="$p/*[local-name()=\"${c%%\[*}\"][${c#*\[}" ;;
		*) p="$p/*[local-name()=\"$c\"]" ;;
		esac
	done
	echo "string($p)"
}
count() { # XPATH-inside-feedback: count()
	echo "count($X/$1)"
}

# ---- table of history inputs -> reports ----
{
	hist $((B + 10)) 192.0.2.1 example.com example.com
	hist $((B + 20)) 192.0.2.1 example.com example.com
	hist $((B + 30)) 192.0.2.2 news.example.com example.com
	hist $((B + 40)) 198.51.100.7 example.org example.org
	hist $((B - 5)) 192.0.2.1 example.com example.com
	hist $((E + 5)) 192.0.2.1 example.com example.com
	hist $((B + 50)) 192.0.2.3 norua.example norua.example |
		sed 's/ rua=[^ ]*//'
	hist $((B + 60)) 192.0.2.9 nopolicy.example "" | sed 's/ rua=[^ ]*//'
} > "$dir/basic.log"
run basic "$dir/basic.log"
[ "$(cat "$dir/basic.rc")" = 0 ] && ok "a well-formed history gives exit 0" ||
	bad "a well-formed history gives exit 0" "$(cat "$dir/basic.err")"
f=$(cd "$dir/basic" && ls | sort | tr '\n' ' ')
[ "$f" = "rcv.example!example.com!$B!$LAST.xml.gz rcv.example!example.org!$B!$LAST.xml.gz " ] &&
	ok "one report per policy domain with rua, named receiver!domain!begin!end.xml.gz" ||
	bad "one report per policy domain with rua, named receiver!domain!begin!end.xml.gz" "$f"
valid basic example.com "the example.com report validates against the RFC 9990 schema"
valid basic example.org "the example.org report validates against the RFC 9990 schema"
has basic example.com "$(count '*[local-name()="record"]')" 2 \
	"messages with the same results share a record"
has basic example.com "$(el 'record[1]/row/count')" 2 \
	"a shared record counts its messages (2), lines outside the period left out"
has basic example.com "$(el 'record[2]/identifiers/header_from')" news.example.com \
	"a subdomain without a record of its own is reported under its policy domain"
has basic example.com "$(el 'policy_published/domain')" example.com \
	"policy_published names the policy domain"
has basic example.com "$(el 'policy_published/discovery_method')" treewalk \
	"discovery_method is treewalk"
has basic example.com "$(el 'report_metadata/org_name')" "Test&Org" \
	"org_name comes from --org-name (escaped, read back)"
has basic example.com "$(el 'report_metadata/date_range/end')" "$LAST" \
	"date_range ends at the last second of the period"
has basic example.com "$(el 'report_metadata/report_id')" "$B.$LAST.example.com@rcv.example" \
	"report_id names the period, the domain and the receiver"
if grep -q "8 lines, 5 in the period, 0 bad, 1 without a policy domain" "$dir/basic.out"; then
	ok "the summary counts lines, period, bad and policy-less lines"
else
	bad "the summary counts lines, period, bad and policy-less lines" "$(cat "$dir/basic.out")"
fi
grep -q "^norua.example: no rua, no report" "$dir/basic.out" &&
	ok "a policy domain without rua gets no report" ||
	bad "a policy domain without rua gets no report" "$(cat "$dir/basic.out")"

# The last policy of the period is the one published; t=y and overrides.
{
	hist $((B + 10)) 192.0.2.1 example.com example.com
	hist $((B + 40)) 2001:db8::25 example.com example.com |
		sed 's/ p=reject / p=quarantine /; s/ np= / np=reject /; s/ t=n / t=y /; s/ dmarc=pass dkima=pass spfa=pass disp=pass reason= comment= / dmarc=fail dkima=fail spfa=fail disp=none reason=policy_test_mode comment=t%3Dy /'
	hist $((B + 30)) ::ffff:192.0.2.77 example.com example.com |
		sed 's/ mfrom=example.com / mfrom= /; s/ spfs=mfrom / spfs=helo /; s/ disp=pass reason= / disp=none reason=local_policy /'
} > "$dir/policy.log"
run policy "$dir/policy.log"
valid policy example.com "a report with t=y, overrides and IPv6 validates"
has policy example.com "$(el 'policy_published/p')" quarantine \
	"policy_published is the last policy seen in the period"
has policy example.com "$(el 'policy_published/testing')" y \
	"testing=y is reported"
has policy example.com "$(el 'policy_published/np')" reject \
	"np is reported when published"
has policy example.com "$(el 'record[2]/row/policy_evaluated/reason/type')" policy_test_mode \
	"a t=y step-down is reported as policy_test_mode"
has policy example.com "$(el 'record[3]/row/policy_evaluated/reason/type')" local_policy \
	"an exemption is reported as local_policy"
has policy example.com "$(el 'record[3]/row/source_ip')" 192.0.2.77 \
	"an IPv4-mapped IPv6 client is reported as IPv4"
has policy example.com "$(el 'record[2]/row/source_ip')" 2001:db8::25 \
	"an IPv6 client is reported in RFC 5952 form"
has policy example.com "count($X/*[local-name()=\"record\"][3]/*[local-name()=\"identifiers\"]/*[local-name()=\"envelope_from\"])" 1 \
	"a null reverse-path keeps an empty envelope_from"
has policy example.com "count($X/*[local-name()=\"record\"][3]/*[local-name()=\"auth_results\"]/*[local-name()=\"spf\"]/*[local-name()=\"scope\"])" 0 \
	"an SPF result for HELO carries no mfrom scope"

# ---- hostile history lines ----
{
	hist $((B + 1)) 192.0.2.1 '%3C%2Ffeedback%3E%26%22' example.com
	hist $((B + 2)) 192.0.2.1 'caf%C3%A9%FF%01.example' example.com
	hist $((B + 3)) 192.0.2.1 example.com example.com | sed 's/ comment= / comment=%3C!--%20x%20--%3E%0D%0A /; s/ reason= / reason=other /'
	hist $((B + 4)) 192.0.2.1 example.com example.com | sed 's/ eol=1$//'
	hist $((B + 5)) '%3Cx%3E' example.com example.com
	hist $((B + 6)) 192.0.2.1 example.com '..%2F..%2Fetc'
	hist $((B + 7)) 192.0.2.1 example.com 'a%2Fb.example'
	printf 'v=1 time=%s ip=192.0.2.1 hfrom=x dmarc=pass disp=pass dkim=a,b,c eol=1\n' $((B + 8))
	printf '\000\377binary\n'
	printf 'v=1 %s\n' "$(printf 'x%.0s' $(seq 1 3000))"
} > "$dir/hostile.log"
run hostile "$dir/hostile.log"
valid hostile example.com "hostile From domains, comments and bytes still give a valid report"
has hostile example.com "$(el 'record[1]/identifiers/header_from')" '</feedback>&"' \
	"markup in a From domain is escaped as text"
has hostile example.com "$(el 'record[2]/identifiers/header_from')" 'café??.example' \
	"UTF-8 is kept, bytes XML cannot carry become ?"
has hostile example.com "$(count '*[local-name()="record"]')" 3 \
	"only the well-formed in-period lines make records"
n=$(grep -c 'hostile.log, line' "$dir/hostile.err")
[ "$n" = 5 ] && ok "each refused line is named with its file and line number" ||
	bad "each refused line is named with its file and line number" "$n: $(cat "$dir/hostile.err")"
grep -q "hostile.log, line 4: missing eol=" "$dir/hostile.err" &&
	ok "a torn last field (full disk) is refused" ||
	bad "a torn last field (full disk) is refused" "$(cat "$dir/hostile.err")"
f=$(cd "$dir/hostile" && ls | tr '\n' ' ')
[ "$f" = "rcv.example!example.com!$B!$LAST.xml.gz " ] &&
	ok "a policy domain that is not a domain name never becomes a file name" ||
	bad "a policy domain that is not a domain name never becomes a file name" "$f"
head -c 20000 /dev/urandom > "$dir/random.log"
run random "$dir/random.log"
rc=$(cat "$dir/random.rc")
[ "$rc" = 0 ] && ok "random bytes as a history file: no report, no crash" ||
	bad "random bytes as a history file: no report, no crash" "rc $rc"

# ---- options ----
"$tool" $META --from "$E" --to "$B" "$dir/basic.log" > /dev/null 2>&1
[ $? = 2 ] && ok "a period ending before it begins is refused (exit 2)" ||
	bad "a period ending before it begins is refused (exit 2)" "rc $?"
"$tool" --email a@b --receiver r.example --period day "$dir/basic.log" > /dev/null 2>&1
[ $? = 2 ] && ok "a missing --org-name is refused (exit 2)" ||
	bad "a missing --org-name is refused (exit 2)" "rc $?"
run dates "$dir/basic.log"
"$tool" $META --from 2025-11-26 --to 2025-11-27T00:00:00 --outdir "$dir/dates" \
	"$dir/basic.log" > /dev/null 2>&1
[ -f "$dir/dates/rcv.example!example.com!$B!$LAST.xml.gz" ] &&
	ok "dates in YYYY-MM-DD[THH:MM:SS] UTC give the same period" ||
	bad "dates in YYYY-MM-DD[THH:MM:SS] UTC give the same period" "$(ls "$dir/dates")"

# ---- --send with the external destination check over DNS ----
mkdir -p "$dir/dns"
if ! { dnsh_init "$dir/dns" && dnsh_add_zone reports.test "$zone" &&
	dnsh_add_zone sreports.test "$zone" signed &&
	dnsh_add_zone breports.test "$zone" \
		'tampered:s/"v=DMARC1"/"v=DMARC1; rua=mailto:evil@x.test"/' &&
	dnsh_build && dnsh_silent_start && dnsh_conf_auth; }; then
	echo "FAIL: harness-starts: see the messages above"
	exit 1
fi
cat > "$dir/sendmail" <<EOF
#!/bin/sh
n=\$(ls "$dir/mail" | wc -l)
printf '%s\n' "\$@" > "$dir/mail/\$n.argv"
cat > "$dir/mail/\$n.msg"
EOF
chmod +x "$dir/sendmail"

# send RUA-LIST: one message from example.com with that rua (comma list).
send() {
	rua=$1
	rm -rf "$dir/mail" && mkdir "$dir/mail"
	hist $((B + 10)) 192.0.2.1 example.com example.com |
		sed "s|rua=mailto:dmarc@example.com|$rua|" > "$dir/send.log"
	run send "$dir/send.log" --send --sendmail "$dir/sendmail" \
		--unbound-conf "$DNSH_DIR/unbound.conf" --trust-anchor none \
		--dns-timeout 2
}
sent() { # LABEL EXPECTED-RECIPIENTS (space separated, sorted)
	got=$(for a in "$dir/mail/"*.argv; do [ -f "$a" ] && tail -1 "$a"; done |
		sort | tr '\n' ' ')
	[ "$got" = "$2" ] && ok "$1" || bad "$1" "sent to '$got'; $(cat "$dir/send.out")"
}
send "rua=mailto:dmarc@example.com"
sent "--send mails a rua inside the policy domain without a DNS check" "dmarc@example.com "
a=$(cat "$dir/mail/0.argv" 2>/dev/null | tr '\n' ' ')
[ "$a" = "-oi -f postmaster@rcv.example -- dmarc@example.com " ] &&
	ok "sendmail runs as sendmail -oi -f FROM -- ADDRESS" ||
	bad "sendmail runs as sendmail -oi -f FROM -- ADDRESS" "$a"
m="$dir/mail/0.msg"
if grep -q "^Subject: Report Domain: example.com" "$m" &&
	grep -q "^ Submitter: rcv.example" "$m" &&
	grep -q "^ Report-ID: <$B.$LAST.example.com@rcv.example>" "$m"; then
	ok "the Subject follows RFC 9990 (Report Domain, Submitter, Report-ID)"
else
	bad "the Subject follows RFC 9990 (Report Domain, Submitter, Report-ID)" "$(head -8 "$m")"
fi
if /usr/bin/python3 - "$m" "$dir/att.gz" <<'EOF'
import email, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
parts = [p for p in msg.walk() if p.get_content_type() == "application/gzip"]
assert len(parts) == 1, parts
assert parts[0].get_filename().endswith(".xml.gz")
open(sys.argv[2], "wb").write(parts[0].get_payload(decode=True))
EOF
then
	if gzip -dc "$dir/att.gz" | xmllint --noout --schema "$xsd" - 2>/dev/null; then
		ok "the mailed application/gzip attachment is a valid report"
	else
		bad "the mailed application/gzip attachment is a valid report" "does not validate"
	fi
else
	bad "the mailed application/gzip attachment is a valid report" "no attachment"
fi
send "rua=mailto:r@none.reports.test"
sent "an external rua without a _report._dmarc record gets nothing" ""
grep -q "external destination denied" "$dir/send.out" &&
	ok "the refusal of an external rua is reported" ||
	bad "the refusal of an external rua is reported" "$(cat "$dir/send.out")"
send "rua=mailto:r@ok.reports.test"
sent "an external rua with its v=DMARC1 record is mailed" "r@ok.reports.test "
send "rua=mailto:r@x.wild.reports.test"
sent "a wildcard record does not cover a host below it" ""
send "rua=mailto:r@wild.reports.test"
sent "a wildcard *._report._dmarc record authorises any policy domain" "r@wild.reports.test "
send "rua=mailto:r@nov.reports.test"
sent "a record whose first tag is not v=DMARC1 does not authorise" ""
send "rua=mailto:r@ovr.reports.test"
sent "the confirming record's rua on the same host replaces the original" "other@ovr.reports.test "
send "rua=mailto:r@far.reports.test"
sent "a confirming rua on another host means no report to either" ""
send "rua=mailto:r@sec.sreports.test"
sent "a DNSSEC-signed confirming record authorises" "r@sec.sreports.test "
send "rua=mailto:r@sec.breports.test"
sent "a DNSSEC-bogus confirming record never authorises" ""
send "rua=mailto:r@x.silent.test"
sent "a timed-out check sends nothing" ""
[ "$(cat "$dir/send.rc")" = 1 ] && ok "a timed-out check exits 1 (try again later)" ||
	bad "a timed-out check exits 1 (try again later)" "rc $(cat "$dir/send.rc")"
send "rua=mailto:a@example.com!1k rua=mailto:b@example.com!1m"
sent "a rua whose size limit the report exceeds is skipped" "b@example.com "
send "rua=https://example.com/r rua=mailto:c@example.com"
sent "a non-mailto rua is skipped, the others still mailed" "c@example.com "
exit 0
