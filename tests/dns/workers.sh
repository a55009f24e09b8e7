#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# workers.sh - the milter's DNS jobs on a pool of 2 worker threads
# (WorkerThreads 2) while the DNS server is slow (every answer 0.3 s
# late, tests/dns/dnsfault.py): 12 messages verified at once, each from a
# domain of its own (nothing is in the cache), give 24 jobs (SPF at MAIL
# FROM, the rest at the end of the message).  Every message gets its
# reply with its real results (dkim, spf and dkim-adsp pass), none is
# dropped or tempfailed, and the milter logs that every worker was busy.
# Then with DNSTimeout 1 and one worker, jobs that wait in line past
# their message's DNSTimeout: each reply still comes within DNSTimeout
# (the deadline travels with the job, set when the message reached the
# step, not when a worker took it).  Last, with one worker, a message
# whose answers are all cached is done in its own thread while an
# uncached one holds the worker, and so is a message with an ARC chain
# whose seal keys are cached (dkimsa_arc_keys_ready; counted by
# dkimsa_worker_jobs_total on MetricsSocket); one whose seal keys are
# not cached goes to the worker and gets the same results.
# Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs another
# dkimsa binary.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/dns/harness.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
sign="$top_builddir/tools/sign/dkimsa-sign"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
key="$top_srcdir/tests/data/keys/rsa2048.pem"
nmsg=12
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-workers.XXXXXX") || exit 1
mpid='' fpid=''
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	[ -n "$fpid" ] && kill "$fpid" 2>/dev/null
	dnsh_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() { # check NAME STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $3"
	fi
}

# pool.test: for each message a domain mN with its SPF, key and ADSP
# records, so that each message asks the slow server again.
txt=$(dnsh_dkim_txt "$key")
{
	echo "\$TTL 300"
	echo "@ SOA ns1 hostmaster 1 3600 600 86400 300"
	echo "@ NS ns1"
	echo "ns1 A 127.0.0.1"
	i=1
	while [ $i -le $((nmsg * 2 + 6)) ]; do
		echo "m$i TXT \"v=spf1 ip4:192.0.2.0/24 -all\""
		echo "sel._domainkey.m$i TXT ( $txt )"
		echo "arc._domainkey.m$i TXT ( $txt )"
		echo "_adsp._domainkey.m$i TXT \"dkim=all\""
		i=$((i + 1))
	done
} > "$T/pool.zone"
mkdir "$T/dns" && dnsh_init "$T/dns" && dnsh_build && dnsh_conf_auth &&
	dnsh_add_zone pool.test "$T/pool.zone" && dnsh_nsd_start || {
	echo "FAIL: the DNS harness serves pool.test: $(tail -5 "$T/dns/harness.log" 2>/dev/null)"
	exit 0
}
python3 "$top_srcdir/tests/dns/dnsfault.py" slow "$DNSH_NSD_PORT" 0.3 \
	> "$T/fault.port" &
fpid=$!
i=0
while [ ! -s "$T/fault.port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
printf 'stub-zone:\n\tname: "pool.test"\n\tstub-addr: 127.0.0.1@%s\n' \
	"$(cat "$T/fault.port")" >> "$DNSH_DIR/unbound.conf"

# start WORKERS DNSTIMEOUT [METRICSPORT]: a verifying milter
start() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	rm -f "$T/sock"
	cat > "$T/dkimsa.conf" <<EOF
Mode v
Socket unix:$T/sock
AllowRoot yes
Syslog no
AuthservID mx.example.test
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout $2
WorkerThreads $1
EOF
	[ -n "${3:-}" ] &&
		echo "MetricsSocket inet:$3@127.0.0.1" >> "$T/dkimsa.conf"
	"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
	mpid=$!
	i=0
	while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$T/sock" ]
}

# burst FIRST LAST: messages from user@mN.pool.test, signed d=mN.pool.test,
# all at once, one connection each; waits for every one.
burst() {
	n=$1
	while [ "$n" -le "$2" ]; do
		d=m$n.pool.test
		"$load" -w "$T/$n.msg" -f "user@$d" -r rcpt@example.net &&
			sed -i "s/^From: .*/From: user@$d\r/" "$T/$n.msg" &&
			"$sign" -d "$d" -s sel -k "$key" < "$T/$n.msg" \
				> "$T/$n.signed" 2> "$T/$n.err"
		n=$((n + 1))
	done
	pids='' n=$1
	while [ "$n" -le "$2" ]; do
		"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
			-f "user@m$n.pool.test" -m "$T/$n.signed" \
			> "$T/$n.out" 2>> "$T/$n.err" &
		pids="$pids $!"
		n=$((n + 1))
	done
	for p in $pids; do wait "$p"; done
}

