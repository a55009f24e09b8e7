#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# oracle-opendmarc.sh - OpenDMARC 1.4.2 (Debian package opendmarc, RFC
# 7489 with the public suffix list) as a second DMARC oracle over the
# scenario table, driven through the milter protocol
# (tests/dmarc/milterdrive.py): each row's client address, HELO, MAIL FROM
# and header go to opendmarc, with the SPF and DKIM results dkimsa-verify
# found given in an Authentication-Results field of a trusted authserv-id
# (TrustedAuthservIDs; OpenDMARC 1.4.2 reads smtp.mailfrom as a domain),
# and its dmarc= verdict (its A-R field with dis=, the 550 of
# RejectFailures, the hold of HoldQuarantinedMessages) is compared with
# dkimsa's.
#
# RFC 7489 and RFC 9989 agree on the Organizational Domain when the public
# suffix list has the registry boundaries the zones were built with, so
# OpenDMARC gets a list naming "test" and "dmarc.test" (the harness's
# "TLDs").  Rows where the two RFCs differ by design (tree walk, psd=,
# np=, t=, invalid policy handling, several From) are listed in
# oracle-opendmarc.known with OpenDMARC's answer and the reason; every
# other row must agree on the result and the disposition.
#
# OpenDMARC resolves through libresolv (/etc/resolv.conf, port 53), so it
# runs in private network and mount namespaces (unshare -n -m, root) with
# nsd serving the harness zones on 127.0.0.1:53 and a resolv.conf naming
# it bind-mounted over /etc/resolv.conf; nothing leaves the namespace.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/dmarc/oracle-common.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-opendmarc.XXXXXX") || exit 1
chmod 755 "$dir"
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM

if ! command -v opendmarc > /dev/null; then
	echo "FAIL: opendmarc oracle: opendmarc is needed (scripts/install-deps.sh)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! unshare -n -m true 2>/dev/null; then
	echo "FAIL: opendmarc oracle: needs root and unshare -n -m (the suite runs as root)"
	exit 0
fi
v=$(opendmarc -V 2>&1 | sed -n 's/.*OpenDMARC Filter v\([0-9.]*\).*/\1/p')
[ "$v" = 1.4.2 ] && echo "PASS: OpenDMARC $v is the oracle" ||
	echo "FAIL: OpenDMARC 1.4.2 is the oracle: found ${v:-nothing}"

if ! oracle_setup "$dir"; then
	echo "FAIL: opendmarc oracle harness starts: see the messages above"
	exit 1
fi
oracle_dkimsa

# ---- the rows as milter sessions ----
jstr() { /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
while IFS="$ORC_TAB" read -r name from mfrom helo ip spf dk; do
	ar="mta.test;"
	if [ "$mfrom" != - ]; then
		s=$([ "$spf" != - ] && echo pass || echo fail)
		ar="$ar spf=$s smtp.mailfrom=${mfrom#*@};"
	else
		s=$([ "$spf" != - ] && echo pass || echo fail)
		ar="$ar spf=$s smtp.helo=$helo;"
	fi
	for d in $dk; do
		[ "$d" = - ] || ar="$ar dkim=pass header.d=$d;"
	done
	hdrs="[[\"Authentication-Results\",$(jstr "${ar%;}")]"
	if [ "$from" != - ]; then
		hdrs="$hdrs$(printf '%s\n' "$from" | sed 's/ | /\n/g' |
			while IFS= read -r f; do printf ',["From",%s]' "$(jstr "$f")"; done)"
	fi
	hdrs="$hdrs,[\"To\",\"rcpt@example.net\"],[\"Subject\",\"scenario\"]"
	hdrs="$hdrs,[\"Date\",\"Thu, 26 Nov 2026 12:00:00 +0000\"]"
	hdrs="$hdrs,[\"Message-ID\",\"<scenario@dmarc.test>\"]]"
	mf=$mfrom
	[ "$mf" = - ] && mf=
	printf '{"name":%s,"ip":%s,"helo":%s,"mail_from":%s,"headers":%s,"body":"Hello.\\r\\n"}\n' \
		"$(jstr "$name")" "$(jstr "$ip")" "$(jstr "$helo")" "$(jstr "$mf")" "$hdrs"
done < "$dir/inputs.tsv" > "$dir/rows.json"

# ---- OpenDMARC in its own network namespace ----
printf '// suffixes of the test zones\ntest\ndmarc.test\n' > "$dir/psl.dat"
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' > "$dir/resolv.conf"
dnsh_nsd_conf 53 | sed "s|$DNSH_DIR/nsd.pid|$dir/nsd53.pid|" > "$dir/nsd53.conf"
cat > "$dir/opendmarc.conf" <<EOF
Socket local:$dir/od.sock
PidFile $dir/od.pid
UserID root
AuthservID oracle.test
TrustedAuthservIDs mta.test
SPFSelfValidate false
SPFIgnoreResults false
IgnoreAuthenticatedClients false
IgnoreHosts $dir/ignore
PublicSuffixList $dir/psl.dat
RejectFailures true
RequiredHeaders false
FailureReports false
HoldQuarantinedMessages true
HistoryFile $dir/od.history
Syslog false
DNSTimeout 2
EOF
printf '10.255.255.255\n' > "$dir/ignore"
unshare -n -m sh -c '
	d=$1
	ip link set lo up || exit 1
	mount --bind "$d/resolv.conf" /etc/resolv.conf || exit 1
	nsd -c "$d/nsd53.conf" || exit 1
	opendmarc -c "$d/opendmarc.conf" -f > "$d/od.log" 2>&1 &
	od=$!
	i=0
	while [ ! -S "$d/od.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	/usr/bin/python3 "$2" "$d/od.sock" < "$d/rows.json" > "$d/od.out"
	kill $od
	[ -s "$d/nsd53.pid" ] && kill "$(cat "$d/nsd53.pid")"
	wait $od 2>/dev/null
	i=0
	while [ -s "$d/nsd53.pid" ] && kill -0 "$(cat "$d/nsd53.pid")" 2>/dev/null &&
		[ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	exit 0' sh "$dir" "$ORC_SRC/milterdrive.py"
if [ ! -s "$dir/od.out" ]; then
	echo "FAIL: opendmarc oracle runs: $(tail -5 "$dir/od.log" 2>/dev/null)"
	exit 0
fi

# OpenDMARC's verdict: the 550 of RejectFailures is fail/reject; else its
# A-R "dmarc=RESULT (p=P dis=D)" (no policy: dmarc=none, "-").
while IFS="$ORC_TAB" read -r name action added; do
	case $action in
	"replycode 550"*)
		printf '%s\tfail\t-\treject\n' "$name" ;;
	*)
		r=$(printf '%s' "$added" | sed -n 's/.*oracle\.test; *dmarc=\([a-z]*\).*/\1/p')
		dd=$(printf '%s' "$added" | sed -n 's/.*oracle\.test; *dmarc=[a-z]* ([^)]*dis=\([A-Za-z]*\).*/\1/p' |
			tr 'A-Z' 'a-z')
		[ -n "$r" ] || r="no-ar:$action"
		[ -n "$dd" ] || dd=-
		# no policy applies: dkimsa says "-" where OpenDMARC says none
		case $r in none | temperror | permerror) dd=- ;; esac
		printf '%s\t%s\t-\t%s\n' "$name" "$r" "$dd" ;;
	esac
done < "$dir/od.out" > "$dir/opendmarc.tsv"
oracle_compare opendmarc "$ORC_SRC/oracle-opendmarc.known" "$dir/opendmarc.tsv"
exit 0
