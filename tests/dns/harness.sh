# SPDX-License-Identifier: BSD-2-Clause
# tests/dns/harness.sh - a throwaway DNS world for tests, sourced by test
# scripts (POSIX sh).  Zones are plain zone files served to the real
# libunbound, either loaded into it as auth-zones (no sockets) or served by
# nsd on 127.0.0.1 at a free high port.  Nothing leaves the loopback
# interface: "." is served locally too.
#
# Usage, the common case:
#     . "$top_srcdir/tests/dns/harness.sh"
#     dnsh_start "$(mktemp -d)"       # or a directory you made
#     trap dnsh_cleanup EXIT
#     ... give "$DNSH_DIR/unbound.conf" to the code under test
#     (dkimsa: UnboundConfigFile=$DNSH_DIR/unbound.conf, TrustAnchorFile
#     unset or "none": the conf names $DNSH_DIR/ta.ds itself)
#
# Step by step, to add zones of your own:
#     dnsh_init DIR                   stage the standard zones (below)
#     dnsh_add_zone NAME FILE [MODE]  add a zone; FILE may use names
#                                     relative to NAME ($ORIGIN NAME. is
#                                     put first).  MODE: unsigned (default),
#                                     signed, or tampered:SEDEXPR (signed,
#                                     then SEDEXPR applied to the signed
#                                     file, so the changed RRsets are bogus)
#     dnsh_server_option 'LINE'       extra "server:" line for the
#                                     unbound.conf files, e.g.
#                                     'local-zone: "10.in-addr.arpa." nodefault'
#     dnsh_build                      sign, tamper, write DIR/ta.ds
#     dnsh_silent_start               a UDP socket that never answers;
#                                     "silent.test" is stubbed to it
#     dnsh_conf_auth [FILE]           write the auth-zone unbound.conf
#                                     (default DIR/unbound.conf)
#     dnsh_nsd_start                  nsd serving every zone; sets
#                                     DNSH_NSD_PORT
#     dnsh_conf_nsd [FILE]            unbound.conf with stub-zones to nsd
#                                     (default DIR/unbound-nsd.conf)
#     dnsh_nsd_stop                   stop nsd (waits for its PID)
#     dnsh_cleanup                    stop everything started, remove DIR
#     dnsh_dkim_txt KEYFILE           print '"v=DKIM1; k=rsa; " "p=..." ...'
#                                     for an RSA private key (PEM), in
#                                     200-byte strings, for a zone file
#
# Standard zones (fixtures in tests/dns/zones/):
#   .                     root.zone: SOA+NS only; any other name NXDOMAIN
#   secure.test           dkim.zone.in, signed (ECDSA P-256)   -> secure
#   insecure.test         dkim.zone.in, unsigned               -> insecure
#   bogus.test            dkim.zone.in, signed, then the sel2048 key and
#                         the ADSP record edited               -> bogus
#   adsp.test             adsp.zone: RFC 5617 fixtures (see the file)
#   2.0.192.in-addr.arpa  reverse.zone: PTR records
#   refused.test          local-zone refuse: every query REFUSED
#   silent.test           stub to a silent port (after dnsh_silent_start)
# dkim.zone.in holds sel2048 and sel4096 keys: the public halves of
# tests/data/keys/rsa2048.pem and rsa4096.pem.
#
# Variables: DNSH_DIR (the directory), DNSH_NSD_PORT, DNSH_SILENT_PORT.
# Files in DNSH_DIR: zones/, ta.ds, unbound.conf, unbound-nsd.conf,
# nsd.conf, nsd.pid, harness.log (tool output; read it when a step fails).
# Every function returns non-zero with a message on stderr on failure.
# Needs: ldnsutils (ldns-keygen, ldns-signzone), nsd, openssl, python3.

DNSH_SRC=${top_srcdir:-$(pwd)}
DNSH_DIR=
DNSH_NSD_PORT=
DNSH_SILENT_PORT=
DNSH_SILENT_PID=

dnsh_fail() {
	echo "dns harness: $*" >&2
	return 1
}

dnsh_dkim_txt() {
	dnsh_p=$(openssl pkey -in "$1" -pubout -outform DER 2>/dev/null |
		openssl base64 -A) || return 1
	[ -n "$dnsh_p" ] || dnsh_fail "cannot read key $1" || return 1
	printf '"v=DKIM1; k=rsa; " '
	printf 'p=%s' "$dnsh_p" | fold -w 200 | sed 's/.*/"&"/' | tr '\n' ' '
}

