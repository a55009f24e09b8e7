#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# metrics.sh - MetricsSocket (issue 15): the milter on a unix socket, its
# /metrics on a free loopback port, DNS from tests/dns/harness.sh.
# Messages signed (rsa-sha256 and ed25519-sha256) and verified (pass,
# a bad signature rejected, an unsigned message quarantined, a key that
# does not exist, ARC chains that pass and fail, a forged
# Authentication-Results removed), and under
# Mode s a message from outside (mode none) and one whose key file is
# gone (a sign failure), through dkimsa-miltload; after each step /metrics is scraped with curl and
# every counter the step touches must have moved by exactly the expected
# amount.  The page passes `promtool check metrics`; counters survive
# SIGHUP (the reload counters move instead); scrapers that connect and
# never read do not delay mail; a bad MetricsSocket is an error naming
# its line.  Environment: top_builddir, top_srcdir; DKIMSA_MILTER runs
# another dkimsa binary.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/dns/harness.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
sign="$top_builddir/tools/sign/dkimsa-sign"
milter=${DKIMSA_MILTER:-$top_builddir/milter/dkimsa}
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-metrics.XXXXXX") || exit 1
mpid='' hpid=''
cleanup() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
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

# Keys, tables, DNS (example.test: key, SPF, ADSP; ed.test: signing only).
cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/rsa.pem" &&
	cp "$top_srcdir/tests/data/keys/ed25519.pem" "$T/ed.pem" &&
	chmod 600 "$T/rsa.pem" "$T/ed.pem" || exit 1
cat > "$T/KeyTable" <<EOF
sel._domainkey.example.test example.test:sel:$T/rsa.pem
ed._domainkey.ed.test ed.test:ed:$T/ed.pem
EOF
printf '*@example.test sel._domainkey.example.test\n*@ed.test ed._domainkey.ed.test\n' \
	> "$T/SigningTable"
cat > "$T/example.zone" <<EOF
\$TTL 3600
@        SOA  ns1 hostmaster 1 3600 600 86400 3600
@        NS   ns1
ns1      A    127.0.0.1
@        TXT  "v=spf1 ip4:192.0.2.0/24 -all"
client   A    192.0.2.10
client   TXT  "v=spf1 ip4:192.0.2.0/24 -all"
sel._domainkey TXT ( $(dnsh_dkim_txt "$T/rsa.pem") )
_adsp._domainkey TXT "dkim=all"
_dmarc   TXT  "v=DMARC1; p=none"
EOF
mkdir "$T/dns" && dnsh_init "$T/dns" &&
	dnsh_add_zone example.test "$T/example.zone" && dnsh_build &&
	dnsh_conf_auth || {
	echo "FAIL: the DNS harness serves example.test: $(tail -5 "$T/dns/harness.log" 2>/dev/null)"
	exit 0
}
port=$(dnsh_free_port)
url="http://127.0.0.1:$port/metrics"
cat > "$T/dkimsa.conf" <<EOF
Mode sv
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable refile:$T/KeyTable
SigningTable refile:$T/SigningTable
AuthservID mx.example.test
TrustAnchorFile none
UnboundConfigFile $DNSH_DIR/unbound.conf
DNSTimeout 5
On-BadSignature reject
On-NoSignature quarantine
MetricsSocket inet:$port@127.0.0.1
EOF

# Messages: the verify ones signed as they would arrive.
"$load" -w "$T/plain" -f user@example.test &&
	"$sign" -d example.test -s sel -k "$T/rsa.pem" < "$T/plain" \
		> "$T/signed" &&
	"$sign" -d example.test -s nosel -k "$T/rsa.pem" < "$T/plain" \
		> "$T/nokey" &&
	{ printf 'Authentication-Results: mx.example.test; dkim=pass\r\n'; cat "$T/signed"; } \
		> "$T/forged" &&
	"$load" -w "$T/ed" -f user@ed.test &&
	sed -i 's/^From: .*/From: user@ed.test\r/' "$T/ed" || exit 1
