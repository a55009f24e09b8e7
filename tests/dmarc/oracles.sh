#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# oracles.sh - two independent DMARC implementations over the scenario
# table (tests/dmarc/scenarios.tsv), each row run once through
# dkimsa-verify (receiver mode, libunbound on the harness zones) and then
# given, with the SPF and DKIM results dkimsa found, to:
#
# 1. Node's mailauth (npm package, its RFC 9989 DMARC module, installed
#    reproducibly by tests/node/install.sh: npm ci of
#    tests/node/package-lock.json into $top_builddir/tests/node; the
#    module runs on Node 20), with a resolver callback answering from the
#    same zones (nsd on 127.0.0.1, tests/dns/harness.sh).  Every row must
#    agree on the DMARC result and the policy (published and after t=y),
#    or be listed in oracle-mailauth.known with mailauth's exact answer
#    and the RFC text the two read differently.
#
# 2. OpenDMARC 1.4.2 (Debian package opendmarc, RFC 7489 with the public
#    suffix list), driven through the milter protocol
#    (tests/dmarc/milterdrive.py): client address, HELO, MAIL FROM and
#    header, the SPF and DKIM results in an Authentication-Results field
#    of a trusted authserv-id (OpenDMARC 1.4.2 reads smtp.mailfrom as a
#    domain); its verdict (A-R with dis=, the 550 of RejectFailures, the
#    hold of HoldQuarantinedMessages) is compared with dkimsa's.  RFC 7489
#    and RFC 9989 agree on the Organizational Domain when the public
#    suffix list has the registry boundaries the zones were built with, so
#    OpenDMARC gets a list naming "test" and "dmarc.test".  Rows where the
#    RFCs differ by design (tree walk and psd=, np=, t=, pct=, invalid
#    policy handling, several From) or where OpenDMARC does something else
#    are listed in oracle-opendmarc.known with its answer and why; every
#    other row must agree.  OpenDMARC resolves through libresolv
#    (/etc/resolv.conf, port 53), so it runs in private network and mount
#    namespaces (unshare -n -m, root) with nsd serving the harness zones
#    on 127.0.0.1:53 and a resolv.conf naming it bind-mounted over
#    /etc/resolv.conf; nothing leaves the namespace.
#
# A row listed in a .known file that agrees fails too: the lists stay true.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/dns/harness.sh"
. "$top_srcdir/tests/dmarc/oracle-common.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-oracles.XXXXXX") || exit 1
chmod 755 "$dir"
trap dnsh_cleanup EXIT
trap 'exit 1' INT TERM
nodedir="$top_builddir/tests/node"

if ! { oracle_setup "$dir" && dnsh_nsd_start; }; then
	echo "FAIL: dmarc oracles harness starts: see the messages above"
	exit 1
fi
oracle_dkimsa

# json STRING: a JSON string literal (the table holds printable ASCII and
# UTF-8; the bytes of hostile rows that are not UTF-8 pass through)
json() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
jlist() { # space-separated words ("-" none) -> JSON list of strings
	out=
	for w in $1; do
		[ "$w" = - ] || out="$out${out:+,}$(json "$w")"
	done
	printf '[%s]' "$out"
}

oracle_mailauth() {
	if ! mailauth=$(sh "$top_srcdir/tests/node/install.sh" "$nodedir" 2> "$dir/npm.log"); then
		echo "FAIL: mailauth oracle: tests/node/install.sh failed: $(tail -5 "$dir/npm.log")"
		return 0
	fi
	echo "PASS: mailauth $(sed -n 's/^ *"version": "\(.*\)".*/\1/p' \
		"$mailauth/package.json" | head -1) installed by npm ci from tests/node/package-lock.json"

	while IFS="$ORC_TAB" read -r name from mfrom helo ip spf dk; do
		froms=
		if [ "$from" != - ]; then
			froms=$(printf '%s\n' "$from" | sed 's/ | /\n/g' |
				while IFS= read -r f; do printf '%s,' "$(json "$f")"; done)
		fi
		printf '{"name":%s,"from":[%s],"spf":%s,"dkim":%s}\n' \
			"$(json "$name")" "${froms%,}" "$(jlist "$spf")" "$(jlist "$dk")"
	done < "$dir/inputs.tsv" > "$dir/rows.json"

	NODE_PATH="$nodedir/node_modules" node "$ORC_SRC/oracle-mailauth.js" \
		"$DNSH_NSD_PORT" < "$dir/rows.json" > "$dir/mailauth.tsv" 2> "$dir/node.err"
	if [ ! -s "$dir/mailauth.tsv" ]; then
		echo "FAIL: mailauth oracle runs: $(head -5 "$dir/node.err")"
		return 0
	fi
	oracle_compare mailauth "$ORC_SRC/oracle-mailauth.known" "$dir/mailauth.tsv"
}

