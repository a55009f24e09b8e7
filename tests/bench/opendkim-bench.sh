#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# opendkim-bench.sh - dkimsa and OpenDKIM side by side (issue 12): both
# milters run one after the other in the same run, on the same machine,
# with the same settings: unix socket, each of BENCH_CONNS connections
# (default "1 8"), RSA-2048 (tests/data/keys/rsa2048.pem as
# sel._domainkey.example.test, relaxed/relaxed, rsa-sha256), each of
# BENCH_SIZES bodies (default "1k 100k"), the same KeyTable,
# SigningTable and InternalHosts files, and DNS from nsd on 127.0.0.1
# reached through one unbound.conf with stub zones (tests/dns/harness.sh)
# that dkimsa reads as UnboundConfigFile and OpenDKIM (libunbound) as
# ResolverConfiguration.  Rows, BENCH_SECONDS each (default 5), after a
# short warm-up so caches are warm:
#   verify-dkim   SPF, SenderID, ADSP and DMARC off in dkimsa; OpenDKIM
#                 only does DKIM.  The message of each size is signed once by
#                 dkimpy (by dkimsa-sign when python3-dkim is missing) and
#                 both milters verify that same file.
#   sign-rsa      client 127.0.0.1 (an internal host), From example.test.
#   verify-all    dkimsa only: SPF, Sender ID, DKIM, ADSP and DMARC all on
#                 (the zone publishes p=reject; the message passes).
#   sign-ed25519  dkimsa only: tests/data/keys/ed25519.pem.
# Neither milter logs a line per message (dkimsa: SyslogSuccess no, as
# OpenDKIM's default; it still says on standard error that an external
# host sends as our domain, which the verify corpus does).
# Each row prints messages/s, p50/p99 latency (MAIL to final reply) and the
# milter's CPU time per message (/proc/PID/stat, its DNS threads
# included), then the OpenDKIM/dkimsa CPU ratios, the crypto floor
# (`openssl speed -seconds 2 rsa2048 ed25519`, microseconds per operation)
# and signing throughput (sign-rsa, 1k, the most connections) against the
# machine's ceiling (CPUs x openssl rsa2048 signs/s).  Then, dkimsa only
# (BENCH_LOAD_CONNS, default 32; BENCH_MEMORY=no skips it): verify-dkim
# and sign-rsa 1 KiB at that many connections (p99 latency), and the
# memory per message in flight: for 1 KiB, 1 MiB and 4 MiB messages, a
# fresh milter's peak resident size (VmHWM) under that many connections
# less its resident size before the load, divided by the connections.
#
# It is a benchmark: it does not judge the figures.  It does check that
# they measure real work: a verify row counts only when every message got
# an Authentication-Results header saying dkim=pass (dkimsa-miltload's
# ar_pass), a sign row only when every message got a DKIM-Signature, with
# no errors or tempfails; otherwise the row says FAIL and the exit status
# is 1.  Exit status 77 when opendkim or nsd is not installed.
# Environment: top_builddir, top_srcdir (absolute); BENCH_SECONDS;
# BENCH_CONNS; BENCH_SIZES; BENCH_MILTERS (default "dkimsa opendkim"); BENCH_KEEP
# (keep the temporary directory); BENCH_PERF (a path prefix: each row is
# also recorded by `perf record` into PREFIX.MILTER.ROW.SIZE.CONNS, with
# the options in BENCH_PERF_OPTS, default -g); BENCH_COUNT
# (set: the milter's instructions and context switches per message, from
# `perf stat` over the measured part, in the notes at the end);
# BENCH_LOAD_OPTS (more dkimsa-miltload options for the measured rows,
# e.g. -W: one write per packet instead of Postfix's buffering);
# BENCH_STRACE (set: its system calls per message, from `strace -c -f`
# over the measured part, in the notes; strace slows the milter, so the
# CPU column of such a run is not comparable); OPENDKIM (default
# opendkim); OPENSSL (default openssl).
: "${BENCH_SECONDS:=5}"
: "${BENCH_CONNS:=1 8}"
: "${BENCH_SIZES:=1k 100k}"
: "${BENCH_LOAD_CONNS:=32}"
: "${BENCH_MILTERS:=dkimsa opendkim}"
: "${OPENSSL:=openssl}"
PATH=$PATH:/usr/sbin:/sbin
: "${OPENDKIM:=$(command -v opendkim)}"
. "$(dirname "$0")/lib.sh"
if [ -z "$OPENDKIM" ] || [ ! -x "$OPENDKIM" ] || ! command -v nsd >/dev/null; then
	echo "opendkim-bench.sh: skipped (needs the opendkim and nsd packages)"
	exit 77