# bad: the signed message with its last body line changed
awk '{ l[NR] = $0 } END { for (i = 1; i < NR; i++) print l[i]; print "tampered\r" }' \
	"$T/signed" > "$T/bad"

"$milter" -f -x "$T/dkimsa.conf" > "$T/log" 2>&1 &
mpid=$!
i=0
while [ $i -lt 100 ] && ! curl -s -o /dev/null "$url"; do
	sleep 0.1
	i=$((i + 1))
done
curl -s -o /dev/null "$url"
check "the milter serves /metrics on MetricsSocket" $? "$(cat "$T/log")"

n=0
scrape() { # the page into $T/m.N, N counting up; prints nothing
	n=$((n + 1))
	curl -s -m 10 "$url" > "$T/m.$n"
}
# val SAMPLE [N]: the value of a sample ("name{labels}") in scrape N
val() {
	awk -v s="$1" '$1 == s { print $2; f = 1 } END { if (!f) print "absent" }' \
		"$T/m.${2:-$n}"
}
# moved TEST EXPECTED SAMPLE...: each sample moved by EXPECTED since the
# scrape before the last
moved() {
	what=$1 want=$2 bad=''
	shift 2
	for s in "$@"; do
		a=$(val "$s" $((n - 1))) b=$(val "$s" "$n")
		case "$a$b" in *absent*) bad="$bad $s:$a->$b"; continue ;; esac
		d=$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')
		[ "$d" = "$want" ] || bad="$bad $s:$a->$b"
	done
	[ -z "$bad" ]
	check "$what" $? "expected +$want:$bad"
}
# sum PATTERN [N]: the sum of the samples whose name{labels} matches
sum() {
	awk -v p="$1" '$1 ~ p { s += $2 } END { print s + 0 }' "$T/m.${2:-$n}"
}
send() { # send MESSAGEFILE CLIENT-ARGS...: one message, output in $T/out
	f=$1
	shift
	"$load" -s "unix:$T/sock" -n 1 -v -t 30 "$@" -m "$f" > "$T/out" 2>&1
}
vclient="-a 192.0.2.10 -N client.example.test -H client.example.test -f user@example.test"

scrape
promtool check metrics < "$T/m.1" > "$T/promtool" 2>&1
check "promtool check metrics accepts the page" $? "$(cat "$T/promtool")"
[ "$(sum '^dkimsa_messages_total')" = 0 ] &&
	[ "$(val dkimsa_connections_open)" = 0 ] &&
	[ "$(val dkimsa_messages_in_progress)" = 0 ] &&
	[ "$(val 'dkimsa_eom_duration_seconds_count{mode="sign"}')" = 0 ]
check "at start every message counter, gauge and histogram is 0" $? \
	"$(grep -v '^#' "$T/m.1" | grep -v ' 0$')"
t0=$(val dkimsa_last_reload_success_timestamp_seconds)
now=$(date +%s)
[ "$t0" -gt $((now - 120)) ] && [ "$t0" -le "$now" ]
check "the time of the configuration load is set at start" $? "$t0, now $now"
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" > "$T/code"
[ "$(cat "$T/code")" = 404 ]
check "a path other than /metrics is 404" $? "$(cat "$T/code")"
curl -s -o /dev/null -w '%{http_code}' -X POST "$url" > "$T/code"
[ "$(cat "$T/code")" = 405 ]
check "a POST to /metrics is 405" $? "$(cat "$T/code")"

# Signing: 3 with the RSA key, 2 with the Ed25519 key.
"$load" -s "unix:$T/sock" -n 3 -a 127.0.0.1 -f user@example.test > "$T/out" 2>&1
send "$T/ed" -a 127.0.0.1 -f user@ed.test
send "$T/ed" -a 127.0.0.1 -f user@ed.test
scrape
moved "5 signed messages count as sign/accept" 5 \
	'dkimsa_messages_total{mode="sign",action="accept"}' \
	'dkimsa_eom_duration_seconds_count{mode="sign"}' \
	'dkimsa_eom_duration_seconds_bucket{mode="sign",le="+Inf"}'
