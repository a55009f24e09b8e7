#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# setup.sh: first command of the Quick start (README.md).  On a fresh
# Debian 12 machine, as root, it ends with a running milter:
#   - installs the build and test dependencies (scripts/install-deps.sh),
#   - builds dkimsa out of tree in _build-setup/ (a directory of its own:
#     scripts/test.sh configures _build/ its way) and installs it (prefix
#     /usr/local unless PREFIX is set; configuration in /etc),
#   - creates the system user dkimsa, a demo key for example.test
#     (selector demo) under /etc/dkimsa/keys, the KeyTable and
#     SigningTable for it, and /etc/dkimsa.conf (only when absent),
#   - starts the milter on inet:8891@127.0.0.1 (systemd unit when systemd
#     runs the machine, else dkimsa in the background), checks that the
#     port accepts connections, and prints where things are, where the
#     log goes and the DNS record to publish.
# Running it again rebuilds, reinstalls and restarts the milter; files
# that exist are left alone.  Each step is one function; main() runs them.
set -e

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build-setup"
prefix="${PREFIX:-/usr/local}"
. "$top/scripts/common.sh"

conf=/etc/dkimsa.conf
etc=/etc/dkimsa
keydir=$etc/keys
domain=example.test
selector=demo
user=dkimsa
port=8891
rundir=/run/dkimsa
logfile=/var/log/dkimsa.log
unit=/etc/systemd/system/dkimsa.service

install_deps()
{
	echo "==> installing Debian packages (scripts/install-deps.sh)"
	"$top/scripts/install-deps.sh"
}

build()
{
	mkdir -p "$build"
	ensure_configure
	# Configure for this prefix with the configuration in /etc, so the
	# installed dkimsa reads /etc/dkimsa.conf by default.
	if [ ! -f "$build/Makefile" ] ||
		! grep -q -- "^ac_cs_config=.*--sysconfdir=/etc[ ']" \
			"$build/config.status" ||
		! grep -q -- "^ac_cs_config=.*--prefix=${prefix}[ ']" \
			"$build/config.status"; then
		echo "==> configure --prefix=$prefix --sysconfdir=/etc (in $build)"
		(cd "$build" && quiet config.out "$top/configure" \
			--prefix="$prefix" --sysconfdir=/etc)
	fi
	echo "==> make (in $build)"
	quiet "$build/make.out" make -C "$build" -j2
}

install_build()
{
	echo "==> make install"
	quiet "$build/install.out" make -C "$build" install
	ldconfig 2>/dev/null || true
}

create_user()
{
	if getent passwd "$user" >/dev/null; then
		echo "==> user $user exists"
		return 0
	fi
	echo "==> creating system user $user"
	useradd --system --user-group --home-dir /nonexistent \
		--no-create-home --shell /usr/sbin/nologin "$user"
}

# The DNS record for the demo key, from the key itself (this also covers a
# key made by openssl): dkimsa-genkey --zone's text (scripts/common.sh),
# the value split into strings of at most 255 bytes.
txt_record()
{
	dkim_txt_record "$prefix/bin/dkimsa-genkey" \
		"$keydir/$selector.private" "$selector" "$domain"
}

