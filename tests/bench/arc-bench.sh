#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# arc-bench.sh - what ARC verification costs the milter (part of "make
# bench"): milter CPU per message (dkimsa-miltload -p) for one 1 KiB
# message, DKIM-signed (RSA-2048), without ARC fields and with a 3-hop
# chain (RSA-2048 seals by Node's mailauth), verified with warm DNS (the
# keys from the DNS harness's auth-zones, then the library's cache).  The
# difference minus the 4 RSA-2048 verifies a 3-hop chain needs (3 AS and
# the latest AMS; openssl speed, same run) is the milter's own ARC work;
# the issue's budget for it is 150 us.
# Environment: top_builddir, top_srcdir (absolute); ARC_BENCH_MSGS
# (default 3000) messages per row (the CPU time is counted in clock
# ticks of 10 ms: more messages, finer figures); ARC_BENCH_PERF=FILE
# records the milter with perf record -g during the 3-hop row;
# ARC_BENCH_OLDEST (default yes) is the milter's ARCOldestPass: yes makes
# 2 more AMS verifies for the 3-hop chain (6 in all), counted separately.
: "${top_builddir:?}" "${top_srcdir:?}"
: "${ARC_BENCH_MSGS:=3000}"
. "$top_srcdir/tests/dns/harness.sh"
dkimsa="$top_builddir/milter/dkimsa"
sign="$top_builddir/tools/sign/dkimsa-sign"
load="$top_builddir/tools/miltload/dkimsa-miltload"
oracle="$top_srcdir/tests/node/arc-oracle.js"
keys="$top_srcdir/tests/data/keys"
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-arcbench.XXXXXX") || exit 1
pid=
cleanup()
{
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	dnsh_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

MAILAUTH_DIR=$(sh "$top_srcdir/tests/node/install.sh" \
	"$top_builddir/tests/node") || exit 1
export MAILAUTH_DIR
cp "$keys/rsa2048.pem" "$T/" && chmod 600 "$T/rsa2048.pem"
p=$(openssl pkey -in "$T/rsa2048.pem" -pubout -outform DER |
	openssl base64 -A)
{
	echo '@ 3600 IN SOA ns.test. h.test. 1 3600 600 86400 60'
	echo '@ 3600 IN NS ns.test.'
	printf 'rsa._domainkey 3600 IN TXT "v=DKIM1; k=rsa; " %s\n' \
		"$(printf 'p=%s' "$p" | fold -w 200 | sed 's/.*/"&"/' |
			tr '\n' ' ')"
} >"$T/oracle.zone"
printf 'rsa._domainkey.oracle.test v=DKIM1; k=rsa; p=%s\n' "$p" >"$T/keys.txt"
mkdir "$T/dns" && dnsh_init "$T/dns" &&
	dnsh_add_zone oracle.test "$T/oracle.zone" && dnsh_build &&
	dnsh_conf_auth || exit 1

"$load" -w "$T/plain.tmp" -b 1k -f user@insecure.test >/dev/null || exit 1
"$sign" -d insecure.test -s sel2048 -k "$keys/rsa2048.pem" \
	<"$T/plain.tmp" >"$T/plain.msg" || exit 1
cp "$T/plain.msg" "$T/h0.msg"
for h in 1 2 3; do
	node "$oracle" seal "$T/keys.txt" "$T/rsa2048.pem" oracle.test rsa \
		rsa-sha256 "hop$h.oracle.test" 1764158400 \
		<"$T/h$((h - 1)).msg" >"$T/h$h.msg" || exit 1
done
[ "$(node "$oracle" verify "$T/keys.txt" <"$T/h3.msg")" = "arc=pass i=3" ] ||
	exit 1

cat >"$T/dkimsa.conf" <<EOC
Mode v
Socket unix:$T/m.sock
AllowRoot yes
Syslog no
SyslogSuccess no
SPF no
SenderID no
ADSP no
AuthservID mx.example.test
UnboundConfigFile $DNSH_DIR/unbound.conf
ARCOldestPass ${ARC_BENCH_OLDEST:-yes}
EOC
"$dkimsa" -f -x "$T/dkimsa.conf" >"$T/m.log" 2>&1 &
pid=$!
i=0
until [ -S "$T/m.sock" ] || [ $i -gt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

# row NAME MSG: microseconds of milter CPU per message
row()
{
	"$load" -s "unix:$T/m.sock" -a 192.0.2.10 -m "$2" -n 200 \
		>/dev/null 2>&1 # warm
	ppid=
	if [ -n "${ARC_BENCH_PERF:-}" ] && [ "$1" = arc3 ]; then
		perf record -g -o "$ARC_BENCH_PERF" -p "$pid" \
			>"$T/perf.log" 2>&1 &
		ppid=$!
		sleep 1
	fi
	"$load" -s "unix:$T/m.sock" -a 192.0.2.10 -m "$2" \
		-n "$ARC_BENCH_MSGS" -p "$pid" >"$T/$1.out" 2>&1
	[ -n "$ppid" ] && kill -INT "$ppid" && wait "$ppid"
	sed -n 's/^RESULT.* cpu_us=\([0-9.]*\).*/\1/p' "$T/$1.out"
}
# the milter must see the chain pass, or the numbers mean nothing
"$load" -s "unix:$T/m.sock" -a 192.0.2.10 -m "$T/h3.msg" -n 1 -v \
	>"$T/check.out" 2>&1
grep -q 'arc=pass' "$T/check.out" || {
	echo "arc-bench.sh: the 3-hop chain does not pass: $(cat "$T/check.out")"
	exit 1
}
plain=$(row plain "$T/plain.msg")
arc=$(row arc3 "$T/h3.msg")
ossl=$(openssl speed -seconds 2 rsa2048 2>/dev/null |
	awk '/^rsa 2048 bits/ { print 1000000 / $NF }')
echo "ARC verify, milter CPU per message (1 KiB, DKIM RSA-2048, warm DNS):"
n=4
[ "${ARC_BENCH_OLDEST:-yes}" = yes ] && n=6
awk -v p="$plain" -v a="$arc" -v v="$ossl" -v n=$n 'BEGIN {
	printf "  without ARC %8.1f us\n  3-hop chain %8.1f us\n", p, a
	printf "  4 RSA-2048 verifies (openssl speed) %.1f us\n", 4 * v
	printf "  ARC work beyond the verifies %.1f us (budget 150 us)\n",
	    a - p - 4 * v
	if (n > 4)
		printf "  beyond the %d verifies made (ARCOldestPass yes) %.1f us\n",
		    n, a - p - n * v
}'