oracle_opendmarc() {
	if ! command -v opendmarc > /dev/null; then
		echo "FAIL: opendmarc oracle: opendmarc is needed (scripts/install-deps.sh)"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ] || ! unshare -n -m true 2>/dev/null; then
		echo "FAIL: opendmarc oracle: needs root and unshare -n -m (the suite runs as root)"
		return 0
	fi
	v=$(opendmarc -V 2>&1 | sed -n 's/.*OpenDMARC Filter v\([0-9.]*\).*/\1/p')
	[ "$v" = 1.4.2 ] && echo "PASS: OpenDMARC $v is the oracle" ||
		echo "FAIL: OpenDMARC 1.4.2 is the oracle: found ${v:-nothing}"


	# ---- the rows as milter sessions ----
	jstr() { json "$1"; }
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
	# a second nsd (the first serves mailauth on a high port): files of its own
	dnsh_nsd_conf 53 | sed -e "s|$DNSH_DIR/nsd.pid|$dir/nsd53.pid|" \
		-e "s|$DNSH_DIR/nsd.log|$dir/nsd53.log|" \
		-e "s|$DNSH_DIR/zone.list|$dir/nsd53.zone.list|" \
		-e "s|$DNSH_DIR/xfrd.state|$dir/nsd53.xfrd.state|" > "$dir/nsd53.conf"
	cat > "$dir/opendmarc.conf" <<-EOF
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
		kill -KILL $od # it takes 5 s to stop on SIGTERM; nothing to keep
		[ -s "$d/nsd53.pid" ] && kill "$(cat "$d/nsd53.pid")"
		wait $od 2>/dev/null
		i=0
		while [ -s "$d/nsd53.pid" ] && kill -0 "$(cat "$d/nsd53.pid")" 2>/dev/null &&
			[ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		exit 0' sh "$dir" "$ORC_SRC/milterdrive.py"
	if [ ! -s "$dir/od.out" ]; then
		echo "FAIL: opendmarc oracle runs: $(tail -5 "$dir/od.log" 2>/dev/null)"
		return 0
	fi

	# OpenDMARC's verdict: the 550 of RejectFailures is fail/reject; else its
	# A-R "dmarc=RESULT (p=P dis=D)" (no policy: dmarc=none, "-").
	while IFS="$ORC_TAB" read -r name action added; do
		case $action in
		"replycode 550"*)
			printf '%s\tfail\t-\treject\n' "$name" ;;
		*)
			r=$(printf '%s' "$added" | LC_ALL=C sed -n 's/.*oracle\.test; *dmarc=\([a-z]*\).*/\1/p')
			dd=$(printf '%s' "$added" | LC_ALL=C sed -n 's/.*oracle\.test; *dmarc=[a-z]* ([^)]*dis=\([A-Za-z]*\).*/\1/p' |
				tr 'A-Z' 'a-z')
			[ -n "$r" ] || r="no-ar:$action"
			[ -n "$dd" ] || dd=-
			# no policy applies: dkimsa says "-" where OpenDMARC says none
			case $r in none | temperror | permerror) dd=- ;; esac
			printf '%s\t%s\t-\t%s\n' "$name" "$r" "$dd" ;;
		esac
	done < "$dir/od.out" > "$dir/opendmarc.tsv"
	oracle_compare opendmarc "$ORC_SRC/oracle-opendmarc.known" "$dir/opendmarc.tsv"
}

oracle_mailauth
oracle_opendmarc
exit 0
