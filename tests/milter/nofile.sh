#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# nofile.sh - the milter raises its soft RLIMIT_NOFILE to the hard limit
# and says so: started with a soft limit of 128, it serves 400 concurrent
# connections (at the limit libmilter's listener spins on accept() and
# new connections hang).
# Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs another
# dkimsa binary.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-nofile.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() { # check NAME STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $3"
	fi
}

hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 600 ]; then
	echo "SKIP: the milter raises its open files limit: hard limit $hard"
	exit 0
fi
openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null &&
	chmod 600 "$T/ed.private" || exit 1
cat > "$T/dkimsa.conf" <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
SyslogSuccess no
Domain csl:example.test
KeyFile $T/ed.private
Selector ed
SignatureAlgorithm ed25519-sha256
EOF
ulimit -Sn 128
"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
mpid=$!
ulimit -Sn "$hard"
i=0
while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
want=$hard
[ "$hard" = unlimited ] && want=1048576
grep -q "open files limit $want: about $((want - 64)) concurrent milter connections" "$T/log"
check "the milter raises its soft open files limit to the hard one and logs it" \
	$? "$(head -3 "$T/log") (hard limit $hard)"
# 400 sessions held open for 4 s: the milter must hold them all at once.
"$load" -s "unix:$T/sock" -c 400 -d 4 -t 30 -f user@example.test \
	> "$T/out" 2> "$T/err" &
lpid=$!
peak=0
for i in 1 2 3 4 5 6; do
	sleep 0.5
	n=$(ls "/proc/$mpid/fd" 2>/dev/null | wc -l)
	[ "$n" -gt "$peak" ] && peak=$n
done
wait "$lpid"
r=$(grep '^RESULT' "$T/out")
echo "# peak $peak descriptors in the milter; $r"
[ "$peak" -gt 400 ]
check "400 concurrent connections with a soft limit of 128 at start" $? \
	"the milter held $peak descriptors at most"
echo "$r" | grep -q ' errors=0 '
check "400 concurrent connections: no message fails" $? \
	"$r $(head -3 "$T/err")"
exit 0