fi
bench_init opendkim-bench

# Keys and tables, shared by both milters.
bench_keys
cp "$top_srcdir/tests/data/keys/ed25519.pem" "$tmp/ed.private" &&
	chmod 600 "$tmp/ed.private" || exit 1
echo "ed._domainkey.example.test example.test:ed:$tmp/ed.private" \
	> "$tmp/KeyTable-ed"
echo "*@example.test ed._domainkey.example.test" > "$tmp/SigningTable-ed"
printf '127.0.0.1\n::1\n' > "$tmp/InternalHosts"

# DNS: the key, SPF for the client (192.0.2.10) and ADSP, served by nsd.
bench_dns nsd '_dmarc   TXT  "v=DMARC1; p=reject"'
ubconf="$DNSH_DIR/unbound-nsd.conf"

# The verify corpus: one message of each size signed once, verified by
# both (1024k, 4096k: the memory rows).
py=/usr/bin/python3 # Debian's, where python3-dkim is installed
signer=dkimsa-sign
"$py" -c 'import dkim' 2>/dev/null && signer=dkimpy
for size in $BENCH_SIZES 1k 1024k 4096k; do
	[ -s "$tmp/signed-$size" ] && continue
	"$load" -w "$tmp/plain-$size" -b "$size" || exit 1
	if [ $signer = dkimpy ]; then
		"$py" - "$tmp/plain-$size" "$tmp/sel.private" \
			"$tmp/signed-$size" <<'EOF' || exit 1
import sys, dkim
msg = open(sys.argv[1], "rb").read()
key = open(sys.argv[2], "rb").read()
sig = dkim.sign(msg, b"sel", b"example.test", key,
                canonicalize=(b"relaxed", b"relaxed"))
open(sys.argv[3], "wb").write(sig + msg)
EOF
	else
		"$sign" -d example.test -s sel -k "$tmp/sel.private" \
			-c relaxed/relaxed < "$tmp/plain-$size" \
			> "$tmp/signed-$size" || exit 1
	fi
done

sock="unix:$tmp/milter.sock"

# OpenDKIM 2.11 calls ub_ctx_config() from concurrent threads, which
# libunbound's parser does not survive: ub-serialize.c makes those calls
# take turns (see the file).
${CC:-cc} -shared -fPIC -o "$tmp/ub-serialize.so" \
	"$top_srcdir/tests/bench/ub-serialize.c" -ldl -lpthread || exit 1

# dkimsa_conf KEYSUFFIX CHECKS(yes|no): a dkimsa.conf on stdout.
dkimsa_conf() {
	cat <<EOF
Mode sv
Socket $sock
AllowRoot yes
Syslog no
KeyTable refile:$tmp/KeyTable$1
SigningTable refile:$tmp/SigningTable$1
InternalHosts $tmp/InternalHosts
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
AuthservID mx.example.test
TrustAnchorFile none
UnboundConfigFile $ubconf
DNSTimeout 5
SyslogSuccess no
SPF $2
SenderID $2
ADSP $2
DMARC $2
EOF
}

opendkim_conf() {
	cat <<EOF
Mode sv
Socket local:$tmp/milter.sock
Background no
Syslog no
KeyTable refile:$tmp/KeyTable
SigningTable refile:$tmp/SigningTable
InternalHosts $tmp/InternalHosts
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
AuthservID mx.example.test
ResolverConfiguration $ubconf
DNSTimeout 5
RequireSafeKeys no
SoftwareHeader no
EOF
	[ -z "${BENCH_OPENDKIM_CONF:-}" ] || printf '%s\n' "$BENCH_OPENDKIM_CONF"
}

