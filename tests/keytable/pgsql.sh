#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pgsql.sh - dsn:pgsql:// KeyTable and SigningTable (keytable/kt_dsn.c)
# against a throwaway PostgreSQL: initdb into the test's directory, the
# server on a loopback port picked at run time (run as nobody when the
# test runs as root: PostgreSQL refuses root).  OpenDKIM's syntax,
# the KeyTable's domain, selector and key file in three columns:
#   - dkimsa-table -q and -l read the tables;
#   - the milter signs from them, dkimpy verifies the signed message
#     with the key file's public key (and fails it with the body
#     changed), and a message for a sender not listed is not signed;
#   - the server stopped: messages are tempfailed, none leaves unsigned;
#     started again: signing resumes without a milter restart, at the
#     first message although every pooled connection broke;
#   - dkimsa -n walks both tables and names the row of a SigningTable
#     value whose key is missing; the password never appears;
#   - with TableCacheTTL the answers are kept: a message sent while the
#     server is down is signed from them.
# PostgreSQL and libpq come from scripts/install-deps.sh: without them
# this test fails (it never skips).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/keytable/lib.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
pgbin=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/pg_ctl" ] && pgbin=$d
done
if [ -z "$pgbin" ] || ! command -v psql > /dev/null; then
	echo "FAIL: PostgreSQL (initdb, pg_ctl, psql) is installed: not found (scripts/install-deps.sh)"
	exit 0
fi
case $("$TABLE" -l dsn:pgsql://x 2>&1) in
*"unknown table type"*)
	echo "FAIL: dkimsa has dsn: tables: built without libpq (apt-get install libpq-dev, then configure again)"
	exit 0
	;;
esac
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-pgsql.XXXXXX") || exit 1
chmod 755 "$T"
mpid=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	as_pg "$pgbin/pg_ctl" -D "$T/pg" -m immediate stop > /dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$T/pg" "$T/run" && chmod 700 "$T/pg" &&
	{ [ "$(id -u)" != 0 ] || chown nobody:nogroup "$T/pg" "$T/run"; } ||
	exit 1
as_pg "$pgbin/initdb" -D "$T/pg" -U dkimsa -A trust > "$T/initdb.log" 2>&1 ||
	{ echo "FAIL: initdb: $(tail -3 "$T/initdb.log")"; exit 1; }
pg_start() {
	as_pg "$pgbin/pg_ctl" -D "$T/pg" -w -l "$T/run/pg.log" -o \
		"-p $port -k $T/run -c listen_addresses=127.0.0.1" start \
		> /dev/null 2>&1
}
pg_stop() { as_pg "$pgbin/pg_ctl" -D "$T/pg" -w -m fast stop > /dev/null 2>&1; }
pg_start || { echo "FAIL: PostgreSQL start: $(tail -3 "$T/run/pg.log")"; exit 1; }
sql() { psql -q -h 127.0.0.1 -p "$port" -U dkimsa -d postgres -c "$1"; }

cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/sel.private" &&
	chmod 600 "$T/sel.private" || exit 1
sql "CREATE TABLE keys (id text, dom text, sel text, keyfile text);
     CREATE TABLE signers (sender text, keyname text);
     INSERT INTO keys VALUES ('k1', 'example.test', 'sel', '$T/sel.private');
     INSERT INTO signers VALUES ('example.test', 'k1');
     ALTER ROLE dkimsa PASSWORD 'Secret99';" || exit 1
base="dkimsa:Secret99@$port+127.0.0.1/postgres"
kt="dsn:pgsql://$base/table=keys?keycol=id?datacol=dom,sel,keyfile"
st="dsn:pgsql://$base/table=signers?keycol=sender?datacol=keyname"

expect_rc "table -q reads a KeyTable row's three columns" 0 \
	"$TABLE" -q k1 "$kt"
grep_out "table -q joins the columns with colons" \
	"^example.test:sel:$T/sel.private\$"
expect_rc "table -q: a key not in the table is not found" 1 \
	"$TABLE" -q nobody "$st"
expect_rc "table -l lists the rows" 0 "$TABLE" -l "$st"
grep_out "table -l prints key and value" "^example.test k1\$"

cat > "$T/dkimsa.conf" <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable $kt
SigningTable $st
TableCacheTTL 0
EOF
kt_milter_start
check "milter signs from the PostgreSQL tables" kt_signed example.test
check "a message signed through the milter from dsn:pgsql tables verifies with dkimpy" \
	dkimpy_verifies "$T/out" user@example.test "$T/sel.private"
check "dkimpy: the same message with its body changed fails" \
	dkimpy_rejects "$T/out" user@example.test "$T/sel.private"
kt_send other.test
check "a sender not in the SigningTable is not signed" \
	sh -c "grep -q '^RESULT.* accept=1' '$T/out' && ! grep -q 'insheader.*DKIM-Signature' '$T/out'"
# 16 messages on 4 connections: several pooled connections, all broken by
# the restart below
"$load" -s "unix:$T/sock" -c 4 -n 4 -t 20 -a 127.0.0.1 \
	-f user@example.test > "$T/out" 2>&1
check "four connections at once sign" grep -q "^RESULT.* dkim=16 " "$T/out"
pg_stop
kt_send example.test
check "server stopped: the message is tempfailed" \
	grep -q '^RESULT.* tempfail=1' "$T/out"
check "server stopped: the message is not signed" \
	sh -c "! grep -q 'insheader.*DKIM-Signature' '$T/out'"
pg_start
check "server back: signing resumes without a restart" kt_signed example.test
check "the password is never logged" sh -c "! grep -q Secret99 '$T/log'"
kt_milter_stop

expect_rc "dkimsa -n walks the PostgreSQL tables" 0 \
	"$milter" -n -x "$T/dkimsa.conf"
sql "INSERT INTO signers VALUES ('bad.test', 'gone');" || exit 1
expect_rc "dkimsa -n: a SigningTable row naming no key is an error" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "dkimsa -n names the row by its key" \
	"dsn:pgsql://dkimsa:\\*@$port+127.0.0.1/postgres/table=signers?keycol=sender?datacol=keyname, key \"bad.test\": SigningTable names key \"gone\""
check "dkimsa -n does not print the password" \
	sh -c "! grep -q Secret99 '$T/out' '$T/err'"

# TableCacheTTL: answers kept, so a short outage does not stop signing
sed -i 's/^TableCacheTTL 0$/TableCacheTTL 60/' "$T/dkimsa.conf"
kt_milter_start
check "TableCacheTTL: signs from the server" kt_signed example.test
pg_stop
check "TableCacheTTL: the server stopped, answers kept sign" \
	kt_signed example.test
pg_start
kt_milter_stop
exit 0
