#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# lazy.sh - KeyTable and SigningTable looked up per message (issue 11):
# a KeyTable entry whose key file is missing or broken does not stop the
# milter starting when the table is a db: table or a file: table of 1,000
# lines or more, and other domains are signed; a message that needs it is
# tempfailed (On-InternalError's default) and the reason is logged with
# the table and key name once, not per message; a key file replaced on
# disk is used without SIGHUP, and one replaced by a 384-bit RSA key (RFC
# 8301 3.2: refused for signing) tempfails like a broken one, logged with
# the file; dkimsa -n still checks the whole table and
# names the entry; a small file: table is still checked at start.
# Messages are sent with dkimsa-miltload.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/keytable/lib.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-lazy.XXXXXX") || exit 1
mpid=
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/good.private" &&
	printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'bm90IGEga2V5' \
		'-----END PRIVATE KEY-----' > "$T/broken.private" &&
	chmod 600 "$T/good.private" "$T/broken.private" || exit 1

# tables FILLER: KeyTable and SigningTable text with FILLER more entries
tables() {
	{
		echo "kgood good.test:sel:$T/good.private"
		echo "kbad bad.test:sel:$T/missing.private"
		echo "kbroken broken.test:sel:$T/broken.private"
		awk -v n="$1" -v k="$T/good.private" 'BEGIN {
			for (i = 1; i <= n; i++)
				printf "f%d f%d.test:sel:%s\n", i, i, k }'
	} > "$T/KeyTable"
	printf '%s\n' "good.test kgood" "bad.test kbad" \
		"broken.test kbroken" > "$T/SigningTable"
}

conf() { # TYPE SUFFIX
	cat > "$T/dkimsa.conf" <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable $1:$T/KeyTable$2
SigningTable $1:$T/SigningTable$2
EOF
}

start() {
	rm -f "$T/sock"
	: > "$T/log"
	"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
	mpid=$!
	i=0
	until [ -S "$T/sock" ] || [ "$i" -gt 100 ] || ! kill -0 "$mpid" 2>/dev/null
	do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$T/sock" ]
}

stop() {
	kill -TERM "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
}

send() { # DOMAIN: dkimsa-miltload's report in $T/out
	"$load" -s "unix:$T/sock" -n 1 -t 10 -v -a 127.0.0.1 \
		-f "user@$1" > "$T/out" 2>&1
}

signed() { send "$1" && grep -q 'insheader 0 DKIM-Signature:' "$T/out"; }
tempfailed() { send "$1"; grep -q '^RESULT.* tempfail=1' "$T/out"; }

# name TYPE: the lazy tables' checks
lazy_checks() {
	check "$1: milter starts with unusable KeyTable entries" start
	check "$1: unused broken key lets other domains sign" signed good.test
	check "$1: missing key file tempfails" tempfailed bad.test
	check "$1: missing key file tempfails again" tempfailed bad.test
	check "$1: broken key file tempfails" tempfailed broken.test
	check "$1: still signs the others" signed good.test
	n=$(grep -c "KeyTable $2, key \"kbad\": key $T/missing.private: No such file" "$T/log")
	check "$1: missing key logged once with table and key name" \
		[ "$n" = 1 ]
	check "$1: broken key logged with table and key name" \
		grep -q "KeyTable $2, key \"kbroken\": key $T/broken.private:" \
		"$T/log"
	openssl genpkey -algorithm ed25519 -out "$T/new.private" 2>/dev/null &&
		chmod 600 "$T/new.private" && mv "$T/new.private" "$T/good.private"
	send good.test
	check "$1: key file replaced on disk used without SIGHUP" \
		grep -q 'a=ed25519-sha256' "$T/out"
	cp "$top_srcdir/tests/data/keys/rsa384.pem" "$T/good.private"
	check "$1: key file replaced by a 384-bit RSA key tempfails" \
		tempfailed good.test
	check "$1: 384-bit key logged with table, key name, file and size" \
		grep -q "KeyTable $2, key \"kgood\": key $T/good.private: RSA key is 384 bits; signing keys must have at least 1024" \
		"$T/log"
	cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/good.private"
	check "$1: the 2048-bit key put back signs again" signed good.test
	stop
}

# db: tables
tables 10
"$TABLE" -t db "$T/KeyTable" && "$TABLE" -t db "$T/SigningTable" || exit 1
conf db .db
lazy_checks "db" "db:$T/KeyTable.db"
expect_rc "db: dkimsa -n checks the whole KeyTable" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "db: dkimsa -n names the db key" \
	"$T/KeyTable.db, key \"kb[a-z]*\": key $T/[a-z]*.private"

# file: tables at the threshold (1,000 lines) are looked up lazily
tables 997
conf file ""
lazy_checks "file of 1000 lines" "file:$T/KeyTable"
expect_rc "file of 1000 lines: dkimsa -n checks the whole KeyTable" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "file of 1000 lines: dkimsa -n names file and line" \
	"$T/KeyTable, line 2: key $T/missing.private: No such file"

# a small file: table is checked whole at start
tables 996
timeout 10 "$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1
rc=$?
check "small file KeyTable checked at start: the milter does not start" \
	[ "$rc" = 1 ]
check "small file KeyTable checked at start: file and line named" \
	grep -q "$T/KeyTable, line 2: key $T/missing.private: No such file" \
	"$T/log"
exit 0