# start NAME: runs the milter with $tmp/NAME.conf; sets mpid.
start() {
	rm -f "$tmp/milter.sock"
	case $1 in
	opendkim)
		LD_PRELOAD="$tmp/ub-serialize.so" \
			"$OPENDKIM" -f -x "$tmp/$1.conf" 2>> "$tmp/$1.log" &
		;;
	*) "$milter" -f -x "$tmp/$1.conf" 2>> "$tmp/$1.log" & ;;
	esac
	mpid=$!
	bench_ready "$sock" "$tmp/$1.log"
}

stop() {
	if ! bench_stop; then
		echo "FAIL: the milter died during the run:" \
			"$(tail -3 "$tmp"/*.log | tr '\n' '|')" >> "$tmp/notes"
		status=1
	fi
}

# preflight NAME ROW: one message, shown in full; 0 when it did its job.
preflight() {
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 1 -t 10 -v $(bench_args "$2" 1k) > "$tmp/pf" 2>&1
	case $2 in
	sign*)
		grep -q 'header .*DKIM-Signature:' "$tmp/pf" && return 0
		echo "FAIL: $1 $2: no DKIM-Signature: $(tr '\n' '|' < "$tmp/pf")"
		return 1
		;;
	esac
	ar=$(grep 'Authentication-Results:' "$tmp/pf" | head -1 |
		sed 's/^.*Authentication-Results: *//; s/\\n\\t/ /g')
	echo "$1 $2: Authentication-Results: $ar" >> "$tmp/notes"
	want='*dkim=pass*'
	[ "$2" = verify-all ] && want='*spf=pass*dmarc=pass*'
	# shellcheck disable=SC2254
	case $ar in
	$want) case $ar in *dkim=pass*) return 0 ;; esac ;;
	esac
	echo "FAIL: $1 $2: the Authentication-Results header lacks dkim=pass" \
		"(or spf=pass): $(tr '\n' '|' < "$tmp/pf")"
	return 1
}

status=0
# row NAME ROW [SIZES [CONNS]]: for each size and number of connections:
# warm up, measure, print one line, check it.
row() {
	if ! preflight "$1" "$2"; then
		status=1
		return
	fi
	for size in ${3:-$BENCH_SIZES}; do
		for conns in ${4:-$BENCH_CONNS}; do
			row1 "$1" "$2" "$size" "$conns"
		done
	done
}