moved "3 RSA signatures are counted" 3 'dkimsa_signatures_total{algorithm="rsa-sha256"}'
moved "2 Ed25519 signatures are counted" 2 \
	'dkimsa_signatures_total{algorithm="ed25519-sha256"}'
moved "signing asks no DNS and verifies nothing" 0 \
	'dkimsa_messages_total{mode="verify",action="accept"}' \
	'dkimsa_verify_results_total{method="dkim",result="pass"}' \
	'dkimsa_dns_duration_seconds_count' \
	'dkimsa_sign_failures_total{reason="key"}'

# Verifying: 3 good messages; the 2nd and 3rd find every answer cached.
send "$T/signed" $vclient
scrape
q1=$(sum '^dkimsa_dns_queries_total')
[ "$q1" -gt 0 ] && [ "$q1" = "$(val dkimsa_dns_duration_seconds_count)" ]
check "the first verified message sends DNS queries, each timed once" $? \
	"queries $q1, timed $(val dkimsa_dns_duration_seconds_count)"
send "$T/signed" $vclient
send "$T/signed" $vclient
scrape
moved "3 verified messages count as verify/accept with dkim, spf, sender-id and adsp results" 2 \
	'dkimsa_messages_total{mode="verify",action="accept"}' \
	'dkimsa_verify_results_total{method="dkim",result="pass"}' \
	'dkimsa_verify_results_total{method="spf",result="pass"}' \
	'dkimsa_verify_results_total{method="dkim-adsp",result="pass"}' \
	'dkimsa_eom_duration_seconds_count{mode="verify"}'
[ "$(val 'dkimsa_messages_total{mode="verify",action="accept"}')" = 3 ] &&
	[ "$(val 'dkimsa_verify_results_total{method="dkim",result="pass"}')" = 3 ] &&
	[ "$(val 'dkimsa_verify_results_total{method="spf-helo",result="pass"}')" = 3 ] &&
	[ "$(val 'dkimsa_verify_results_total{method="dmarc",result="pass"}')" = 3 ] &&
	[ "$(sum '^dkimsa_verify_results_total[{]method="sender-id"')" = 3 ]
check "after 3 verified messages: 3 accepted, 3 dkim pass, 3 SPF HELO pass, 3 DMARC pass, 3 Sender ID results" \
	$? "$(grep -e '^dkimsa_messages_total' -e '^dkimsa_verify' "$T/m.$n" | grep -v ' 0$')"
[ "$(sum '^dkimsa_dns_queries_total')" = "$q1" ]
check "messages 2 and 3 send no DNS query" $? \
	"$q1 then $(sum '^dkimsa_dns_queries_total')"
c=$(sum '^dkimsa_dns_cache_hits_total' $((n - 1)))
c2=$(sum '^dkimsa_dns_cache_hits_total')
[ $((c2 - c)) -gt 0 ] && [ $(((c2 - c) % 2)) -eq 0 ] &&
	[ "$(val 'dkimsa_dns_cache_hits_total{type="TXT"}')" -ge 2 ]
check "they are answered from the cache, as many lookups each" $? "$c -> $c2"

# A key that does not exist: its TXT query answers NXDOMAIN, and ADSP,
# with no author signature to pass, asks whether the domain exists (A,
# NODATA here) and for its record (TXT): 3 queries, none of them cached.
send "$T/nokey" $vclient
scrape
moved "a missing key: one TXT nxdomain, one A nodata, one TXT answer" 1 \
	'dkimsa_dns_queries_total{type="TXT",outcome="nxdomain"}' \
	'dkimsa_dns_queries_total{type="A",outcome="nodata"}' \
	'dkimsa_dns_queries_total{type="TXT",outcome="answer"}'
