#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# setup-logs.sh - setup.sh tells where the milter's log goes, and where
# no syslog daemon runs it keeps the log in a file (log_target and
# log_where in scripts/common.sh): systemd's journal, syslog, or the file.
: "${top_srcdir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-logs.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
top=$top_srcdir
build=$T
. "$top_srcdir/scripts/common.sh"

mkdir -p "$T/systemd" "$T/bin-with" "$T/bin-without"
printf '#!/bin/sh\nexit 0\n' >"$T/bin-with/systemctl"
chmod +x "$T/bin-with/systemctl"
/usr/bin/python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' \
	"$T/devlog"
# only the test's own systemctl, never the machine's
minpath=$T/bin-without:/usr/bin:/bin
[ -x /usr/bin/systemctl ] || [ -x /bin/systemctl ] && minpath=$T/bin-without

# label | PATH | systemd dir | /dev/log | target | text of log_where
while IFS='|' read -r label path sd devlog want text; do
	got=$(PATH="$path" log_target "$sd" "$devlog")
	where=$(log_where "$got" /var/log/dkimsa.log)
	case $got:$where in
	"$want:"*"$text"*) echo "PASS: $label" ;;
	*) echo "FAIL: $label: $got: $where" ;;
	esac
done <<EOR
under systemd the log is in the journal|$T/bin-with:$PATH|$T/systemd|$T/devlog|journal|journalctl -u dkimsa
a syslog daemon gets the log without systemd|$minpath|$T/none|$T/devlog|syslog|/var/log/mail.log
with neither the log goes to a file, named|$minpath|$T/none|$T/none|file|/var/log/dkimsa.log
a systemd directory without systemctl is not systemd|$minpath|$T/systemd|$T/none|file|no syslog daemon
EOR
exit 0