row1() { # NAME ROW SIZE CONNS
	# shellcheck disable=SC2046,SC2086
	"$load" -s "$sock" -c "$4" -n $(($4 * 4)) ${BENCH_LOAD_OPTS:-} \
		$(bench_args "$2" "$3") > /dev/null 2>&1
	ppid=
	if [ -n "${BENCH_PERF:-}" ]; then
		# from 1 s into the load, when its connections (threads) exist
		# shellcheck disable=SC2086
		(sleep 1 && perf record -q ${BENCH_PERF_OPTS:--g} -p "$mpid" \
			-o "$BENCH_PERF.$1.$2.$3.$4" \
			-- sleep "$(awk -v s="$BENCH_SECONDS" 'BEGIN { print (s > 2 ? s - 2 : 1) }')" \
			2> /dev/null) &
		ppid=$!
	elif [ -n "${BENCH_COUNT:-}" ]; then
		perf stat -x, -e instructions:u,instructions:k,context-switches \
			-p "$mpid" -o "$tmp/pstat" -- sleep "$BENCH_SECONDS" &
		ppid=$!
	elif [ -n "${BENCH_STRACE:-}" ]; then
		strace -c -f -p "$mpid" -o "$tmp/strace" 2> /dev/null &
		ppid=$!
	fi
	# shellcheck disable=SC2046,SC2086
	"$load" -s "$sock" -c "$4" -d "$BENCH_SECONDS" -p "$mpid" \
		${BENCH_LOAD_OPTS:-} $(bench_args "$2" "$3") > "$tmp/run" 2> "$tmp/run.err"
	[ -z "${BENCH_STRACE:-}" ] || kill -INT "$ppid"
	[ -z "$ppid" ] || wait "$ppid"
	r=$(grep '^RESULT' "$tmp/run")
	n=$(v msgs)
	case $2 in
	sign*) good=$(v dkim) what="DKIM-Signature" ;;
	*) good=$(v ar_pass) what="A-R dkim=pass" ;;
	esac
	check=ok
	if [ -z "$r" ] || [ "${n:-0}" -eq 0 ] || [ "$good" != "$n" ] ||
		[ "$(v errors)" != 0 ] || [ "$(v tempfail)" != 0 ]; then
		check="FAIL: $what on ${good:-?} of ${n:-?} messages, errors $(v errors), tempfail $(v tempfail)"
		status=1
		sed "s/^/$1 $2 $3 $4: /" "$tmp/run.err" | head -3 >> "$tmp/notes"
	fi
	printf '%-13s %-5s %5s %-8s %9s %8s %8s %10s  %s\n' "$2" "$3" "$4" \
		"$1" "$(v rate)" "$(v p50_ms)" "$(v p99_ms)" "$(v cpu_us)" "$check"
	[ -z "${BENCH_COUNT:-}" ] || [ "${n:-0}" -eq 0 ] ||
		awk -F, -v n="$n" -v row="$1 $2 $3 $4" '
		$3 ~ /instructions:u/ { u = $1 } $3 ~ /instructions:k/ { k = $1 }
		$3 ~ /context-switches/ { cs = $1 }
		END { printf "%s per message: %.0f user + %.0f kernel instructions, %.1f context switches\n", row, u / n, k / n, cs / n }' \
			"$tmp/pstat" >> "$tmp/notes"
	[ -z "${BENCH_STRACE:-}" ] || [ "${n:-0}" -eq 0 ] ||
		awk -v n="$n" -v row="$1 $2 $3 $4" '
		$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { c[$NF] = $4; t += $4 }
		END { printf "%s system calls per message (strace -c -f): %.1f:", row, t / n
		      for (k in c) if (c[k] / n >= 0.5) printf " %s %.1f", k, c[k] / n
		      print "" }' "$tmp/strace" >> "$tmp/notes"
	echo "$1 $2-$3-$4 $(v cpu_us) $(v rate)" >> "$tmp/cpu"
}

# memory ROW SIZE: a fresh dkimsa, BENCH_LOAD_CONNS connections sending
# SIZE messages; prints the peak resident size over the idle one per
# connection (one message in flight on each).
memory() {
	start dkimsa || return 1
	# shellcheck disable=SC2046
	"$load" -s "$sock" -n 2 $(bench_args "$1" 1k) > /dev/null 2>&1
	idle=$(awk '/^VmRSS:/ { print $2 }' "/proc/$mpid/status")
	# shellcheck disable=SC2046
	"$load" -s "$sock" -c "$BENCH_LOAD_CONNS" -d "$BENCH_SECONDS" \
		-t 60 $(bench_args "$1" "$2") > "$tmp/run" 2> "$tmp/run.err"
	peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$mpid/status")
	r=$(grep '^RESULT' "$tmp/run")
	stop
	case $1 in sign*) good=$(v dkim) ;; *) good=$(v ar_pass) ;; esac
	check=ok
	if [ -z "$r" ] || [ "$good" != "$(v msgs)" ] ||
		[ "$(v errors)" != 0 ]; then
		check="FAIL: ${good:-?} of $(v msgs) good, errors $(v errors)"
		status=1
	fi
	printf '%-13s %-5s %5s idle %6s KiB, peak %6s KiB: %6.1f KiB per message in flight (%s msgs)  %s\n' \
		"$1" "$2" "$BENCH_LOAD_CONNS" "$idle" "$peak" \
		"$(echo "$peak $idle $BENCH_LOAD_CONNS" | awk '{ print ($1 - $2) / $3 }')" \
		"$(v msgs)" "$check"
}