moved "each of the 3 queries is timed" 3 'dkimsa_dns_duration_seconds_count'
[ "$(sum '^dkimsa_dns_queries_total')" = $((q1 + 3)) ]
check "and no other query is sent" $? "$q1 -> $(sum '^dkimsa_dns_queries_total')"
moved "its signature counts as dkim permerror" 1 \
	'dkimsa_verify_results_total{method="dkim",result="permerror"}' \
	'dkimsa_messages_total{mode="verify",action="accept"}'

# A bad signature is rejected (On-BadSignature reject).
send "$T/bad" $vclient
grep -q 'reply reject' "$T/out"
check "a tampered message is rejected" $? "$(cat "$T/out")"
scrape
moved "it counts as verify/reject and dkim fail" 1 \
	'dkimsa_messages_total{mode="verify",action="reject"}' \
	'dkimsa_verify_results_total{method="dkim",result="fail"}'

# No signature: quarantined (On-NoSignature quarantine).
send "$T/plain" $vclient
scrape
moved "an unsigned message counts as verify/quarantine and dkim none" 1 \
	'dkimsa_messages_total{mode="verify",action="quarantine"}' \
	'dkimsa_verify_results_total{method="dkim",result="none"}'

# From outside the SPF range, unsigned: SPF fail, so DMARC fail (p=none:
# no action of its own; On-NoSignature quarantine).
send "$T/plain" -a 198.51.100.7 -N client.example.test -H client.example.test \
	-f user@example.test
scrape
moved "an unsigned message from outside the SPF range counts spf fail and dmarc fail" 1 \
	'dkimsa_verify_results_total{method="spf",result="fail"}' \
	'dkimsa_verify_results_total{method="dmarc",result="fail"}' \
	'dkimsa_messages_total{mode="verify",action="quarantine"}'

# ARC: the signed message sealed once by a relay (dkimsa-sign --arc, the
# same key, so the chain validates through the harness's DNS) counts arc
# pass; the sealed message with its body changed breaks the seal's AMS
# (and the DKIM signature: rejected) and counts arc fail.
"$sign" --arc -d example.test -s sel -k "$T/rsa.pem" \
	--authserv-id relay.example.test --results "dkim=pass header.d=example.test" \
	--trust-anchor none --unbound-conf "$DNSH_DIR/unbound.conf" \
	< "$T/signed" > "$T/arcsealed" 2> "$T/arcsign.err" &&
	grep -q '^ARC-Seal: ' "$T/arcsealed"
check "dkimsa-sign --arc seals the signed message" $? "$(cat "$T/arcsign.err")"
awk '{ l[NR] = $0 } END { for (i = 1; i < NR; i++) print l[i]; print "tampered\r" }' \
	"$T/arcsealed" > "$T/arcbad"
send "$T/arcsealed" $vclient
scrape
moved "a message with a valid ARC chain counts arc pass" 1 \
	'dkimsa_verify_results_total{method="arc",result="pass"}' \
	'dkimsa_verify_results_total{method="dkim",result="pass"}' \
	'dkimsa_messages_total{mode="verify",action="accept"}'
moved "and no arc fail" 0 'dkimsa_verify_results_total{method="arc",result="fail"}'
send "$T/arcbad" $vclient
scrape
moved "a message whose ARC chain broke counts arc fail, and is rejected for its DKIM signature" 1 \
	'dkimsa_verify_results_total{method="arc",result="fail"}' \
	'dkimsa_messages_total{mode="verify",action="reject"}'
moved "and no arc pass" 0 'dkimsa_verify_results_total{method="arc",result="pass"}'
[ "$(val 'dkimsa_verify_results_total{method="arc",result="none"}')" = 0 ]
check "messages without ARC sets count no arc result" $? \
	"$(grep 'method="arc"' "$T/m.$n")"

# A forged Authentication-Results in our name is removed.
send "$T/forged" $vclient
grep -q "chgheader 1 Authentication-Results" "$T/out"
check "a forged Authentication-Results is removed" $? "$(cat "$T/out")"
scrape
moved "it is counted" 1 'dkimsa_forged_authres_removed_total' \
	'dkimsa_messages_total{mode="verify",action="accept"}'
