#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# authservid.sh - our authserv-id, seen from the MTA: without AuthservID
# it is the MTA's host name (the macro j, Postfix's myhostname), else this
# host's name when the MTA sends no j (or one that is not a host name);
# AuthservID overrides both (HOSTNAME: this host's name, as in OpenDKIM).  The same value names our
# Authentication-Results field and picks the forged ones that are removed.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/milter/lib.sh"
milter_init asid
host=$(hostname)

# every milter verifies, adds an A-R field and checks DKIM only
milter_base()
{
	cat <<EOC
Mode v
SPF no
SenderID no
ADSP no
DMARC no
AlwaysAddARHeader yes
EOC
}

# milter NAME LINES...: milter_start, then its socket waited for
milter()
{
	milter_start "$@"
	milter_wait "$1"
}

# Four A-R fields, each claiming one authserv-id (indexes 1 to 4).
cat >"$T/msg" <<EOM
From: a@sender.example
To: rcpt@example.org
Subject: authserv-id
Authentication-Results: mx.example.test; dkim=pass header.d=paypal.example
Authentication-Results: other.example; dkim=pass
Authentication-Results: $host; dkim=pass
Authentication-Results: ar.example.test; spf=pass

body
EOM

milter default
milter fixed "AuthservID ar.example.test"
milter hostname "AuthservID HOSTNAME"

# NAME MILTER J WANT-ID "WANT-DELETED INDEXES": one row
rows="the MTA's j names our A-R and the forgeries removed|default|mx.example.test|mx.example.test|1
without j our host name is the authserv-id|default|-|$host|3
a j that is not a host name is not used|default|bad;name|$host|3
AuthservID overrides j|fixed|mx.example.test|ar.example.test|4
AuthservID HOSTNAME is our host name, whatever j says|hostname|mx.example.test|$host|3"
while IFS='|' read -r label name j id del; do
	python3 "$client" "$T/$name.sock" "$T/msg" 192.0.2.10 "$j" \
		>"$T/out" 2>&1
	got_id=$(sed -n 's/^insheader 0 Authentication-Results: *\([^;]*\);.*/\1/p' \
		"$T/out")
	got_del=$(sed -n 's/^delheader Authentication-Results //p' "$T/out" |
		tr '\n' ' ')
	if [ "$got_id" = "$id" ] && [ "$got_del" = "$del " ]; then
		check "$label" ok
	else
		check "$label" "A-R of \"$got_id\" (want $id), deleted \"$got_del\" (want $del): $(cat "$T/out")"
	fi
done <<EOR
$rows
EOR
exit 0
