#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keys-test.sh: the milter's documentation and example configuration
# agree with the code.  The settings table in milter/cfg.c is the source
# of truth: dkimsa.conf(5) must describe every key in it and no other,
# dkimsa-migration(7) must mention every key, and contrib/dkimsa.conf must
# pass "dkimsa -n".  Run by tests/run-tests.sh with top_srcdir and
# top_builddir set; writes only in a directory of its own.
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

cfg="$top_srcdir/milter/cfg.c"
conf5="$top_srcdir/docs/dkimsa.conf.5"
mig="$top_srcdir/docs/dkimsa-migration.7"
example="$top_srcdir/contrib/dkimsa.conf"
dkimsa="$top_builddir/milter/dkimsa"
genkey="$top_builddir/tools/genkey/dkimsa-genkey"

# Key names of the cfg_rows[] table: S("Name", ...), B(, I(, A(, L( and
# {"Name", T_...} rows; OpenDKIM's keys that dkimsa ignores or refuses
# are the OW(, OR( and OI( rows.
sed -n 's/^[[:space:]]*[SBIAL]("\([A-Za-z-]*\)".*/\1/p
	s/^[[:space:]]*{"\([A-Za-z-]*\)", T_.*/\1/p' "$cfg" | sort -u >"$tmp/code"
sed -n 's/^[[:space:]]*O[WRI]("\([A-Za-z-]*\)".*/\1/p' "$cfg" |
	sort -u >"$tmp/opendkim"
# Keys described in dkimsa.conf(5): ".B Name \fR(type...".
sed -n 's/^\.B \([A-Za-z\\-]*\) \\fR(.*/\1/p' "$conf5" | sed 's/\\-/-/g' |
	sort -u >"$tmp/doc"

check() # name, then "ok" or the failure detail
{
	if [ "$2" = ok ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi
}

n=$(wc -l <"$tmp/code")
if [ "$n" -lt 40 ]; then
	check settings-table-is-read "only $n keys found in $cfg"
else
	check settings-table-is-read ok
fi

missing=$(comm -23 "$tmp/code" "$tmp/doc" | tr '\n' ' ')
check conf5-describes-every-key "${missing:-ok}"

extra=$(comm -13 "$tmp/code" "$tmp/doc" | tr '\n' ' ')
check conf5-describes-no-unknown-key "${extra:-ok}"

absent=
while read -r k; do
	pat=$(printf '%s' "$k" | sed 's/-/\\\\-/g')
	grep -q -- "$pat" "$mig" || absent="$absent $k"
done <"$tmp/code"
check migration-page-mentions-every-key "${absent:-ok}"

n=$(wc -l <"$tmp/opendkim")
absent=
while read -r k; do
	pat=$(printf '%s' "$k" | sed 's/-/\\\\-/g')
	grep -q -- "$pat" "$mig" || absent="$absent $k"
done <"$tmp/opendkim"
if [ "$n" -lt 80 ]; then
	check migration-page-lists-every-ignored-opendkim-key \
		"only $n ignored or refused keys found in $cfg"
else
	check migration-page-lists-every-ignored-opendkim-key "${absent:-ok}"
fi

# The example configuration, with its paths moved into $tmp and UserID
# set to whoever runs the test, passes the full check (tables and key).
user=$(id -un)
mkdir -p "$tmp/keys"
if ! "$genkey" -d example.com -s sel -D "$tmp/keys" >"$tmp/genkey.out" 2>&1; then
	check example-config-passes-check "dkimsa-genkey failed: $(head -n 3 "$tmp/genkey.out")"
else
	chmod 0600 "$tmp/keys/sel.private"
	printf 'sel._domainkey.example.com example.com:sel:%s\n' \
		"$tmp/keys/sel.private" >"$tmp/KeyTable"
	printf '*@example.com sel._domainkey.example.com\n' >"$tmp/SigningTable"
	sed -e "s#/etc/dkimsa/#$tmp/#g" -e "s/^UserID .*/UserID $user/" \
		"$example" >"$tmp/dkimsa.conf"
	if "$dkimsa" -n -x "$tmp/dkimsa.conf" >"$tmp/n.out" 2>&1; then
		check example-config-passes-check ok
	else
		check example-config-passes-check "$(tr '\n' ' ' <"$tmp/n.out")"
	fi
fi

# The example stays an example of every setting a new user needs.
for k in Mode Socket UserID KeyTable SigningTable InternalHosts AuthservID \
	On-DNSError On-InternalError; do
	grep -qi "^#\{0,1\}${k}[[:space:]]" "$example" || nokey="$nokey $k"
done
check example-config-shows-common-keys "${nokey:-ok}"
exit 0