[ "$(val dkimsa_connections_open)" = 0 ] &&
	[ "$(val dkimsa_messages_in_progress)" = 0 ]
check "with every client gone no connection or message is open" $? \
	"$(grep -e '^dkimsa_conn' -e '^dkimsa_messages_in' "$T/m.$n")"
promtool check metrics < "$T/m.$n" > "$T/promtool" 2>&1
check "promtool check metrics accepts the page after traffic" $? \
	"$(cat "$T/promtool")"

# contrib/prometheus: the scrape job is a valid Prometheus configuration;
# the dashboard parses and asks only for metrics this page has.
promtool check config "$top_srcdir/contrib/prometheus/prometheus.yml" \
	> "$T/promtool" 2>&1
check "contrib/prometheus/prometheus.yml passes promtool check config" $? \
	"$(cat "$T/promtool")"
/usr/bin/python3 - "$top_srcdir/contrib/prometheus/grafana-dashboard.json" \
	"$T/m.$n" > "$T/dash" 2>&1 <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
page = open(sys.argv[2]).read()
have = set(re.findall(r"^(dkimsa_[a-z_]+)", page, re.M))
exprs = [t["expr"] for p in d["panels"] for t in p["targets"]]
exprs.append(d["templating"]["list"][0]["query"]["query"])
used = set(m for e in exprs for m in re.findall(r"dkimsa_[a-z_]+", e))
titles = " ".join(p["title"] for p in d["panels"])
missing = sorted(used - have)
for want in ("Messages/s by action", "Verification results", "DNS errors",
             "latency"):
    if want not in titles:
        missing.append("no panel: " + want)
if not any("histogram_quantile(0.99" in e for e in exprs):
    missing.append("no p99")
print(len(d["panels"]), "panels;", len(used), "metrics;", "missing:", missing)
sys.exit(1 if missing else 0)
EOF
check "the Grafana dashboard parses and names only metrics the milter serves" \
	$? "$(cat "$T/dash")"

# A message held open (MAIL FROM sent, no end): both gauges say 1.
/usr/bin/python3 - "$T/sock" > "$T/held" 2>&1 <<'EOF' &
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
def send(cmd, data=b""):
    s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)
def read():
    n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    return s.recv(n, socket.MSG_WAITALL)
send(b"O", struct.pack(">III", 6, 0x1ff, 0x1fffff))
read()
send(b"C", b"client.example.test\0" + b"4" + struct.pack(">H", 25) + b"192.0.2.10\0")
read()
send(b"M", b"<user@example.test>\0")
read()
print("held", flush=True)
time.sleep(30)
EOF
hpid=$!
i=0
while [ $i -lt 50 ] && ! grep -qs held "$T/held"; do
	sleep 0.1
	i=$((i + 1))
done
scrape
[ "$(val dkimsa_connections_open)" = 1 ] &&
	[ "$(val dkimsa_messages_in_progress)" = 1 ]
check "a connection with a message begun shows in both gauges" $? \
	"$(cat "$T/held"; grep -e '^dkimsa_conn' -e '^dkimsa_messages_in' "$T/m.$n")"
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null
hpid=''

# Scrapers that connect and never read (nor finish their request): mail
# goes on at its pace and another scrape is answered.
/usr/bin/python3 - "$port" > "$T/stuck" 2>&1 <<'EOF' &
import socket, sys, time
held = []
for i in range(8):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect(("127.0.0.1", int(sys.argv[1])))
    if i % 2 == 0:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
    else:
        s.sendall(b"GET /metr")
    held.append(s)
print("stuck", flush=True)
time.sleep(30)
EOF
hpid=$!
i=0
while [ $i -lt 50 ] && ! grep -qs stuck "$T/stuck"; do
	sleep 0.1
	i=$((i + 1))
done
"$load" -s "unix:$T/sock" -n 20 -a 127.0.0.1 -f user@example.test \
	> "$T/out" 2>&1