reply() { sed -n 's/^L00Q000001: reply \([a-z]*\) .*/\1/p' "$T/$1.out"; }
ms() { sed -n 's/^L00Q000001: reply [a-z]* \([0-9]*\).*/\1/p' "$T/$1.out"; }

start 2 30
check "the milter starts with WorkerThreads 2" $? "$(cat "$T/log")"
grep -q "2 worker threads for DNS work" "$T/log"
check "the milter logs its worker threads" $? "$(cat "$T/log")"
burst 1 $nmsg
replies=0 good=0 bad=
n=1
while [ $n -le $nmsg ]; do
	r=$(reply $n)
	[ -n "$r" ] && replies=$((replies + 1))
	ar=$(grep 'Authentication-Results:' "$T/$n.out")
	case "$r:$ar" in
	continue:*dkim=pass*dkim-adsp=pass* | accept:*dkim=pass*dkim-adsp=pass*)
		case $ar in
		*spf=pass*) good=$((good + 1)) ;;
		*) bad="$bad $n:$r:$ar" ;;
		esac
		;;
	*) bad="$bad $n:$r:$ar:$(tr '\n' ' ' < "$T/$n.err")" ;;
	esac
	n=$((n + 1))
done
[ $replies -eq $nmsg ]
check "$nmsg messages at once on 2 workers and a slow DNS all get a reply" \
	$? "$replies replies"
[ $good -eq $nmsg ]
check "each of them has its real results (dkim, spf and dkim-adsp pass)" \
	$? "$good of $nmsg;$bad"
grep -q "all 2 worker threads busy: [0-9]* job(s) waiting" "$T/log"
check "jobs waited in line for a worker, and the milter said so" $? \
	"$(cat "$T/log")"

# DNSTimeout 1, one worker, 0.3 s per answer: most jobs wait in line past
# their message's DNSTimeout; the replies still come within it.
timeout=1
limit=$((timeout * 1000 + 1500)) # and time to work on a busy machine
start 1 $timeout
check "the milter starts with WorkerThreads 1" $? "$(cat "$T/log")"
burst $((nmsg + 1)) $((nmsg * 2))
replies=0 late=
n=$((nmsg + 1))
while [ $n -le $((nmsg * 2)) ]; do
	r=$(reply $n)
	m=$(ms $n)
	[ -n "$r" ] && replies=$((replies + 1))
	[ -n "$m" ] && [ "$m" -le $limit ] || late="$late $n:${m:-?}ms"
	n=$((n + 1))
done
[ $replies -eq $nmsg ]
check "$nmsg messages at once on 1 worker past DNSTimeout all get a reply" \
	$? "$replies replies"
[ -z "$late" ]
check "a message whose jobs waited in line still has its reply within DNSTimeout" \
	$? "later than $limit ms:$late"

# One worker again: a message whose answers are all cached does its DNS
# work in its own thread, so it does not wait in line behind a message
# whose every answer comes 0.3 s late (it is done while that one waits).
warm=$((nmsg * 2 + 1)) cold=$((nmsg * 2 + 2))
mport=$(dnsh_free_port)
start 1 30 "$mport"
check "the milter starts with WorkerThreads 1 (cached answers)" $? \
	"$(cat "$T/log")"
burst $warm $warm # its answers are now in the cache
# all_pass FILE: its A-R says dkim, spf and dkim-adsp pass
all_pass() {
	ar=$(grep 'Authentication-Results:' "$1")
	for w in dkim spf dkim-adsp; do
		case $ar in *"$w=pass"*) ;; *) return 1 ;; esac
	done
}
all_pass "$T/$warm.out"
check "the first message from m$warm gets its results" $? "$ar"
"$load" -w "$T/$cold.msg" -f "user@m$cold.pool.test" -r rcpt@example.net &&
	sed -i "s/^From: .*/From: user@m$cold.pool.test\r/" "$T/$cold.msg" &&
	"$sign" -d "m$cold.pool.test" -s sel -k "$key" < "$T/$cold.msg" \
		> "$T/$cold.signed" 2> "$T/$cold.err"
"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
	-f "user@m$cold.pool.test" -m "$T/$cold.signed" > "$T/$cold.out" 2>&1 &
cpid=$!
sleep 0.2 # the uncached message holds the one worker
"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
	-f "user@m$warm.pool.test" -m "$T/$warm.signed" > "$T/$warm.out2" 2>&1
kill -0 "$cpid" 2>/dev/null
check "a message with every answer cached is done while an uncached one waits for DNS" \
	$? "the uncached message was done first: $(grep reply "$T/$cold.out")"
all_pass "$T/$warm.out2"
check "the message with cached answers has its real results" $? "$ar"
wait "$cpid"
all_pass "$T/$cold.out"
check "the uncached message gets its real results too" $? "$ar"