make_key()
{
	install -d -m 0755 -o root -g root "$etc"
	install -d -m 0700 -o "$user" -g "$user" "$keydir"
	key="$keydir/$selector.private"
	if [ -f "$key" ]; then
		echo "==> demo key $key exists"
	elif [ -x "$prefix/bin/dkimsa-genkey" ]; then
		echo "==> dkimsa-genkey -d $domain -s $selector -D $keydir -u $user"
		quiet "$build/genkey.out" "$prefix/bin/dkimsa-genkey" \
			-d "$domain" -s "$selector" -D "$keydir" -u "$user"
	else
		echo "==> openssl genpkey (RSA 2048) -> $key"
		(umask 077 && openssl genpkey -algorithm RSA \
			-pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
	fi
	chown "$user:$user" "$key"
	chmod 0600 "$key"
	if [ -f "$keydir/$selector.txt" ]; then
		chown "$user:$user" "$keydir/$selector.txt"
	fi
	if [ ! -f "$etc/KeyTable" ]; then
		printf '%s._domainkey.%s %s:%s:%s\n' "$selector" "$domain" \
			"$domain" "$selector" "$key" >"$etc/KeyTable"
	fi
	if [ ! -f "$etc/SigningTable" ]; then
		printf '*@%s %s._domainkey.%s\n' "$domain" "$selector" \
			"$domain" >"$etc/SigningTable"
	fi
}

write_config()
{
	if [ -f "$conf" ]; then
		echo "==> $conf exists; left as it is"
	else
		echo "==> writing $conf"
		cat >"$conf" <<EOF
# dkimsa.conf written by scripts/setup.sh: a demo setup that signs mail
# from @$domain with the key in $keydir and verifies all other mail.
# Every key: man dkimsa.conf; a commented example: $conf.example
Mode            sv
Socket          inet:$port@127.0.0.1
# Prometheus counters at http://127.0.0.1:9465/metrics (man 8 dkimsa, METRICS)
#MetricsSocket  inet:9465@127.0.0.1
UserID          $user
PidFile         $rundir/dkimsa.pid
KeyTable        file:$etc/KeyTable
SigningTable    refile:$etc/SigningTable
InternalHosts   csl:127.0.0.1,::1
EOF
		chmod 0644 "$conf"
	fi
	echo "==> dkimsa -n -x $conf"
	"$prefix/sbin/dkimsa" -n -x "$conf"
}

# 0 when 127.0.0.1:$port accepts a TCP connection.
port_open()
{
	bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}

wait_port()
{
	i=0
	while [ $i -lt 50 ]; do
		port_open && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

have_systemd()
{
	[ -d /run/systemd/system ] && command -v systemctl >/dev/null
}

start_systemd()
{
	tmpunit=$(mktemp)
	sed "s#/usr/local/sbin/dkimsa#$prefix/sbin/dkimsa#g" \
		"$top/contrib/systemd/dkimsa.service" >"$tmpunit"
	if [ ! -f "$unit" ]; then
		echo "==> installing $unit"
		install -m 0644 "$tmpunit" "$unit"
	elif ! cmp -s "$tmpunit" "$unit"; then
		echo "==> $unit differs from contrib/systemd/dkimsa.service; left as it is"
	fi
	rm -f "$tmpunit"
	systemctl daemon-reload
	if systemctl is-active --quiet dkimsa; then
		echo "==> systemctl restart dkimsa"
		systemctl restart dkimsa
	else
		echo "==> systemctl enable --now dkimsa"
		systemctl enable --now dkimsa
	fi
}

# The PID of a dkimsa started by an earlier run (from its PidFile).
running_pid()
{
	[ -f "$rundir/dkimsa.pid" ] || return 1
	pid=$(cat "$rundir/dkimsa.pid")
	[ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q dkimsa &&
		echo "$pid"
}

start_direct()
{
	install -d -m 0750 -o "$user" -g "$user" "$rundir"
	if pid=$(running_pid); then
		echo "==> stopping the running dkimsa (pid $pid) to restart it"
		kill -TERM "$pid"
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.2
			i=$((i + 1))
		done
	fi
	if port_open; then
		echo "setup.sh: 127.0.0.1:$port is in use by another program" >&2
		exit 1
	fi
	if [ "$(log_target /run/systemd/system /dev/log)" = file ]; then
		# no syslog daemon: the log would vanish, so keep it in a file
		echo "==> starting $prefix/sbin/dkimsa -f -x $conf" \
			"(in the background, log in $logfile)"
		setsid "$prefix/sbin/dkimsa" -f -x "$conf" \
			</dev/null >>"$logfile" 2>&1 &
	else
		echo "==> starting $prefix/sbin/dkimsa -x $conf (in the background)"
		"$prefix/sbin/dkimsa" -x "$conf"
	fi
}

start_milter()
{
	if have_systemd; then
		start_systemd
	else
		start_direct
	fi
	if ! wait_port; then
		echo "setup.sh: dkimsa does not accept connections on" \
			"127.0.0.1:$port (see the log: $(log_where \
			"$(log_target /run/systemd/system /dev/log)" \
			"$logfile"), or run $prefix/sbin/dkimsa -f -x $conf)" >&2
		exit 1
	fi
	echo "==> dkimsa accepts connections on 127.0.0.1:$port"
}

report()
{
	cat <<EOF

dkimsa is running on inet:$port@127.0.0.1 (mode sv).
  configuration   $conf   (example with every key: $conf.example)
  demo key        $keydir/$selector.private (owner $user, mode 0600)
  tables          $etc/KeyTable, $etc/SigningTable
  log             $(log_where "$(log_target /run/systemd/system /dev/log)" "$logfile")
  manual pages    man dkimsa, man dkimsa.conf, man dkimsa-migration

It signs mail from @$domain that comes from 127.0.0.1/::1 or
authenticated clients, and verifies all other mail.  To sign for your
own domain, make a key with
  dkimsa-genkey -d your.domain -s sel -D $keydir -u $user
add the lines it prints to the two tables and reload the milter.
DNS record to publish for the demo key:
$(txt_record)

Postfix: add the lines of contrib/postfix/main.cf to main.cf (see
contrib/postfix/README), then "postfix reload".
EOF
	if have_systemd; then
		echo "Reload: systemctl reload dkimsa   Stop: systemctl stop dkimsa"
	else
		echo "Reload: kill -HUP \$(cat $rundir/dkimsa.pid)   Stop: kill \$(cat $rundir/dkimsa.pid)"
	fi
}

main()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: run as root (sudo $0)" >&2
		exit 1
	fi
	install_deps
	build
	install_build
	create_user
	make_key
	write_config
	start_milter
	report
}

main "$@"