max=$(sed -n 's/^RESULT.* max_ms=\([0-9.]*\).*/\1/p' "$T/out")
ok=$(sed -n 's/^RESULT.* continue=\([0-9]*\).*/\1/p' "$T/out")
# (a scraper that held mail up would hold it for the 10 s libmicrohttpd
# gives an idle client; a signature takes milliseconds, 3 s on a busy
# machine at most)
[ "$ok" = 20 ] && awk -v m="$max" 'BEGIN { exit !(m != "" && m < 3000) }'
check "8 stuck scrapers: 20 messages signed, the slowest in under 3 s" $? \
	"continue=$ok max_ms=$max; $(cat "$T/stuck")"
scrape
moved "and counted while they hang" 20 \
	'dkimsa_messages_total{mode="sign",action="accept"}'
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null
hpid=''

# SIGHUP: counters stay, the reload counter moves; a broken file fails.
before=$(val 'dkimsa_messages_total{mode="sign",action="accept"}')
sleep 1 # a new second for the reload time
kill -HUP "$mpid"
i=0
while [ $i -lt 100 ] && ! grep -q "reloaded" "$T/log"; do
	sleep 0.1
	i=$((i + 1))
done
scrape
[ "$(val 'dkimsa_messages_total{mode="sign",action="accept"}')" = "$before" ] &&
	[ "$(val 'dkimsa_verify_results_total{method="dkim",result="pass"}')" = \
		"$(val 'dkimsa_verify_results_total{method="dkim",result="pass"}' $((n - 1)))" ]
check "SIGHUP keeps every counter" $? \
	"sign/accept $before -> $(val 'dkimsa_messages_total{mode="sign",action="accept"}')"
moved "SIGHUP counts one successful reload" 1 \
	'dkimsa_reloads_total{outcome="success"}'
[ "$(val dkimsa_last_reload_success_timestamp_seconds)" -gt "$t0" ]
check "the time of the last successful reload moves" $? \
	"$t0 -> $(val dkimsa_last_reload_success_timestamp_seconds)"
"$load" -s "unix:$T/sock" -n 2 -a 127.0.0.1 -f user@example.test > "$T/out" 2>&1
scrape
moved "after SIGHUP messages count on from where they were" 2 \
	'dkimsa_messages_total{mode="sign",action="accept"}'
cp "$T/dkimsa.conf" "$T/good.conf"
echo "Mode x" >> "$T/dkimsa.conf"
kill -HUP "$mpid"
i=0
while [ $i -lt 100 ] && ! grep -q "reload of .* failed" "$T/log"; do
	sleep 0.1
	i=$((i + 1))
done
scrape
moved "a reload of a broken file counts as a failure" 1 \
	'dkimsa_reloads_total{outcome="failure"}'
moved "and leaves the success count and time alone" 0 \
	'dkimsa_reloads_total{outcome="success"}' \
	'dkimsa_last_reload_success_timestamp_seconds' \
	'dkimsa_messages_total{mode="sign",action="accept"}'
sed "s|^MetricsSocket .*|MetricsSocket inet:$((port + 1))@127.0.0.1|" \
	"$T/good.conf" > "$T/dkimsa.conf"
kill -HUP "$mpid"
i=0
while [ $i -lt 100 ] && ! grep -q "MetricsSocket changes only at a restart" "$T/log"; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "MetricsSocket changes only at a restart; still inet:$port@127.0.0.1" "$T/log"
check "a reload that changes MetricsSocket says it waits for a restart" $? \
	"$(tail -3 "$T/log")"
scrape
moved "and the old socket goes on serving the counters" 1 \
	'dkimsa_reloads_total{outcome="success"}'
kill -TERM "$mpid"
wait "$mpid"
check "the milter exits cleanly on SIGTERM" $? "$(tail -5 "$T/log")"
mpid=''

