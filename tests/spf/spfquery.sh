#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# spfquery.sh - dkimsa-spfquery end to end, offline: a root zone served by
# libunbound as an auth-zone (--unbound-conf, --trust-anchor none).
# Environment: top_builddir, top_srcdir (absolute); cwd is a scratch dir.
: "${top_builddir:?}" "${top_srcdir:?}"
q="$top_builddir/tools/spfquery/dkimsa-spfquery"
d=$(mktemp -d "${TMPDIR:-/tmp}/spfquery.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT INT TERM
cat >"$d/root.zone" <<'Z'
. 300 IN SOA ns.root. hostmaster.root. 1 3600 600 86400 300
. 300 IN NS ns.root.
example.com. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 a:mail.example.com -all exp=why.example.com"
why.example.com. 300 IN TXT "%{i} may not send for %{d}"
mail.example.com. 300 IN A 198.51.100.10
mail.example.com. 300 IN AAAA 2001:db8::10
mail.example.com. 300 IN TXT "v=spf1 a -all"
sid.example.com. 300 IN TXT "spf2.0/pra ip4:192.0.2.7 -all"
sid.example.com. 300 IN TXT "v=spf1 ip4:192.0.2.8 -all"
Z
cat >"$d/unbound.conf" <<C
server:
    module-config: "iterator"
auth-zone:
    name: "."
    zonefile: "$d/root.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
C
run() { "$q" --trust-anchor none --unbound-conf "$d/unbound.conf" "$@"; }
check() { # name expected-output actual-output
	if [ "$2" = "$3" ]; then echo "PASS: $1"
	else printf 'FAIL: %s: got [%s] want [%s]\n' "$1" "$3" "$2"; fi
}
check spfquery-pass "user@example.com 192.0.2.1 pass" \
	"$(run user@example.com 192.0.2.1)"
check spfquery-fail-with-explanation "user@example.com 203.0.113.9 fail
  explanation: 203.0.113.9 may not send for example.com
  reason: -all matched in the record of example.com" \
	"$(run --explain user@example.com 203.0.113.9)"
check spfquery-several-ips "u@example.com 192.0.2.1 pass
u@example.com 198.51.100.10 pass
u@example.com 203.0.113.1 fail" \
	"$(run u@example.com 192.0.2.1 198.51.100.10 203.0.113.1)"
check spfquery-host-name-checks-each-address \
	"u@mail.example.com 198.51.100.10 pass
u@mail.example.com 2001:db8::10 pass" \
	"$(run u@mail.example.com mail.example.com | sort)"
check spfquery-null-sender-uses-helo "<> 198.51.100.10 pass" \
	"$(run --helo mail.example.com '<>' 198.51.100.10)"
out=$(run --received-spf --receiver mx.example.net u@example.com 192.0.2.1)
case "$out" in
"u@example.com 192.0.2.1 pass
Received-SPF: pass (mx.example.net: domain of u@example.com designates"*"identity=mailfrom;"*)
	echo "PASS: spfquery-received-spf" ;;
*) echo "FAIL: spfquery-received-spf: $out" ;;
esac
check spfquery-sid-mfrom-uses-spf1 "a@sid.example.com 192.0.2.8 pass" \
	"$(run -m a@sid.example.com 192.0.2.8)"
check spfquery-sid-pra-sender-as-pra "a@sid.example.com 192.0.2.7 pass" \
	"$(run -p a@sid.example.com 192.0.2.7)"
printf 'Received: by x\r\nSender: list@sid.example.com\r\nFrom: a@example.com\r\n\r\nbody\r\n' >"$d/msg"
check spfquery-sid-pra-from-headers "bounce@other.example 192.0.2.7 pass" \
	"$(run -p --headers "$d/msg" bounce@other.example 192.0.2.7)"
printf 'From: a@example.com\r\nFrom: b@example.com\r\n\r\n' >"$d/bad"
check spfquery-sid-pra-ill-formed-permerror \
	"bounce@other.example 192.0.2.7 permerror" \
	"$(run -p --headers "$d/bad" bounce@other.example 192.0.2.7)"
run user@example.com 300.1.1.1 >/dev/null 2>&1
check spfquery-bad-address-exit-1 1 $?
"$q" >/dev/null 2>&1
check spfquery-usage-exit-2 2 $?
