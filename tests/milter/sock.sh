#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# sock.sh - a unix Socket in use is never taken over: a second dkimsa on
# the socket of a running one refuses to start and the first keeps
# answering; a stale socket (its milter killed) is replaced; a file that
# is not a socket is left alone.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/milter/lib.sh"
milter_init sock

# 0 when something accepts a connection on the unix socket $1
answers()
{
	/usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])' "$1" 2>/dev/null
}

wait_answers()
{
	i=0
	until answers "$1" || [ $i -gt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	answers "$1"
}

openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null
chmod 600 "$T/ed.private"
cat >"$T/dkimsa.conf" <<EOC
Mode s
Socket unix:$T/sock
AllowRoot yes
Domain csl:example.test
KeyFile $T/ed.private
Selector ed
SignatureAlgorithm ed25519-sha256
EOC

"$dkimsa" -f -x "$T/dkimsa.conf" >"$T/first.log" 2>&1 &
first=$!
pids="$first"
if ! wait_answers "$T/sock"; then
	check "the first instance listens" "$(cat "$T/first.log")"
	exit 0
fi

timeout 10 "$dkimsa" -f -x "$T/dkimsa.conf" >"$T/second.log" 2>&1
rc=$?
case $rc:$(cat "$T/second.log") in
0:* | 124:*) check "a second instance on a socket in use refuses to start" \
	"exit $rc: $(cat "$T/second.log")" ;;
*"another milter is listening"*) check \
	"a second instance on a socket in use refuses to start" ok ;;
*) check "a second instance on a socket in use refuses to start" \
	"exit $rc without the reason: $(cat "$T/second.log")" ;;
esac
if answers "$T/sock" && kill -0 "$first" 2>/dev/null; then
	check "the running instance keeps its socket" ok
else
	check "the running instance keeps its socket" "no answer"
fi

kill -9 "$first"
wait "$first" 2>/dev/null
if [ -S "$T/sock" ] && ! answers "$T/sock"; then
	"$dkimsa" -f -x "$T/dkimsa.conf" >"$T/third.log" 2>&1 &
	pids="$pids $!"
	if wait_answers "$T/sock"; then
		check "a stale socket is replaced" ok
	else
		check "a stale socket is replaced" "$(cat "$T/third.log")"
	fi
	kill -TERM $! 2>/dev/null
else
	check "a stale socket is replaced" "no stale socket after kill -9"
fi

sed "s#^Socket .*#Socket unix:$T/file#" "$T/dkimsa.conf" >"$T/file.conf"
echo keep >"$T/file"
timeout 10 "$dkimsa" -f -x "$T/file.conf" >"$T/file.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ "$(cat "$T/file")" = keep ] &&
	grep -q "not a socket" "$T/file.log"; then
	check "a file that is not a socket is left alone" ok
else
	check "a file that is not a socket is left alone" \
		"exit $rc: $(cat "$T/file.log")"
fi
exit 0
