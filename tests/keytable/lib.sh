# SPDX-License-Identifier: BSD-2-Clause
# tests/keytable/lib.sh - helpers sourced by the keytable test scripts.
# check NAME COND-COMMAND...: runs the command, prints PASS/FAIL.
# expect_rc NAME WANT COMMAND...: runs COMMAND, compares its exit status.
TABLE="$top_builddir/tools/table/dkimsa-table"
GENKEY="$top_builddir/tools/genkey/dkimsa-genkey"
TESTKEY="$top_builddir/tools/testkey/dkimsa-testkey"

check() {
	kt_name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "PASS: $kt_name"
	else
		echo "FAIL: $kt_name: $*"
	fi
}

expect_rc() {
	kt_name=$1 kt_want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	kt_rc=$?
	if [ "$kt_rc" -eq "$kt_want" ]; then
		echo "PASS: $kt_name"
	else
		echo "FAIL: $kt_name: exit $kt_rc, want $kt_want: $(head -c 300 "$T/out" "$T/err" | tr '\n' ' ')"
	fi
}

# grep_out NAME PATTERN: the last expect_rc output (stdout+stderr) has it.
grep_out() {
	if cat "$T/out" "$T/err" | grep -q -- "$2"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: no \"$2\" in: $(cat "$T/out" "$T/err" | head -c 300 | tr '\n' ' ')"
	fi
}

# dkimpy_verifies OUT FROM KEYFILE [tamper]: the DKIM-Signature that
# dkimsa-miltload -v printed in OUT (escaped: \r \n \t) put back on top of
# the message dkimsa-miltload generates for FROM (-w writes it), and the
# result verified by dkimpy (tests/e2e/dkimpy_check.py under
# /usr/bin/python3, Debian's python3-dkim) with the key record of
# KEYFILE's public key answered for the signature's s= and d=.  With
# "tamper" the body is changed first (the check must then fail).
dkimpy_verifies() {
	"$top_builddir/tools/miltload/dkimsa-miltload" -w "$T/dkimpy.msg" \
		-f "$2" || return 1
	kt_sig=$(sed -n 's/^[^ ]*: insheader 0 \(DKIM-Signature:.*\)$/\1/p' "$1" |
		head -n 1)
	[ -n "$kt_sig" ] || return 1
	# s= and d=: the first of each in the unfolded value (before b=)
	kt_flat=$(printf '%b' "$kt_sig" | tr -d '\r\n' | tr '\t' ' ')
	kt_s=$(printf '%s\n' "$kt_flat" | grep -o '[; ]s=[^; ]*' | head -n 1 | cut -c 4-)
	kt_d=$(printf '%s\n' "$kt_flat" | grep -o '[; ]d=[^; ]*' | head -n 1 | cut -c 4-)
	[ -n "$kt_s" ] && [ -n "$kt_d" ] || return 1
	printf 'v=DKIM1; k=rsa; p=%s\n' "$(openssl pkey -in "$3" -pubout \
		-outform DER 2>/dev/null | base64 -w 0)" > "$T/dkimpy.rec"
	{
		printf '%b\r\n' "$kt_sig"
		if [ "${4:-}" = tamper ]; then
			sed 's/quick brown fox/quick brown cat/'
		else
			cat
		fi < "$T/dkimpy.msg"
	} > "$T/dkimpy.signed"
	/usr/bin/python3 "$top_srcdir/tests/e2e/dkimpy_check.py" \
		"$T/dkimpy.signed" "$kt_s._domainkey.$kt_d=$T/dkimpy.rec" \
		> "$T/dkimpy.out" 2>&1
	grep -qx "0 $kt_d rsa-sha256 pass" "$T/dkimpy.out" &&
		! grep -q ' fail$' "$T/dkimpy.out"
}

# dkimpy_rejects OUT FROM KEYFILE: with its body changed, the message of
# dkimpy_verifies fails dkimpy's verification (so the check can fail):
# dkimpy raises "body hash mismatch".
dkimpy_rejects() {
	! dkimpy_verifies "$1" "$2" "$3" tamper &&
		grep -q 'body hash mismatch' "$T/dkimpy.out"
}

# The milter against a table server (ldap.sh, pgsql.sh): they set $milter,
# $load and write $T/dkimsa.conf with Socket unix:$T/sock.
# kt_milter_start: dkimsa -f on it, output appended to $T/log; sets mpid.
# kt_milter_stop: SIGTERM, waited for.
# kt_send DOMAIN: one message from user@DOMAIN (127.0.0.1), exchange in
# $T/out.  kt_signed DOMAIN: kt_send, and 0 when it got our signature.
kt_milter_start() {
	rm -f "$T/sock"
	"$milter" -f -x "$T/dkimsa.conf" >>"$T/log" 2>&1 &
	mpid=$!
	kt_i=0
	until [ -S "$T/sock" ] || [ "$kt_i" -gt 100 ]; do
		sleep 0.1
		kt_i=$((kt_i + 1))
	done
}

kt_milter_stop() {
	kill -TERM "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
}

kt_send() {
	"$load" -s "unix:$T/sock" -n 1 -t 20 -v -a 127.0.0.1 \
		-f "user@$1" >"$T/out" 2>&1
}

kt_signed() {
	kt_send "$1" &&
		grep -q 'insheader 0 DKIM-Signature:.*d=example.test' "$T/out"
}
