# SPDX-License-Identifier: BSD-2-Clause
# common.sh: shell functions shared by setup.sh and test.sh (sourced, not
# run).  Expects $top (absolute source directory) and $build (build
# directory, already created) to be set.

# quiet LOG CMD...: run CMD with its output in LOG; on failure show the
# last 40 lines of LOG and return CMD's status.
quiet()
{
	_log=$1
	shift
	if "$@" >"$_log" 2>&1; then
		return 0
	else
		_rc=$?
		echo "failed: $*" >&2
		tail -n 40 "$_log" >&2
		return $_rc
	fi
}

# ensure_configure: generate ./configure when it is missing.
ensure_configure()
{
	if [ ! -x "$top/configure" ]; then
		echo "==> ./autogen.sh"
		quiet "$build/autogen.out" sh "$top/autogen.sh"
	fi
}

# dkim_txt_record GENKEY KEYFILE SELECTOR DOMAIN: print the DNS TXT record
# (zone file syntax) of the private key in KEYFILE, as dkimsa-genkey
# --zone makes it from a one-line KeyTable; the same text for a key made
# by openssl.  Returns 0, or 1 when dkimsa-genkey fails.
dkim_txt_record()
{
	_kt=$(mktemp "${TMPDIR:-/tmp}/dkimsa-kt.XXXXXX") || return 1
	printf '%s._domainkey.%s %s:%s:%s\n' "$3" "$4" "$4" "$3" "$2" >"$_kt"
	if "$1" --zone "$_kt" >"$_kt.out"; then
		# the comment names the temporary KeyTable: name the key instead
		sed "s|; ----- .*\$|; ----- DKIM key $3 for $4|" "$_kt.out"
		_rc=0
	else
		_rc=1
	fi
	rm -f "$_kt" "$_kt.out"
	return $_rc
}

# log_target SYSTEMD_DIR DEVLOG: where a milter started by setup.sh logs:
# "journal" when systemd runs the machine (SYSTEMD_DIR, normally
# /run/systemd/system, exists and systemctl is installed), "syslog" when a
# syslog daemon's socket DEVLOG (/dev/log) exists, else "file": with no
# syslog daemon the lines would be lost, so setup.sh runs dkimsa -f with
# its standard error in a file.
log_target()
{
	if [ -d "$1" ] && command -v systemctl >/dev/null; then
		echo journal
	elif [ -S "$2" ]; then
		echo syslog
	else
		echo file
	fi
}

# log_where TARGET LOGFILE: where to read the log, for setup.sh's messages.
log_where()
{
	case $1 in
	journal) echo "journalctl -u dkimsa (systemd's journal)" ;;
	syslog) echo "syslog, facility mail (on Debian /var/log/mail.log)" ;;
	*) echo "$2 (no syslog daemon runs here: dkimsa -f writes it there)" ;;
	esac
}