# Mode s: a message from outside is neither signed nor verified (none);
# a key file gone after start is a sign failure of class key.
cp "$T/rsa.pem" "$T/gone.pem"
{ cat "$T/KeyTable"; echo "gone._domainkey.gone.test gone.test:gone:$T/gone.pem"; } \
	> "$T/KeyTable.s"
{ cat "$T/SigningTable"; echo "*@gone.test gone._domainkey.gone.test"; } \
	> "$T/SigningTable.s"
sed -e 's/^Mode sv$/Mode s/' -e "s|^KeyTable .*|KeyTable refile:$T/KeyTable.s|" \
	-e "s|^SigningTable .*|SigningTable refile:$T/SigningTable.s|" \
	"$T/good.conf" > "$T/s.conf"
"$load" -w "$T/gone" -f user@gone.test &&
	sed -i 's/^From: .*/From: user@gone.test\r/' "$T/gone"
"$milter" -f -x "$T/s.conf" > "$T/log.s" 2>&1 &
mpid=$!
i=0
while [ $i -lt 100 ] && ! curl -s -o /dev/null "$url"; do
	sleep 0.1
	i=$((i + 1))
done
scrape
send "$T/plain" $vclient
"$load" -s "unix:$T/sock" -n 1 -a 127.0.0.1 -f user@example.test > "$T/out" 2>&1
scrape
moved "Mode s: a message from outside counts as none/accept, one from inside as sign/accept" 1 \
	'dkimsa_messages_total{mode="none",action="accept"}' \
	'dkimsa_messages_total{mode="sign",action="accept"}'
moved "and nothing as verify" 0 \
	'dkimsa_messages_total{mode="verify",action="accept"}' \
	'dkimsa_eom_duration_seconds_count{mode="verify"}'
rm -f "$T/gone.pem"
send "$T/gone" -a 127.0.0.1 -f user@gone.test
grep -q 'reply tempfail' "$T/out"
check "a signing key file gone after start: the message is tempfailed" $? \
	"$(cat "$T/out")"
scrape
moved "it counts as a sign failure of class key and sign/tempfail" 1 \
	'dkimsa_sign_failures_total{reason="key"}' \
	'dkimsa_messages_total{mode="sign",action="tempfail"}'
moved "and as no signature" 0 'dkimsa_signatures_total{algorithm="rsa-sha256"}'
kill -TERM "$mpid"
wait "$mpid"
mpid=''

# A bad MetricsSocket: an error naming the file and line, at -n and at start.
for row in "no address|inet:$port" "a port out of range|inet:70000@127.0.0.1" \
	"a host name|inet:$port@localhost" "a unix socket|unix:$T/m.sock" \
	"an IPv4 address as inet6|inet6:$port@127.0.0.1"; do
	what=${row%%|*} spec=${row#*|}
	sed "s|^MetricsSocket .*|MetricsSocket $spec|" "$T/good.conf" > "$T/bad.conf"
	line=$(grep -n '^MetricsSocket' "$T/bad.conf" | cut -d: -f1)
	"$milter" -n -x "$T/bad.conf" > "$T/n.out" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q "$T/bad.conf, line $line: MetricsSocket $spec: expected" "$T/n.out"
	check "dkimsa -n: MetricsSocket with $what names its line" $? \
		"rc $rc: $(cat "$T/n.out")"
done
timeout 20 "$milter" -f -x "$T/bad.conf" > "$T/n.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "$T/bad.conf, line $line: MetricsSocket" "$T/n.out"
check "the milter does not start with a bad MetricsSocket, and says where" $? \
	"rc $rc: $(cat "$T/n.out")"
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("bound", flush=True); time.sleep(30)' "$port" > "$T/busy" 2>&1 &
hpid=$!
i=0
while [ $i -lt 50 ] && ! grep -qs bound "$T/busy"; do
	sleep 0.1
	i=$((i + 1))
done
timeout 20 "$milter" -f -x "$T/good.conf" > "$T/n.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "MetricsSocket inet:$port@127.0.0.1: cannot listen" "$T/n.out"
check "a MetricsSocket port in use stops the start with the reason" $? \
	"rc $rc: $(cat "$T/n.out")"
exit 0
