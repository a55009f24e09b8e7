#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pgsql-scale-bench.sh - the milter with a dsn:pgsql:// KeyTable and
# SigningTable of PGSQL_ROWS domains (default 100000; every domain
# dN.example.test its own key name kN, all naming one RSA-2048 key
# file) in a throwaway PostgreSQL on loopback (as nobody when run as
# root).  For TableCacheTTL 0 and 10 it prints the seconds from start to
# the first signed message and the milter's CPU time per signed message
# over PGSQL_SECONDS (default 3) of messages from one domain on one
# connection (the key cached; with TTL 0 every message queries the
# server).  Compare with table-scale-bench.sh (db:).  Then the
# SigningTable lookup times of one key (tools/ktbench/dkimsa-kt-bench):
# open, first (cold) lookup, warm with TableCacheTTL 0 and cached with
# TableCacheTTL 10 (means of PGSQL_LOOKUPS, default 2000).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PGSQL_ROWS:=100000}"
: "${PGSQL_SECONDS:=3}"
: "${PGSQL_LOOKUPS:=2000}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
pgbin=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/pg_ctl" ] && pgbin=$d
done
[ -n "$pgbin" ] || { echo "pgsql-scale-bench.sh: no PostgreSQL" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pgsql-bench.XXXXXX") || exit 1
chmod 755 "$T"
mpid=
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	as_pg "$pgbin/pg_ctl" -D "$T/pg" -m immediate stop > /dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$T/pg" "$T/run" && chmod 700 "$T/pg" &&
	{ [ "$(id -u)" != 0 ] || chown nobody:nogroup "$T/pg" "$T/run"; } &&
	as_pg "$pgbin/initdb" -D "$T/pg" -U dkimsa -A trust > /dev/null 2>&1 &&
	as_pg "$pgbin/pg_ctl" -D "$T/pg" -w -l "$T/run/pg.log" -o \
		"-p $port -k $T/run -c listen_addresses=127.0.0.1" start \
		> /dev/null 2>&1 || exit 1
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/sel.private" &&
	chmod 600 "$T/sel.private" || exit 1
psql -q -h 127.0.0.1 -p "$port" -U dkimsa -d postgres -c "
	CREATE TABLE keys (id text PRIMARY KEY, dom text, sel text, keyfile text);
	CREATE TABLE signers (sender text PRIMARY KEY, keyname text);
	INSERT INTO keys SELECT 'k' || i, 'd' || i || '.example.test', 'sel',
		'$T/sel.private' FROM generate_series(1, $PGSQL_ROWS) AS i;
	INSERT INTO signers SELECT 'd' || i || '.example.test', 'k' || i
		FROM generate_series(1, $PGSQL_ROWS) AS i;" || exit 1
base="dkimsa@$port+127.0.0.1/postgres"
now() { date +%s.%N; }

printf '%-9s %-5s %-15s %-11s\n' rows ttl first_signed_s cpu_us/msg
for ttl in 0 10; do
	cat > "$T/dkimsa.conf" <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable dsn:pgsql://$base/table=keys?keycol=id?datacol=dom,sel,keyfile
SigningTable dsn:pgsql://$base/table=signers?keycol=sender?datacol=keyname
TableCacheTTL $ttl
EOF
	rm -f "$T/sock"
	t0=$(now)
	"$milter" -f -x "$T/dkimsa.conf" 2> "$T/milter.log" &
	mpid=$!
	took=-
	i=0
	while kill -0 "$mpid" 2>/dev/null && [ $i -lt 600 ]; do
		if "$load" -s "unix:$T/sock" -n 1 -t 5 -v -a 127.0.0.1 \
			-f "user@d$PGSQL_ROWS.example.test" 2>/dev/null |
			grep -q 'insheader 0 DKIM-Signature:'; then
			took=$(echo "$(now) $t0" | awk '{ printf "%.3f", $1 - $2 }')
			break
		fi
		sleep 0.05
		i=$((i + 1))
	done
	cpu=$("$load" -s "unix:$T/sock" -c 1 -d "$PGSQL_SECONDS" -p "$mpid" \
		-a 127.0.0.1 -f "user@d$PGSQL_ROWS.example.test" 2>/dev/null |
		sed -n 's/^RESULT.* cpu_us=\([^ ]*\).*/\1/p')
	printf '%-9s %-5s %-15s %-11s\n' "$PGSQL_ROWS" "$ttl" "$took" "${cpu:--}"
	kill -TERM "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
done

echo
printf '%-10s %-9s %-10s %-9s %-9s %-10s\n' table rows open_us cold_us \
	warm_us cached_us
"$top_builddir/tools/ktbench/dkimsa-kt-bench" \
	"dsn:pgsql://$base/table=signers?keycol=sender?datacol=keyname" \
	"d$PGSQL_ROWS.example.test" "$PGSQL_LOOKUPS" |
	sed -n 's/^RESULT open_us=\([^ ]*\) cold_us=\([^ ]*\) warm_us=\([^ ]*\) cached_us=\([^ ]*\)$/\1 \2 \3 \4/p' |
	{ read -r o c w k &&
		printf '%-10s %-9s %-10s %-9s %-9s %-10s\n' dsn:pgsql \
			"$PGSQL_ROWS" "$o" "$c" "$w" "$k"; } ||
	printf '%-10s %-9s lookup failed\n' dsn:pgsql "$PGSQL_ROWS"