# dnsh_add_zone NAME FILE [MODE]
dnsh_add_zone() {
	[ -n "$DNSH_DIR" ] || dnsh_fail "dnsh_init first" || return 1
	[ -r "$2" ] || dnsh_fail "zone file $2 not readable" || return 1
	dnsh_f="$DNSH_DIR/zones/$1.zone"
	[ "$1" = . ] && dnsh_f="$DNSH_DIR/zones/root.zone"
	{
		[ "$1" = . ] || echo "\$ORIGIN $1."
		cat "$2"
	} > "$dnsh_f" || return 1
	printf '%s %s\n' "$1" "${3:-unsigned}" >> "$DNSH_DIR/zones.list"
}

dnsh_server_option() {
	printf '\t%s\n' "$1" >> "$DNSH_DIR/server.extra"
}

dnsh_init() {
	DNSH_DIR=$(cd "$1" && pwd) || dnsh_fail "no directory $1" || return 1
	mkdir -p "$DNSH_DIR/zones" || return 1
	: > "$DNSH_DIR/zones.list"
	: > "$DNSH_DIR/server.extra"
	: > "$DNSH_DIR/harness.log"
	z="$DNSH_SRC/tests/dns/zones"
	k="$DNSH_SRC/tests/data/keys"
	p2048=$(dnsh_dkim_txt "$k/rsa2048.pem" | sed 's/^"v=DKIM1; k=rsa; " //') &&
	p4096=$(dnsh_dkim_txt "$k/rsa4096.pem" | sed 's/^"v=DKIM1; k=rsa; " //') ||
		return 1
	sed -e "s|@P2048@|$p2048|" -e "s|@P4096@|$p4096|" "$z/dkim.zone.in" \
		> "$DNSH_DIR/dkim.zone" || return 1
	dnsh_add_zone . "$z/root.zone" &&
	dnsh_add_zone secure.test "$DNSH_DIR/dkim.zone" signed &&
	dnsh_add_zone insecure.test "$DNSH_DIR/dkim.zone" &&
	dnsh_add_zone bogus.test "$DNSH_DIR/dkim.zone" \
		'tampered:s/"dkim=all"/"dkim=unknown"/;/^sel2048\._domainkey/s/"p=MII/"p=MIA/' &&
	dnsh_add_zone adsp.test "$z/adsp.zone" &&
	dnsh_add_zone 2.0.192.in-addr.arpa "$z/reverse.zone" &&
	dnsh_server_option 'local-zone: "test." nodefault' &&
	dnsh_server_option 'local-zone: "2.0.192.in-addr.arpa." nodefault' &&
	dnsh_server_option 'local-zone: "refused.test." refuse'
}

# Signs zones/NAME.zone into zones/NAME.signed; appends its DS to ta.ds.
dnsh_sign() {
	(
		cd "$DNSH_DIR/zones" &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 "$1") &&
		ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$1") &&
		cat "$ksk.ds" >> "$DNSH_DIR/ta.ds" &&
		ldns-signzone -f "$1.signed" "$1.zone" "$zsk" "$ksk"
	) >> "$DNSH_DIR/harness.log" 2>&1 || dnsh_fail "signing $1 failed"
}

dnsh_build() {
	: > "$DNSH_DIR/ta.ds"
	while read -r name mode; do
		case $mode in
		unsigned) continue ;;
		signed) dnsh_sign "$name" || return 1 ;;
		tampered:*)
			dnsh_sign "$name" || return 1
			f="$DNSH_DIR/zones/$name.signed"
			cp "$f" "$f.orig" &&
			sed -i "${mode#tampered:}" "$f" || return 1
			if cmp -s "$f" "$f.orig"; then
				dnsh_fail "tampering $name changed nothing"
				return 1
			fi
			;;
		*) dnsh_fail "zone $name: unknown mode $mode"; return 1 ;;
		esac
	done < "$DNSH_DIR/zones.list"
	return 0
}

# The zone file a server loads for NAME.
dnsh_zonefile() {
	f="$DNSH_DIR/zones/$1.zone"
	[ "$1" = . ] && f="$DNSH_DIR/zones/root.zone"
	[ -f "$DNSH_DIR/zones/$1.signed" ] && f="$DNSH_DIR/zones/$1.signed"
	echo "$f"
}

dnsh_conf_server() {
	echo 'server:'
	echo '	do-not-query-localhost: no'
	[ -s "$DNSH_DIR/ta.ds" ] &&
		echo "	trust-anchor-file: \"$DNSH_DIR/ta.ds\""
	cat "$DNSH_DIR/server.extra"
	[ -n "$DNSH_SILENT_PORT" ] &&
		printf 'stub-zone:\n\tname: "silent.test"\n\tstub-addr: 127.0.0.1@%s\n' \
			"$DNSH_SILENT_PORT"
	return 0
}

