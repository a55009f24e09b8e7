#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# histfile.sh - DMARCHistoryFile (milter/histfile.c) under concurrency and
# with a full disk: lines from 8 threads never mix; on /dev/full and on a
# tiny tmpfs that fills up every append returns (mail is never held), the
# failure is logged once, the lines written read back whole through
# dkimsa-reports, a line cut by the full disk is refused, and once space
# comes back the next line starts on a line of its own.  The tmpfs rows
# mount in a private mount namespace (unshare -m), as root.
: "${top_srcdir:?}" "${top_builddir:?}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-histfile.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
hw="$top_builddir/tests/milter/histwrite"
tool="$top_builddir/tools/reports/dkimsa-reports"

ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1: $2"; }
# summary FILE: dkimsa-reports' count line for the file
summary() {
	"$tool" --org-name o --email e@x.example --receiver x.example \
		--from 1764115200 --to 1764201600 --outdir "$dir" "$1" \
		2> "$dir/reports.err" | head -1
}

out=$("$hw" "$dir/h" 2000 8 2> "$dir/err")
[ "$out" = "written 16000 failed 0" ] && ok "8 threads append 16000 lines" ||
	bad "8 threads append 16000 lines" "$out $(cat "$dir/err")"
s=$(summary "$dir/h")
case $s in
*"16000 lines, 16000 in the period, 0 bad"*)
	ok "every concurrently appended line reads back whole" ;;
*) bad "every concurrently appended line reads back whole" "$s" ;;
esac
n=$(cut -d' ' -f3 "$dir/h" | sort -u | wc -l)
[ "$n" = 16000 ] && ok "each line appears once (16000 distinct job ids)" ||
	bad "each line appears once (16000 distinct job ids)" "$n"

out=$("$hw" /dev/full 500 4 2> "$dir/err")
[ "$out" = "written 0 failed 2000" ] &&
	ok "on /dev/full every append returns (2000 failures, none hang)" ||
	bad "on /dev/full every append returns (2000 failures, none hang)" "$out"
n=$(grep -c "DMARCHistoryFile /dev/full: No space left on device" "$dir/err")
[ "$n" -ge 1 ] && [ "$n" -le 3 ] &&
	ok "a full disk is logged once, then once per 1000 lost lines" ||
	bad "a full disk is logged once, then once per 1000 lost lines" "$n lines: $(head -3 "$dir/err")"

# The DMARCHistoryFile key: dkimsa -n checks, the milter creates.
dkimsa="$top_builddir/milter/dkimsa"
conf() { printf 'Mode v\nSocket inet:%s@127.0.0.1\nAllowRoot yes\nDMARCHistoryFile %s\n' "$1" "$2" > "$dir/h.conf"; }
conf 1 "$dir/nodir/h"
out=$("$dkimsa" -n -x "$dir/h.conf" 2>&1)
case $out in
*"DMARCHistoryFile $dir/nodir/h: cannot create in $dir/nodir"*)
	ok "dkimsa -n refuses a DMARCHistoryFile it cannot create" ;;
*) bad "dkimsa -n refuses a DMARCHistoryFile it cannot create" "$out" ;;
esac
conf 1 "$dir/new.h"
out=$("$dkimsa" -n -x "$dir/h.conf" 2>&1)
[ ! -e "$dir/new.h" ] && case $out in *"configuration OK"*) true ;; *) false ;; esac &&
	ok "dkimsa -n accepts a creatable DMARCHistoryFile without creating it" ||
	bad "dkimsa -n accepts a creatable DMARCHistoryFile without creating it" "$out"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
conf "$port" "$dir/new.h"
"$dkimsa" -f -x "$dir/h.conf" > "$dir/milter.log" 2>&1 &
mpid=$!
i=0
while [ ! -e "$dir/new.h" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
mode=$(stat -c %a "$dir/new.h" 2>/dev/null)
kill "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null
[ "$mode" = 640 ] && ok "the milter creates the DMARCHistoryFile at start, mode 0640" ||
	bad "the milter creates the DMARCHistoryFile at start, mode 0640" "mode '$mode': $(cat "$dir/milter.log")"

if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	bad "tiny tmpfs rows" "need root and unshare -m (the suite runs as root)"
	exit 0
fi
mkdir "$dir/mnt"
# 64 KiB: a 16 KiB filler and a few hundred lines fill it; the first failed
# write removes the filler so the rest of the run writes again.
unshare -m sh -c '
	mount -t tmpfs -o size=64k tmpfs "$1" || exit 1
	head -c 16384 /dev/zero > "$1/filler"
	"$2" "$1/h" 170 1 "$1/filler" > "$3/tfs.out" 2> "$3/tfs.err"
	cp "$1/h" "$3/tfs.h"
	umount "$1"' sh "$dir/mnt" "$hw" "$dir"
read -r _ w _ f < "$dir/tfs.out"
[ "${f:-0}" -ge 1 ] && [ "$((w + f))" = 170 ] &&
	ok "a tmpfs that fills up: every append returns ($w written, $f lost)" ||
	bad "a tmpfs that fills up: every append returns" "$(cat "$dir/tfs.out" "$dir/tfs.err")"
grep -q "writing again after" "$dir/tfs.err" &&
	ok "writing again after the disk had room is logged" ||
	bad "writing again after the disk had room is logged" "$(cat "$dir/tfs.err")"
s=$(summary "$dir/tfs.h")
good=$(echo "$s" | sed -n 's/.* lines, \([0-9]*\) in the period, \([0-9]*\) bad.*/\1 \2/p')
set -- $good
[ "$1" = "$w" ] && ok "every line written on the filling disk reads back ($w)" ||
	bad "every line written on the filling disk reads back" "$s (wrote $w)"
[ "${2:-9}" -le 1 ] && ok "at most one cut line, refused by the reader (${2:-?})" ||
	bad "at most one cut line, refused by the reader" "$s"
if [ "${2:-0}" = 1 ]; then
	grep -q "missing eol=\|bad value\|not key=value\|missing " "$dir/reports.err" &&
		ok "the cut line is named as refused" ||
		bad "the cut line is named as refused" "$(cat "$dir/reports.err")"
fi
tail -c 1 "$dir/tfs.h" | od -c | grep -q '\\n' &&
	ok "the file ends with a whole line after the episode" ||
	bad "the file ends with a whole line after the episode" "$(tail -c 80 "$dir/tfs.h")"
exit 0
