#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# log.sh - where the milter's log goes.  In the foreground (-f) every
# line reaches standard error even when nothing listens on /dev/log, and
# dkimsa warns at start that syslog would lose them; with a syslog
# listener the lines go there too, with SyslogFacility and SyslogName.
# Each case runs in a mount namespace of its own whose /dev holds only
# null, zero, random, urandom and (second case) a /dev/log socket made
# by the test, so the machine's syslog is neither needed nor touched.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/milter/lib.sh"
milter_init log

if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: milter log destinations: needs root and unshare -m"
	exit 0
fi

openssl genpkey -algorithm ED25519 -out "$T/ed.private" 2>/dev/null
chmod 600 "$T/ed.private"
conf() # NAME, extra lines: a signing configuration in $T/NAME.conf
{
	name=$1
	shift
	cat >"$T/$name.conf" <<EOC
Mode s
Socket unix:$T/$name.sock
AllowRoot yes
Domain csl:example.test
KeyFile $T/ed.private
Selector ed
SignatureAlgorithm ed25519-sha256
EOC
	for l in "$@"; do
		echo "$l" >>"$T/$name.conf"
	done
}

# run NAME DEVDIR: dkimsa -f -x $T/NAME.conf with DEVDIR as /dev, until
# its start-up line is logged (at most 5 s); stderr in $T/NAME.err
run()
{
	mkdir -p "$2"
	for f in null zero random urandom; do
		[ -e "$2/$f" ] || touch "$2/$f"
	done
	unshare -m sh -c '
		for f in null zero random urandom; do
			mount --bind /dev/$f "$1/$f" || exit 1
		done
		mount --rbind "$1" /dev || exit 1
		exec "$2" -f -x "$3"' sh "$2" "$dkimsa" "$T/$1.conf" \
		>"$T/$1.out" 2>"$T/$1.err" &
	pid=$!
	pids="$pids $pid"
	i=0
	until grep -q "listening on" "$T/$1.err" || [ $i -gt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null # its clean stop is sigterm.sh's test
	wait "$pid" 2>/dev/null
}

# 1. No syslog daemon: the warning, and the log on standard error.
conf nosyslog
run nosyslog "$T/dev-empty"
if grep -q "listening on" "$T/nosyslog.err"; then
	check "in the foreground the log goes to standard error" ok
else
	check "in the foreground the log goes to standard error" \
		"$(cat "$T/nosyslog.err")"
fi
if grep -q "warning: Syslog is on but no syslog daemon listens on /dev/log" \
	"$T/nosyslog.err"; then
	check "without a syslog daemon dkimsa warns at start" ok
else
	check "without a syslog daemon dkimsa warns at start" \
		"$(cat "$T/nosyslog.err")"
fi

# 2. A syslog listener: SyslogFacility local3 (19), info (6): <158>.
conf withsyslog "SyslogFacility local3" "SyslogName dktest"
mkdir -p "$T/dev-log"
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
s.settimeout(10)
with open(sys.argv[2], "ab") as out:
    while True:
        try:
            out.write(s.recv(4096) + b"\n")
            out.flush()
        except socket.timeout:
            break
' "$T/dev-log/log" "$T/syslog.txt" &
pids="$pids $!"
i=0
until [ -S "$T/dev-log/log" ] || [ $i -gt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
run withsyslog "$T/dev-log"
if grep -q "warning: Syslog" "$T/withsyslog.err"; then
	check "with a syslog daemon there is no warning" \
		"$(cat "$T/withsyslog.err")"
else
	check "with a syslog daemon there is no warning" ok
fi
if grep -q "^<158>.*dktest\[[0-9]*\]: .*listening on" "$T/syslog.txt"; then
	check "syslog lines carry SyslogFacility and SyslogName" ok
else
	check "syslog lines carry SyslogFacility and SyslogName" \
		"$(head -c 300 "$T/syslog.txt")"
fi
if grep -q "dktest\[[0-9]*\]: .*listening on" "$T/withsyslog.err"; then
	check "in the foreground the log goes to standard error as well" ok
else
	check "in the foreground the log goes to standard error as well" \
		"$(cat "$T/withsyslog.err")"
fi
exit 0
