#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# sigterm.sh - SIGTERM while a message is in progress: the milter stops
# taking connections but finishes that message (signs it) before exiting;
# then the same under 1,500 connections (dkimsa-miltload).
# Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs another dkimsa
# binary.
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-term.XXXXXX") || exit 1
trap 'kill $(cat "$T/pid" 2>/dev/null) 2>/dev/null; rm -rf "$T"' EXIT
openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null
chmod 600 "$T/ed.private"
cat > "$T/dkimsa.conf" <<EOC
Mode s
Socket unix:$T/sock
AllowRoot yes
PidFile $T/pid
Domain csl:example.test
KeyFile $T/ed.private
Selector ed
SignatureAlgorithm ed25519-sha256
EOC
"${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
i=0
until [ -S "$T/sock" ] && [ -s "$T/pid" ] || [ $i -gt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
pid=$(cat "$T/pid" 2>/dev/null) # the milter removes it when it exits
/usr/bin/python3 "$top_srcdir/tests/milter/rawclient.py" "$T/sock" "$T/pid" > "$T/out" 2>&1
if grep -q "insheader DKIM-Signature" "$T/out" && grep -q "continue\|accept" "$T/out"; then
	echo "PASS: a message in progress when SIGTERM arrives is still signed"
else
	echo "FAIL: a message in progress when SIGTERM arrives is still signed: $(cat "$T/out" "$T/log")"
fi
i=0
# about a second after the message (dkimsa.8)
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
	echo "PASS: after SIGTERM the milter exits once the message is done"
else
	echo "FAIL: after SIGTERM the milter exits once the message is done: still running"
fi
if [ ! -e "$T/pid" ]; then
	echo "PASS: the PidFile is removed on exit"
else
	echo "FAIL: the PidFile is removed on exit: still there"
fi

# SIGTERM under load: 1,500 connections signing when SIGTERM comes.  Every
# message the milter had taken (MAIL answered) is finished and signed;
# nothing is cut off; later messages get a temporary failure.
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
conns=${SIGTERM_LOAD_CONNS:-1500}
# a descriptor per connection, in the milter and in the client
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((conns + 200)) ] &&
	! ulimit -n $((conns + 200)) 2>/dev/null; then
	echo "SKIP: SIGTERM under $conns connections: open files hard limit $hard"
	exit 0
fi
rm -f "$T/sock" "$T/pid"
cat >> "$T/dkimsa.conf" <<EOC
Syslog no
SyslogSuccess no
EOC
"$milter" -f -x "$T/dkimsa.conf" > "$T/log2" 2>&1 &
mpid=$!
i=0
until [ -S "$T/sock" ] && [ -s "$T/pid" ] || [ $i -gt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$load" -s "unix:$T/sock" -c "$conns" -n 50 -d 10 -t 60 \
	-f alice@example.test > "$T/lout" 2> "$T/lerr" &
lpid=$!
sleep 5
# A thread in sigwait() shows SIGTERM (SigBlk bit 14) unblocked: only the
# main thread may (libmilter's signal thread would stop at once).  The low
# 32 bits only: sh arithmetic is signed 64-bit.
sig_takers() {
	takers=$(grep -H '^SigBlk:' /proc/$mpid/task/*/status 2>/dev/null |
		while IFS=' 	' read -r f blk; do
			[ $((0x${blk#????????} & 0x4000)) -eq 0 ] &&
				t=${f%/status:SigBlk:} && printf ' %s' "${t##*/}"
		done)
}
i=0
sig_takers
while [ "$takers" != " $mpid" ] && [ $i -lt 10 ]; do
	sleep 0.1
	i=$((i + 1))
	sig_takers
done
if [ "$takers" = " $mpid" ]; then
	echo "PASS: under load no thread but the main one can take SIGTERM"
else
	echo "FAIL: under load no thread but the main one can take SIGTERM: threads$takers (main $mpid)"
fi
kill -TERM "$mpid"
i=0
while kill -0 "$mpid" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$mpid" 2>/dev/null; then
	echo "FAIL: under load the milter exits after SIGTERM: still running after 30 s"
	kill -KILL "$mpid"
	wait "$mpid" 2>/dev/null
else
	wait "$mpid"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "PASS: under load the milter exits 0 after SIGTERM"
	else
		echo "FAIL: under load the milter exits 0 after SIGTERM: status $rc: $(tail -3 "$T/log2")"
	fi
fi
wait "$lpid"
r=$(grep '^RESULT' "$T/lout")
echo "# $(grep 'stopping' "$T/log2"); $r"
cont=$(echo "$r" | sed -n 's/.* continue=\([0-9]*\) .*/\1/p')
acc=$(echo "$r" | sed -n 's/.* accept=\([0-9]*\) .*/\1/p')
dkim=$(echo "$r" | sed -n 's/.* dkim=\([0-9]*\) .*/\1/p')
if echo "$r" | grep -q ' cut=0 ' && [ "${cont:-0}" -gt 0 ]; then
	echo "PASS: SIGTERM under $conns connections cuts off no message in progress"
else
	echo "FAIL: SIGTERM under $conns connections cuts off no message in progress: $r $(head -c 400 "$T/lerr")"
fi
if [ -n "$dkim" ] && [ "$dkim" -eq $((cont + acc)) ]; then
	echo "PASS: every message finished after SIGTERM is signed"
else
	echo "FAIL: every message finished after SIGTERM is signed: $r"
fi
if echo "$r" | grep -q ' tempfail=[1-9]'; then
	echo "PASS: messages begun after SIGTERM get a temporary failure"
else
	echo "FAIL: messages begun after SIGTERM get a temporary failure: $r"
fi
