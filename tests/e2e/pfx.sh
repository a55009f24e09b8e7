# SPDX-License-Identifier: BSD-2-Clause
# tests/e2e/pfx.sh - a throwaway Postfix instance on loopback for milter
# tests, sourced by test scripts (needs root: Postfix has no unprivileged
# mode).  Every message, from SMTP and from sendmail(1), goes through the
# milter at inet:127.0.0.1:MILTER_PORT and is delivered into one maildir.
#
#   pfx_start DIR SMTP_PORT MILTER_PORT [SUBMISSION_PORT]
#                                         write main.cf/master.cf, start;
#                                         the optional second listener
#                                         sets {daemon_name} ORIGINATING
#   pfx_stop                              stop it (waits for master)
#   pfx_find SUBJECT [SECONDS]            print the delivered file with
#                                         that Subject (default 20 s)
#   pfx_sendmail FROM RCPT < MESSAGE      the non-SMTP (pickup) path
#   pfx_wait_port PORT                    wait up to 10 s for a listener
# Variables: PFX_DIR, PFX_CONF, PFX_SMTP_PORT.
# SASL: user@example.test / secret (PLAIN, LOGIN).

pfx_start() {
	PFX_DIR=$1 PFX_SMTP_PORT=$2
	PFX_CONF=$PFX_DIR/conf
	mkdir -p "$PFX_CONF/sasl" "$PFX_DIR/queue" "$PFX_DIR/data" \
		"$PFX_DIR/mail" "$PFX_DIR/sasl" || return 1
	chmod 755 "$PFX_DIR"
	chown postfix "$PFX_DIR/data"
	chown nobody "$PFX_DIR/mail"
	cat > "$PFX_CONF/main.cf" <<EOC
compatibility_level = 3.6
queue_directory = $PFX_DIR/queue
data_directory = $PFX_DIR/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PFX_DIR/maillog
maillog_file_prefixes = $PFX_DIR
myhostname = mx.example.test
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
biff = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_authorized_xclient_hosts = 127.0.0.0/8
virtual_mailbox_domains = static:all
virtual_mailbox_base = $PFX_DIR/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
smtpd_milters = inet:127.0.0.1:$3
non_smtpd_milters = inet:127.0.0.1:$3
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 30s
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_sasl_security_options = noanonymous
EOC
	{
		echo "127.0.0.1:$PFX_SMTP_PORT inet n - n - - smtpd"
		[ -n "${4:-}" ] &&
			echo "127.0.0.1:$4 inet n - n - - smtpd -o milter_macro_daemon_name=ORIGINATING"
		for s in "pickup unix n - n 60 1 pickup" \
			"cleanup unix n - n - 0 cleanup" \
			"qmgr unix n - n 300 1 qmgr" \
			"rewrite unix - - n - - trivial-rewrite" \
			"bounce unix - - n - 0 bounce" \
			"defer unix - - n - 0 bounce" \
			"trace unix - - n - 0 bounce" \
			"verify unix - - n - 1 verify" \
			"flush unix n - n 1000? 0 flush" \
			"proxymap unix - - n - - proxymap" \
			"showq unix n - n - - showq" \
			"error unix - - n - - error" \
			"retry unix - - n - - error" \
			"discard unix - - n - - discard" \
			"virtual unix - n n - - virtual" \
			"anvil unix - - n - 1 anvil" \
			"scache unix - - n - 1 scache" \
			"postlog unix-dgram n - n - 1 postlogd"; do
			echo "$s"
		done
	} > "$PFX_CONF/master.cf"
	printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: %s\n' \
		"$PFX_DIR/sasl/sasldb2" > "$PFX_CONF/sasl/smtpd.conf"
	echo secret | saslpasswd2 -f "$PFX_DIR/sasl/sasldb2" -p -c \
		-u example.test user || return 1
	chown postfix "$PFX_DIR/sasl/sasldb2"
	postfix -c "$PFX_CONF" start 2>"$PFX_DIR/start.err" || return 1
	i=0
	until pid=$(tr -d ' ' < "$PFX_DIR/queue/pid/master.pid" 2>/dev/null) &&
		[ -n "$pid" ] &&
		grep -q "master\[$pid\]: daemon started" "$PFX_DIR/maillog" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 150 ] || return 1
		sleep 0.1
	done
}

pfx_stop() {
	[ -n "${PFX_DIR:-}" ] && [ -s "$PFX_DIR/queue/pid/master.pid" ] || return 0
	pid=$(tr -d ' ' < "$PFX_DIR/queue/pid/master.pid")
	postfix -c "$PFX_CONF" stop 2>/dev/null || kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

pfx_find() {
	t=$(( ${2:-20} * 10 )) i=0
	while [ $i -lt $t ]; do
		f=$(grep -l -F -x "Subject: $1" "$PFX_DIR"/mail/inbox/new/* 2>/dev/null | head -n 1)
		if [ -n "$f" ]; then
			echo "$f"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

pfx_sendmail() {
	sendmail -C "$PFX_CONF" -f "$1" "$2"
}

pfx_wait_port() {
	/usr/bin/python3 - "$1" <<'PYEOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PYEOF
}
