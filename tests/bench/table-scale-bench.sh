#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# table-scale-bench.sh - the milter with a db: KeyTable and SigningTable
# of many domains (issue 11): for each row count in SCALE_ROWS, every
# domain dN.example.test has its own KeyTable entry kN, all naming one
# RSA-2048 key file.  Prints one row per size: the seconds from starting
# the milter to its first signed message (a message from the last domain,
# sent by dkimsa-miltload every 50 ms until one comes back with a
# DKIM-Signature), the milter's resident size then and its peak, and
# then the milter's CPU time per signed message over SCALE_SECONDS
# (default 3) of messages from that domain, one connection (the key
# cached: compare with SCALE_ROWS=1).
# Building the tables (dkimsa-table -t db) is not timed.  With
# SCALE_CHECK=yes it also prints the seconds dkimsa -n takes to check the
# whole tables and its peak resident size (GNU time, /usr/bin/time).
# Environment: top_builddir, top_srcdir (absolute); SCALE_ROWS (default
# "10000 1000000"); SCALE_WAIT, the seconds to wait for a signature
# (default 600; "-" in the row when none came); SCALE_TMP, where the
# tables go (default $TMPDIR; about 150 MB for 1,000,000 rows).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SCALE_ROWS:=10000 1000000}"
: "${SCALE_WAIT:=600}"
: "${SCALE_SECONDS:=3}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
table="$top_builddir/tools/table/dkimsa-table"
for p in "$load" "$milter" "$table"; do
	[ -x "$p" ] || { echo "table-scale-bench.sh: $p not built" >&2; exit 1; }
done
tmp=$(mktemp -d "${SCALE_TMP:-${TMPDIR:-/tmp}}/table-scale.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$tmp/sel.private" &&
	chmod 600 "$tmp/sel.private" || exit 1

now() { date +%s.%N; }
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$mpid/status"; }

printf '%-9s %-15s %-9s %-9s %-11s %-9s %-10s %-10s\n' rows \
	first_signed_s rss_KiB peak_KiB cpu_us/msg sighup_s check_n_s check_KiB
status=0
for n in $SCALE_ROWS; do
	awk -v n="$n" -v key="$tmp/sel.private" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "k%d d%d.example.test:sel:%s\n", i, i, key }' \
		> "$tmp/KeyTable" &&
	awk -v n="$n" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "d%d.example.test k%d\n", i, i }' \
		> "$tmp/SigningTable" &&
	"$table" -t db "$tmp/KeyTable" && "$table" -t db "$tmp/SigningTable" &&
	rm -f "$tmp/KeyTable" "$tmp/SigningTable" || exit 1
	cat > "$tmp/dkimsa.conf" <<EOF
Mode s
Socket unix:$tmp/milter.sock
AllowRoot yes
Syslog no
KeyTable db:$tmp/KeyTable.db
SigningTable db:$tmp/SigningTable.db
EOF
	rm -f "$tmp/milter.sock"
	t0=$(now)
	"$milter" -f -x "$tmp/dkimsa.conf" 2> "$tmp/milter.log" &
	mpid=$!
	took=-
	while kill -0 "$mpid" 2>/dev/null; do
		if "$load" -s "unix:$tmp/milter.sock" -n 1 -t 5 -v \
			-a 127.0.0.1 -f "user@d$n.example.test" 2>/dev/null |
			grep -q 'insheader 0 DKIM-Signature:'; then
			took=$(echo "$(now) $t0" | awk '{ printf "%.3f", $1 - $2 }')
			break
		fi
		[ "$(echo "$(now) $t0" | awk '{ print ($1 - $2 > w) }' w="$SCALE_WAIT")" = 1 ] && break
		sleep 0.05
	done
	rss=$(kib VmRSS) hwm=$(kib VmHWM) cpu=-
	if [ "$took" = - ]; then
		status=1
		tail -3 "$tmp/milter.log" >&2
	else
		cpu=$("$load" -s "unix:$tmp/milter.sock" -c 1 \
			-d "$SCALE_SECONDS" -p "$mpid" -a 127.0.0.1 \
			-f "user@d$n.example.test" 2>/dev/null |
			sed -n 's/^RESULT.* cpu_us=\([^ ]*\).*/\1/p')
	fi
	reload=-
	if [ "$took" != - ]; then # SIGHUP: until "reloaded" is logged
		t1=$(now)
		kill -HUP "$mpid"
		i=0
		while ! grep -q 'reloaded' "$tmp/milter.log" && [ $i -lt 6000 ]
		do
			sleep 0.01
			i=$((i + 1))
		done
		grep -q 'reloaded' "$tmp/milter.log" &&
			reload=$(echo "$(now) $t1" | awk '{ printf "%.3f", $1 - $2 }')
	fi
	kill -TERM "$mpid" 2>/dev/null
	i=0 # a milter still loading its tables may not end on SIGTERM
	while kill -0 "$mpid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
	check=- check_kib=-
	if [ "${SCALE_CHECK:-no}" = yes ] && [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" \
			"$milter" -n -x "$tmp/dkimsa.conf" > /dev/null 2>&1 ||
			status=1
		read -r check check_kib < "$tmp/time"
	fi
	printf '%-9s %-15s %-9s %-9s %-11s %-9s %-10s %-10s\n' "$n" "$took" \
		"$rss" "$hwm" "${cpu:--}" "$reload" "$check" "$check_kib"
	rm -f "$tmp/KeyTable.db" "$tmp/SigningTable.db"
done
exit $status
