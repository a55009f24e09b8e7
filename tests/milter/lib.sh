# SPDX-License-Identifier: BSD-2-Clause
# tests/milter/lib.sh - what the milter test scripts share, sourced after
# tests/dns/harness.sh when a script uses the DNS harness (POSIX sh).
#
#     milter_init TAG          $T, a scratch directory; at exit every
#                              milter started is killed, the DNS harness
#                              cleaned up and $T removed
#     check NAME ok|DETAIL     prints "PASS: NAME" or "FAIL: NAME: DETAIL"
#     milter_conf NAME LINES.. $T/NAME.conf: the socket $T/NAME.sock,
#                              AllowRoot yes, Syslog no, then what the
#                              script's milter_base function prints (when
#                              it has one), then LINES
#     milter_start NAME LINES.. milter_conf, then dkimsa -f on it, its
#                              output in $T/NAME.log
#     milter_wait NAME...      waits (up to 10 s each) for their sockets
#     milter_reply NAME MSG [IP] sends $T/MSG.msg to milter NAME from IP
#                              (default 192.0.2.10) with mclient.py, the
#                              exchange in $T/NAME-MSG.out, and prints the
#                              MTA's verdict: accept, reject, tempfail,
#                              quarantine, or the last line
dkimsa="$top_builddir/milter/dkimsa"
client="$top_srcdir/tests/milter/mclient.py"
pids=

milter_init()
{
	T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-$1.XXXXXX") || exit 1
	trap milter_cleanup EXIT
	trap 'exit 1' INT TERM
}

milter_cleanup()
{
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	[ -z "$DNSH_DIR" ] || dnsh_cleanup
	[ -n "$KEEP" ] || rm -rf "$T"
}

check()
{
	if [ "$2" = ok ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi
}

milter_conf()
{
	mc_name=$1
	shift
	printf 'Socket unix:%s/%s.sock\nAllowRoot yes\nSyslog no\n' \
		"$T" "$mc_name" >"$T/$mc_name.conf"
	if command -v milter_base >/dev/null 2>&1; then
		milter_base >>"$T/$mc_name.conf"
	fi
	for mc_l in "$@"; do
		echo "$mc_l" >>"$T/$mc_name.conf"
	done
}

milter_start()
{
	milter_conf "$@"
	"$dkimsa" -f -x "$T/$1.conf" >"$T/$1.log" 2>&1 &
	pids="$pids $!"
}

milter_wait()
{
	for mw_name in "$@"; do
		mw_i=0
		until [ -S "$T/$mw_name.sock" ] || [ $mw_i -gt 100 ]; do
			sleep 0.1
			mw_i=$((mw_i + 1))
		done
	done
}

milter_reply()
{
	python3 "$client" "$T/$1.sock" "$T/$2.msg" "${3:-192.0.2.10}" \
		>"$T/$1-$2.out" 2>&1
	mr_last=$(tail -n 1 "$T/$1-$2.out")
	case $mr_last in
	"replycode 550 "*) echo reject ;;
	"replycode 451 "*) echo tempfail ;;
	"reply q") echo quarantine ;;
	accept | continue) echo accept ;;
	*) echo "$mr_last" ;;
	esac
}