dnsh_conf_auth() {
	{
		dnsh_conf_server
		while read -r name mode; do
			printf 'auth-zone:\n\tname: "%s"\n\tzonefile: "%s"\n' \
				"$name" "$(dnsh_zonefile "$name")"
			printf '\tfor-upstream: yes\n\tfor-downstream: no\n'
			printf '\tfallback-enabled: no\n'
		done < "$DNSH_DIR/zones.list"
	} > "${1:-$DNSH_DIR/unbound.conf}"
}

dnsh_conf_nsd() {
	[ -n "$DNSH_NSD_PORT" ] || dnsh_fail "dnsh_nsd_start first" || return 1
	{
		dnsh_conf_server
		while read -r name mode; do
			printf 'stub-zone:\n\tname: "%s"\n\tstub-addr: 127.0.0.1@%s\n' \
				"$name" "$DNSH_NSD_PORT"
		done < "$DNSH_DIR/zones.list"
	} > "${1:-$DNSH_DIR/unbound-nsd.conf}"
}

# A free port on 127.0.0.1 for both UDP and TCP.
dnsh_free_port() {
	python3 -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
print(p)'
}

dnsh_silent_start() {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
sys.stdout.close()
time.sleep(3600)' > "$DNSH_DIR/silent.port" 2>>"$DNSH_DIR/harness.log" &
	DNSH_SILENT_PID=$!
	i=0
	while [ ! -s "$DNSH_DIR/silent.port" ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	DNSH_SILENT_PORT=$(cat "$DNSH_DIR/silent.port")
	[ -n "$DNSH_SILENT_PORT" ] || dnsh_fail "silent socket did not start"
}

dnsh_nsd_conf() {
	cat <<EOF
server:
	ip-address: 127.0.0.1
	port: $1
	do-ip6: no
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: "$DNSH_DIR/zones"
	database: ""
	zonelistfile: "$DNSH_DIR/zone.list"
	xfrdfile: "$DNSH_DIR/xfrd.state"
	xfrdir: "$DNSH_DIR"
	pidfile: "$DNSH_DIR/nsd.pid"
	logfile: "$DNSH_DIR/nsd.log"
	verbosity: 1
remote-control:
	control-enable: no
EOF
	while read -r name mode; do
		printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "$name" \
			"$(dnsh_zonefile "$name")"
	done < "$DNSH_DIR/zones.list"
}

dnsh_nsd_start() {
	for try in 1 2 3 4 5; do
		port=$(dnsh_free_port) || return 1
		dnsh_nsd_conf "$port" > "$DNSH_DIR/nsd.conf"
		nsd-checkconf "$DNSH_DIR/nsd.conf" >> "$DNSH_DIR/harness.log" 2>&1 ||
			{ dnsh_fail "nsd.conf rejected (see harness.log)"; return 1; }
		rm -f "$DNSH_DIR/nsd.pid"
		nsd -c "$DNSH_DIR/nsd.conf" >> "$DNSH_DIR/harness.log" 2>&1
		i=0
		while [ $i -lt 50 ]; do
			if [ -s "$DNSH_DIR/nsd.pid" ] && drill -Q -p "$port" \
			    @127.0.0.1 secure.test SOA >/dev/null 2>&1; then
				DNSH_NSD_PORT=$port
				return 0
			fi
			sleep 0.05; i=$((i + 1))
		done
		dnsh_nsd_stop
	done
	dnsh_fail "nsd did not start (see $DNSH_DIR/nsd.log)"
}

dnsh_nsd_stop() {
	[ -s "$DNSH_DIR/nsd.pid" ] || return 0
	pid=$(cat "$DNSH_DIR/nsd.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	fi
	rm -f "$DNSH_DIR/nsd.pid"
	return 0
}

dnsh_cleanup() {
	[ -n "$DNSH_DIR" ] || return 0
	dnsh_nsd_stop
	if [ -n "$DNSH_SILENT_PID" ]; then
		kill "$DNSH_SILENT_PID" 2>/dev/null
		wait "$DNSH_SILENT_PID" 2>/dev/null
		DNSH_SILENT_PID=
	fi
	rm -rf "$DNSH_DIR"
	DNSH_DIR=
}

dnsh_start() {
	dnsh_init "$1" && dnsh_build && dnsh_silent_start && dnsh_conf_auth
}
