#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testkey.sh - dkimsa-testkey against the DNS test harness (loopback
# only): records made by dkimsa-genkey served from a signed and an
# unsigned zone; OK/secure, OK/not secure, missing, malformed, revoked,
# mismatch, temporary failure and bogus each give their exit code, and
# with several keys (-K, -x) the worst one wins.
. "$top_srcdir/tests/keytable/lib.sh"
. "$top_srcdir/tests/dns/harness.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/kt-testkey.XXXXXX") || exit 1
trap 'dnsh_cleanup; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
mkdir "$T/k" "$T/dns"
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/k/sel2048.private"
chmod 0600 "$T/k/sel2048.private"
for s in good ed other; do
	a=rsa; [ $s = ed ] && a=ed25519
	"$GENKEY" -d keys.test -s $s -a $a -D "$T/k" >/dev/null ||
		echo "FAIL: testkey-genkey-$s: dkimsa-genkey failed"
done
{
	echo '$TTL 300'
	echo '@ SOA ns1 hostmaster 1 3600 600 86400 300'
	echo '@ NS ns1'
	echo 'ns1 A 127.0.0.1'
	cat "$T/k/good.txt" "$T/k/ed.txt"
	# "mismatch" publishes the public half of another key
	sed 's/^other\._domainkey/mismatch._domainkey/' "$T/k/other.txt"
	echo 'malformed._domainkey TXT "v=DKIM1; k=rsa; p=!!notbase64"'
	echo 'revoked._domainkey TXT "v=DKIM1; k=rsa; p="'
	echo 'nosha256._domainkey TXT "v=DKIM1; h=sha1; k=ed25519; p='"$(grep -o 'p=[^"]*' "$T/k/ed.txt" | cut -c3-)"'"'
	echo 'notxt._domainkey A 192.0.2.1'
} > "$T/keys.zone"
if ! { dnsh_init "$T/dns" && dnsh_add_zone keys.test "$T/keys.zone" signed &&
    dnsh_add_zone plain.test "$T/keys.zone" && dnsh_build && dnsh_conf_auth; }
then
	echo "FAIL: testkey-harness-starts: see the messages above"
	exit 1
fi
conf="--unbound-conf=$DNSH_DIR/unbound.conf"
TK() { "$TESTKEY" "$conf" --timeout 5 "$@"; }

expect_rc testkey-ok-secure 0 TK -v -d keys.test -s good -k "$T/k/good.private"
grep_out testkey-ok-secure-line '^good._domainkey.keys.test: key OK (secure)$'
grep_out testkey-dnssec-wording 'DNSSEC: signed and validated'
expect_rc testkey-ed25519-ok 0 TK -d keys.test -s ed -k "$T/k/ed.private"
grep_out testkey-ed25519-line '^ed._domainkey.keys.test: key OK (secure)$'
expect_rc testkey-ok-not-secure 0 TK -v -d plain.test -s good -k "$T/k/good.private"
grep_out testkey-not-secure-line '^good._domainkey.plain.test: key OK (not secure)$'
grep_out testkey-unsigned-wording 'DNSSEC: zone not signed'
expect_rc testkey-record-only 0 TK -d keys.test -s good
expect_rc testkey-harness-fixture-key 0 TK -d secure.test -s sel2048 \
	-k "$T/k/sel2048.private"
expect_rc testkey-missing-nxdomain 2 TK -d keys.test -s absent -k "$T/k/good.private"
grep_out testkey-missing-line 'absent._domainkey.keys.test: record missing (no such name)'
expect_rc testkey-missing-nodata 2 TK -d keys.test -s notxt
expect_rc testkey-malformed 3 TK -d keys.test -s malformed -k "$T/k/good.private"
grep_out testkey-malformed-line 'malformed._domainkey.keys.test: record malformed'
expect_rc testkey-revoked 3 TK -d keys.test -s revoked
grep_out testkey-revoked-line 'revoked'
expect_rc testkey-no-sha256 3 TK -d keys.test -s nosha256 -k "$T/k/ed.private"
expect_rc testkey-mismatch 4 TK -d keys.test -s mismatch -k "$T/k/good.private"
grep_out testkey-mismatch-line 'mismatch._domainkey.keys.test: key mismatch'
expect_rc testkey-type-mismatch 4 TK -d keys.test -s ed -k "$T/k/good.private"
expect_rc testkey-tempfail 1 TK -d refused.test -s x
grep_out testkey-tempfail-line 'DNS temporary failure'
expect_rc testkey-bogus 5 TK -d bogus.test -s sel2048 \
	-k "$T/k/sel2048.private"
grep_out testkey-bogus-line 'DNSSEC validation failed'
chmod 0644 "$T/k/other.private"
expect_rc testkey-unsafe-private-key 6 TK -d keys.test -s other -k "$T/k/other.private"
grep_out testkey-unsafe-message 'is readable by group .* and readable by others (mode 0644): chmod 0600'
chmod 0600 "$T/k/other.private"

# Several keys: every line printed, the worst exit code.
cat > "$T/KeyTable" <<TAB
good._domainkey.keys.test keys.test:good:$T/k/good.private
ed._domainkey.keys.test keys.test:ed:$T/k/ed.private
TAB
expect_rc testkey-keytable-all-good 0 TK -K "refile:$T/KeyTable"
check testkey-keytable-two-lines sh -c "[ \$(grep -c 'key OK (secure)' '$T/out') -eq 2 ]"
cat >> "$T/KeyTable" <<TAB
absent._domainkey.keys.test keys.test:absent:$T/k/good.private
mismatch._domainkey.keys.test keys.test:mismatch:$T/k/good.private
plain._domainkey.plain.test plain.test:good:$T/k/good.private
TAB
expect_rc testkey-keytable-worst-wins 4 TK -K "$T/KeyTable"
check testkey-keytable-every-line sh -c "[ \$(wc -l < '$T/out') -eq 5 ]"
grep_out testkey-keytable-missing-listed 'absent._domainkey.keys.test: record missing'
printf '# dkimsa.conf\nKeyTable   refile:%s\nRequireSafeKeys yes\nUnboundConfigFile %s\n' \
	"$T/KeyTable" "$DNSH_DIR/unbound.conf" > "$T/dkimsa.conf"
expect_rc testkey-config-worst-wins 4 "$TESTKEY" -x "$T/dkimsa.conf"
grep_out testkey-config-reads-keytable 'good._domainkey.keys.test: key OK (secure)'
printf 'good.test good._domainkey.keys.test\nnokey.test gone\n' \
	> "$T/SigningTable"
"$TABLE" -t db "$T/SigningTable" || exit 1
printf 'KeyTable refile:%s\nSigningTable db:%s.db\nUnboundConfigFile %s\n' \
	"$T/KeyTable" "$T/SigningTable" "$DNSH_DIR/unbound.conf" \
	> "$T/st.conf"
expect_rc testkey-config-checks-signingtable 6 "$TESTKEY" -x "$T/st.conf"
grep_out testkey-config-signingtable-names-db-key \
	"SigningTable db:$T/SigningTable.db: $T/SigningTable.db, key \"nokey.test\": SigningTable names key \"gone\", which is not in KeyTable refile:$T/KeyTable"
printf 'KeyTable file:%s/none\n' "$T" > "$T/bad.conf"
expect_rc testkey-config-bad-keytable 6 "$TESTKEY" "$conf" -x "$T/bad.conf"
expect_rc testkey-usage 64 "$TESTKEY" -d keys.test
