# SPDX-License-Identifier: BSD-2-Clause
# tests/bench/lib.sh - what the milter benchmarks share (milter-bench.sh,
# metrics-bench.sh, opendkim-bench.sh), sourced first (POSIX sh).
# Sourcing it: top_builddir, top_srcdir defaults; load (dkimsa-miltload),
# milter (dkimsa), sign (dkimsa-sign), each checked to be built, and the
# DNS harness (tests/dns/harness.sh) sourced.
#
#     bench_init TAG        $tmp, a scratch directory; at exit the milter
#                           $mpid is killed, the function bench_atexit
#                           run (when the script has one), the DNS harness
#                           stopped and $tmp removed (kept when BENCH_KEEP
#                           is set)
#     bench_keys            $tmp/sel.private (tests/data/keys/rsa2048.pem),
#                           $tmp/KeyTable and $tmp/SigningTable naming it
#                           as sel._domainkey.example.test for *@example.test
#     bench_dns auth|nsd LINE...  zone example.test: the key, SPF passing
#                           192.0.2.0/24 (client.example.test: 192.0.2.10),
#                           ADSP dkim=all, plus LINES; served as auth-zones
#                           ($DNSH_DIR/unbound.conf) or by nsd
#                           ($DNSH_DIR/unbound-nsd.conf)
#     bench_signed SIZE...  $tmp/plain-SIZE and $tmp/signed-SIZE (signed
#                           by dkimsa-sign with the key)
#     bench_args MODE SIZE  dkimsa-miltload's arguments: sign* from
#                           127.0.0.1 with a SIZE body, else verify
#                           $tmp/signed-SIZE from 192.0.2.10
#     bench_ready SOCK LOG  0 once the milter $mpid answers on SOCK (5 s
#                           at most); else 1, with LOG's tail on stderr
#     bench_stop            SIGTERM to $mpid, SIGKILL after 5 s; 0 when
#                           it was still running; $mpid emptied
#     v KEY                 KEY's value in $r (a RESULT line)
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
bench_name=$(basename "$0")
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
sign="$top_builddir/tools/sign/dkimsa-sign"
for p in "$load" "$milter" "$sign"; do
	[ -x "$p" ] || {
		echo "$bench_name: $p not built" >&2
		exit 1
	}
done
. "$top_srcdir/tests/dns/harness.sh"
mpid=

bench_init()
{
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	trap bench_cleanup EXIT
	trap 'exit 1' INT TERM
}

bench_cleanup()
{
	if command -v bench_atexit >/dev/null 2>&1; then
		bench_atexit
	fi
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null &&
		wait "$mpid" 2>/dev/null
	dnsh_cleanup
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
}

bench_keys()
{
	cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$tmp/sel.private" &&
		chmod 600 "$tmp/sel.private" || exit 1
	echo "sel._domainkey.example.test example.test:sel:$tmp/sel.private" \
		>"$tmp/KeyTable"
	echo "*@example.test sel._domainkey.example.test" >"$tmp/SigningTable"
}

bench_dns()
{
	bd_how=$1
	shift
	mkdir "$tmp/dns" || exit 1
	cat >"$tmp/example.zone" <<EOF
\$TTL 3600
@        SOA  ns1 hostmaster 1 3600 600 86400 3600
@        NS   ns1
ns1      A    127.0.0.1
@        A    192.0.2.1
@        TXT  "v=spf1 ip4:192.0.2.0/24 -all"
client   A    192.0.2.10
client   TXT  "v=spf1 ip4:192.0.2.0/24 -all"
sel._domainkey TXT ( $(dnsh_dkim_txt "$tmp/sel.private") )
_adsp._domainkey TXT "dkim=all"
EOF
	for bd_l in "$@"; do
		echo "$bd_l" >>"$tmp/example.zone"
	done
	if ! { dnsh_init "$tmp/dns" &&
		dnsh_add_zone example.test "$tmp/example.zone" && dnsh_build; }; then
		echo "$bench_name: DNS harness failed" >&2
		exit 1
	fi
	case $bd_how in
	nsd) dnsh_nsd_start && dnsh_conf_nsd ;;
	*) dnsh_conf_auth ;;
	esac || {
		echo "$bench_name: DNS harness failed" >&2
		exit 1
	}
}

bench_signed()
{
	for bs_size in "$@"; do
		"$load" -w "$tmp/plain-$bs_size" -b "$bs_size" &&
			"$sign" -d example.test -s sel -k "$tmp/sel.private" \
				<"$tmp/plain-$bs_size" >"$tmp/signed-$bs_size" ||
			exit 1
	done
}

bench_args()
{
	case $1 in
	sign*) echo "-a 127.0.0.1 -b $2" ;;
	*) echo "-a 192.0.2.10 -N client.example.test -H client.example.test -m $tmp/signed-$2" ;;
	esac
}

bench_ready()
{
	br_i=0
	while [ $br_i -lt 100 ]; do
		"$load" -s "$1" -n 1 -t 5 >/dev/null 2>&1 && return 0
		kill -0 "$mpid" 2>/dev/null || break
		sleep 0.05
		br_i=$((br_i + 1))
	done
	echo "$bench_name: the milter did not start on $1:" >&2
	tail -5 "$2" >&2
	return 1
}

bench_stop()
{
	bs_rc=0
	kill -TERM "$mpid" 2>/dev/null || bs_rc=1
	bs_i=0
	while kill -0 "$mpid" 2>/dev/null && [ $bs_i -lt 100 ]; do
		sleep 0.05
		bs_i=$((bs_i + 1))
	done
	if kill -0 "$mpid" 2>/dev/null; then
		echo "$bench_name: milter still running 5 s after SIGTERM" >&2
		kill -KILL "$mpid"
	fi
	wait "$mpid"
	bs_status=$?
	mpid=
	return $bs_rc
}

v()
{
	echo "$r" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