# ARC: a message from m$warm (its DKIM, SPF and ADSP answers cached)
# carrying a 2-hop chain sealed by d=SEALER s=arc.
# arcmsg NAME SEALER
arcmsg() {
	cp "$T/$warm.signed" "$T/$1.h0"
	for h in 1 2; do
		"$sign" --arc -d "$2" -s arc -k "$key" \
			--authserv-id "hop$h.example.test" --now 1764158400 \
			--unbound-conf "$DNSH_DIR/unbound.conf" \
			< "$T/$1.h$((h - 1))" > "$T/$1.h$h" 2>> "$T/$1.err" ||
			return 1
	done
	cp "$T/$1.h2" "$T/$1.msg"
}
# arcrace NAME COLD: the uncached message from mCOLD holds the one worker
# while NAME.msg is sent; 0 when NAME was done first.
arcrace() {
	"$load" -w "$T/$2.msg" -f "user@m$2.pool.test" -r rcpt@example.net &&
		sed -i "s/^From: .*/From: user@m$2.pool.test\r/" "$T/$2.msg" &&
		"$sign" -d "m$2.pool.test" -s sel -k "$key" < "$T/$2.msg" \
			> "$T/$2.signed" 2> "$T/$2.err"
	"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
		-f "user@m$2.pool.test" -m "$T/$2.signed" > "$T/$2.out" 2>&1 &
	cpid=$!
	sleep 0.2
	"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
		-f "user@m$warm.pool.test" -m "$T/$1.msg" > "$T/$1.out" 2>&1
	kill -0 "$cpid" 2>/dev/null
	first=$?
	wait "$cpid"
	return $first
}
arc_pass() {
	all_pass "$1" && case $ar in *"arc=pass (sealer $2)"*) ;; *) false ;; esac
}
# jobs: dkimsa_worker_jobs_total, the work handed to the worker so far
jobs() {
	curl -s -m 10 "http://127.0.0.1:$mport/metrics" |
		awk '$1 == "dkimsa_worker_jobs_total" { print $2; f = 1 }
			END { if (!f) print "absent" }'
}
# alone NAME: NAME.msg sent by itself; prints the jobs it handed over
alone() {
	j0=$(jobs)
	"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
		-f "user@m$warm.pool.test" -m "$T/$1.msg" > "$T/$1.out1" 2>&1
	j1=$(jobs)
	case "$j0$j1" in *absent* | '') echo "absent" ;; *) echo $((j1 - j0)) ;; esac
}
sealer=m$((nmsg * 2 + 3)).pool.test
arcmsg arcwarm "$sealer"
check "a 2-hop ARC chain is sealed for the cached-keys rows" $? \
	"$(cat "$T/arcwarm.err")"
"$load" -s "unix:$T/sock" -n 1 -v -t 120 -a 192.0.2.10 \
	-f "user@m$warm.pool.test" -m "$T/arcwarm.msg" > "$T/arcwarm.out0" 2>&1
arc_pass "$T/arcwarm.out0" "$sealer"
check "the first ARC message gets arc=pass and its other results" $? "$ar"
j=$(alone arcwarm)
[ "$j" = 0 ]
check "an ARC message whose seal keys are cached hands no work to a worker" \
	$? "dkimsa_worker_jobs_total moved by $j"
arc_pass "$T/arcwarm.out1" "$sealer"
check "the ARC message done without a worker has arc=pass and its other results" \
	$? "$ar"
arcrace arcwarm $((nmsg * 2 + 4))
check "an ARC message whose seal keys are cached is done while an uncached one waits for DNS" \
	$? "the uncached message was done first: $(grep reply "$T/$((nmsg * 2 + 4)).out")"
arc_pass "$T/arcwarm.out" "$sealer"
check "the ARC message done in its own thread has arc=pass and its other results" \
	$? "$ar"
sealer=m$((nmsg * 2 + 5)).pool.test # not seen by the milter yet
arcmsg arccold "$sealer"
check "a 2-hop ARC chain with seal keys not yet cached is sealed" $? \
	"$(cat "$T/arccold.err")"
cp "$T/arccold.msg" "$T/arccold2.msg"
j=$(alone arccold)
[ "$j" != absent ] && [ "$j" -ge 1 ]
check "an ARC message whose seal keys are not cached hands its end-of-message work to a worker" \
	$? "dkimsa_worker_jobs_total moved by $j"
arc_pass "$T/arccold.out1" "$sealer"
check "the ARC message whose keys were not cached has arc=pass too" $? "$ar"
j=$(alone arccold2)
[ "$j" = 0 ]
check "the same ARC message again, its keys now cached, hands no work to a worker" \
	$? "dkimsa_worker_jobs_total moved by $j"
exit 0
