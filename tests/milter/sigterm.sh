#!/bin/sh
# sigterm.sh - SIGTERM while a message is in progress: the milter stops
# taking connections but finishes that message (signs it) before exiting.
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
"$top_builddir/milter/dkimsa" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
i=0
until [ -S "$T/sock" ] && [ -s "$T/pid" ] || [ $i -gt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
/usr/bin/python3 "$top_srcdir/tests/milter/rawclient.py" "$T/sock" "$T/pid" > "$T/out" 2>&1
if grep -q "insheader DKIM-Signature" "$T/out" && grep -q "continue\|accept" "$T/out"; then
	echo "PASS: a message in progress when SIGTERM arrives is still signed"
else
	echo "FAIL: a message in progress when SIGTERM arrives is still signed: $(cat "$T/out" "$T/log")"
fi
pid=$(cat "$T/pid" 2>/dev/null)
i=0
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
