#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# ldap-scale-bench.sh - the milter with an ldap:// KeyTable and
# SigningTable of LDAP_ROWS domains (default 100000; every domain
# dN.example.test its own key name kN, all naming one RSA-2048 key file)
# in a throwaway slapd on loopback (mdb, core schema only: the value in
# "description", an equality index on cn; bulk-loaded with slapadd
# before slapd starts).  For TableCacheTTL 0 and 10, and for a db: table
# of the same rows, it prints the seconds from start to the first signed
# message and the milter's CPU time per signed message over LDAP_SECONDS
# (default 3) of messages from one domain on one connection (the key
# cached; with TTL 0 every message searches the directory).  Compare
# with pgsql-scale-bench.sh and table-scale-bench.sh.  Then the
# SigningTable lookup times of one key in the ldap:, db: and file: tables
# (tools/ktbench/dkimsa-kt-bench): open, first (cold) lookup, then
# warm with TableCacheTTL 0 and cached with TableCacheTTL 10 (means of
# LDAP_LOOKUPS, default 2000; file: and db: have no cache).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LDAP_ROWS:=100000}"
: "${LDAP_SECONDS:=3}"
: "${LDAP_LOOKUPS:=2000}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
table="$top_builddir/tools/table/dkimsa-table"
ktbench="$top_builddir/tools/ktbench/dkimsa-kt-bench"
slapd=/usr/sbin/slapd
[ -x "$slapd" ] && command -v slapadd > /dev/null ||
	{ echo "ldap-scale-bench.sh: no slapd or slapadd" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ldap-bench.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	[ -s "$T/slapd.pid" ] && kill -KILL "$(cat "$T/slapd.pid")" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sfx="dc=example,dc=test"
mkdir "$T/db" || exit 1
cat > "$T/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
pidfile $T/slapd.pid
argsfile $T/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "$sfx"
rootdn "cn=admin,$sfx"
directory $T/db
maxsize 4294967296
index objectClass,cn eq
access to * by * read
EOF
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/sel.private" &&
	chmod 600 "$T/sel.private" || exit 1
awk -v n="$LDAP_ROWS" -v sfx="$sfx" -v key="$T/sel.private" 'BEGIN {
	printf "dn: %s\nobjectClass: dcObject\nobjectClass: organization\n", sfx
	printf "dc: example\no: example\n\n"
	printf "dn: ou=keys,%s\nobjectClass: organizationalUnit\nou: keys\n\n", sfx
	printf "dn: ou=signers,%s\nobjectClass: organizationalUnit\n", sfx
	printf "ou: signers\n\n"
	for (i = 1; i <= n; i++) {
		printf "dn: cn=k%d,ou=keys,%s\nobjectClass: device\ncn: k%d\n", i, sfx, i
		printf "description: d%d.example.test:sel:%s\n\n", i, key
		printf "dn: cn=d%d.example.test,ou=signers,%s\n", i, sfx
		printf "objectClass: device\ncn: d%d.example.test\n", i
		printf "description: k%d\n\n", i
	}
}' > "$T/entries.ldif" &&
	slapadd -q -f "$T/slapd.conf" -l "$T/entries.ldif" > "$T/slapadd.log" 2>&1 ||
	{ echo "ldap-scale-bench.sh: slapadd: $(tail -3 "$T/slapadd.log")" >&2; exit 1; }
rm -f "$T/entries.ldif"
"$slapd" -f "$T/slapd.conf" -h "ldap://127.0.0.1:$port/" \
	-n dkimsa-ldap-bench > "$T/slapd.log" 2>&1 || exit 1
i=0
until ldapsearch -x -H "ldap://127.0.0.1:$port/" -b "" -s base \
	> /dev/null 2>&1; do
	[ "$i" -gt 100 ] && { echo "ldap-scale-bench.sh: slapd did not start" >&2; exit 1; }
	sleep 0.1
	i=$((i + 1))
done
# the same rows as db: tables, for the comparison (not timed)
awk -v n="$LDAP_ROWS" -v key="$T/sel.private" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "k%d d%d.example.test:sel:%s\n", i, i, key }' \
	> "$T/KeyTable" &&
	awk -v n="$LDAP_ROWS" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "d%d.example.test k%d\n", i, i }' \
	> "$T/SigningTable" &&
	"$table" -t db "$T/KeyTable" && "$table" -t db "$T/SigningTable" ||
	exit 1
url="ldap://127.0.0.1:$port"
now() { date +%s.%N; }

run() { # LABEL TTL KEYTABLE SIGNINGTABLE
	cat > "$T/dkimsa.conf" <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable $3
SigningTable $4
TableCacheTTL $2
EOF
	rm -f "$T/sock"
	t0=$(now)
	"$milter" -f -x "$T/dkimsa.conf" 2> "$T/milter.log" &
	mpid=$!
	took=-
	i=0
	while kill -0 "$mpid" 2>/dev/null && [ $i -lt 600 ]; do
		if "$load" -s "unix:$T/sock" -n 1 -t 5 -v -a 127.0.0.1 \
			-f "user@d$LDAP_ROWS.example.test" 2>/dev/null |
			grep -q 'insheader 0 DKIM-Signature:'; then
			took=$(echo "$(now) $t0" | awk '{ printf "%.3f", $1 - $2 }')
			break
		fi
		sleep 0.05
		i=$((i + 1))
	done
	cpu=$("$load" -s "unix:$T/sock" -c 1 -d "$LDAP_SECONDS" -p "$mpid" \
		-a 127.0.0.1 -f "user@d$LDAP_ROWS.example.test" 2>/dev/null |
		sed -n 's/^RESULT.* cpu_us=\([^ ]*\).*/\1/p')
	printf '%-7s %-9s %-5s %-15s %-11s\n' "$1" "$LDAP_ROWS" "$2" "$took" \
		"${cpu:--}"
	kill -TERM "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
}

printf '%-7s %-9s %-5s %-15s %-11s\n' table rows ttl first_signed_s cpu_us/msg
for ttl in 0 10; do
	run ldap "$ttl" \
		"$url/ou=keys,$sfx?description?one?(cn=\$d)" \
		"$url/ou=signers,$sfx?description?one?(cn=\$d)"
done
run db 0 "db:$T/KeyTable.db" "db:$T/SigningTable.db"

echo
printf '%-7s %-9s %-10s %-9s %-9s %-10s\n' table rows open_us cold_us \
	warm_us cached_us
lookup() { # LABEL SPEC
	"$ktbench" "$2" "d$LDAP_ROWS.example.test" "$LDAP_LOOKUPS" |
		sed -n 's/^RESULT open_us=\([^ ]*\) cold_us=\([^ ]*\) warm_us=\([^ ]*\) cached_us=\([^ ]*\)$/\1 \2 \3 \4/p' |
		{ read -r o c w k &&
			printf '%-7s %-9s %-10s %-9s %-9s %-10s\n' "$1" \
				"$LDAP_ROWS" "$o" "$c" "$w" "$k"; } ||
		printf '%-7s %-9s lookup failed\n' "$1" "$LDAP_ROWS"
}
lookup ldap "$url/ou=signers,$sfx?description?one?(cn=\$d)"
lookup db "db:$T/SigningTable.db"
lookup file "file:$T/SigningTable"