: > "$tmp/notes"
: > "$tmp/cpu"
dkimsa_conf "" no > "$tmp/dkimsa.conf"
dkimsa_conf "" yes > "$tmp/dkimsa-all.conf"
dkimsa_conf -ed no > "$tmp/dkimsa-ed.conf"
opendkim_conf > "$tmp/opendkim.conf"

echo "$("$milter" -V 2>&1 | head -1) vs $("$OPENDKIM" -V 2>&1 | head -1)"
echo "unix socket, connections: $BENCH_CONNS, bodies: $BENCH_SIZES, RSA-2048 rsa-sha256" \
	"relaxed/relaxed, DNS: nsd on 127.0.0.1 via libunbound stub zones;" \
	"verify corpus signed by $signer; ${BENCH_SECONDS}s per row;" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-13s %-5s %5s %-8s %9s %8s %8s %10s  %s\n' row body conns milter \
	msgs/s p50_ms p99_ms cpu_us/msg check
for m in $BENCH_MILTERS; do
	start "$m" || exit 1
	row "$m" verify-dkim
	row "$m" sign-rsa
	stop
done
case " $BENCH_MILTERS " in
*" dkimsa "*)
	start dkimsa-all || exit 1
	row dkimsa verify-all
	stop
	start dkimsa-ed || exit 1
	row dkimsa sign-ed25519
	stop
	if [ "${BENCH_MEMORY:-yes}" != no ]; then
		start dkimsa || exit 1
		row dkimsa verify-dkim 1k "$BENCH_LOAD_CONNS"
		row dkimsa sign-rsa 1k "$BENCH_LOAD_CONNS"
		stop
		echo "memory per message in flight (dkimsa; VmHWM - VmRSS before the load) / connections:"
		for mr in verify-dkim sign-rsa; do
			memory "$mr" 1k
			memory "$mr" 1024k
			memory "$mr" 4096k
		done
	fi
	;;
esac

"$OPENSSL" speed -seconds 2 rsa2048 ed25519 > "$tmp/ossl" 2>/dev/null ||
	echo "opendkim-bench.sh: $OPENSSL speed failed" >&2
awk -v cpu="$tmp/cpu" -v sizes="$BENCH_SIZES" -v conns="$BENCH_CONNS" '
FILENAME == cpu { c[$1 " " $2] = $3; rate[$1 " " $2] = $4; next }
/^rsa 2048 bits/ { rs = $(NF-1); rv = $NF }
/EdDSA \(Ed25519\)/ { es = $(NF-1) }
function ratio(row) {
	if (c["dkimsa " row] > 0 && c["opendkim " row] > 0)
		printf "OpenDKIM/dkimsa CPU per message, %s: %.2fx\n", row,
		    c["opendkim " row] / c["dkimsa " row]
}
END {
	ns = split(sizes, sz, " "); nc = split(conns, cn, " ")
	for (i = 1; i <= ns; i++)
		for (j = 1; j <= nc; j++) {
			ratio("verify-dkim-" sz[i] "-" cn[j])
			ratio("sign-rsa-" sz[i] "-" cn[j])
		}
	if (rs > 0 && rv > 0)
		printf "crypto floor (openssl speed, same run): rsa2048 sign %.1f us, verify %.1f us", 1e6 / rs, 1e6 / rv
	if (es > 0)
		printf "; ed25519 sign %.1f us", 1e6 / es
	print ""
	if (rs > 0)
		printf "machine signing ceiling (%d CPUs x rsa2048 sign/s): %.0f/s\n", ncpu, ncpu * rs
	top = "sign-rsa-1k-" cn[nc]
	if (rs > 0 && rate["dkimsa " top] > 0)
		printf "dkimsa signing throughput, %s connections, 1k: %.0f/s = %.2f of the ceiling\n", cn[nc], rate["dkimsa " top], rate["dkimsa " top] / (ncpu * rs)
}' ncpu="$(nproc 2>/dev/null || echo 1)" "$tmp/cpu" "$tmp/ossl"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$tmp/notes"
exit $status
