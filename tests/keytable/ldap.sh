#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# ldap.sh - ldap:// KeyTable and SigningTable (keytable/kt_ldap.c) against
# a throwaway slapd: a generated slapd.conf (mdb, suffix dc=example,dc=test,
# a three-attribute schema of the test's own) in the test's directory,
# listening on ldap://127.0.0.1:PORT/ and ldaps://127.0.0.1:PORT2/ only
# (ports picked at run time), killed at the end.  OpenDKIM's syntax, the KeyTable's domain, selector
# and key file in three attributes:
#   - dkimsa-table -q and -l read the tables;
#   - a key holding filter characters ("*", "(", ")", "\") matches only
#     itself (RFC 4515 escaping), never other entries;
#   - the milter signs from them, bound as a user who alone may read
#     them (LDAPBindUser, LDAPBindPassword), dkimpy verifies the signed
#     message with the key file's public key (and fails it with the body
#     changed), and a sender not listed is not signed;
#   - the server stopped: messages are tempfailed, none leaves unsigned;
#     started again: signing resumes without a milter restart;
#   - a server that accepts connections but does not answer: tempfail
#     within LDAPTimeout;
#   - with TableCacheTTL the answers are kept through an outage;
#   - a wrong LDAPBindPassword is an error naming the table, never the
#     password;
#   - LDAPUseTLS (StartTLS) and ldaps:// with a self-signed certificate:
#     an error unless the certificate is trusted (LDAPTLS_CACERT).
# slapd, ldap-utils and libldap come from scripts/install-deps.sh:
# without them this test fails (it never skips).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/keytable/lib.sh"
load="$top_builddir/tools/miltload/dkimsa-miltload"
milter="$top_builddir/milter/dkimsa"
slapd=/usr/sbin/slapd
if [ ! -x "$slapd" ] || ! command -v ldapadd > /dev/null; then
	echo "FAIL: slapd and ldapadd are installed: not found (scripts/install-deps.sh)"
	exit 0
fi
case $("$TABLE" -l ldap://127.0.0.1/x?a 2>&1) in
*"unknown table type"*)
	echo "FAIL: dkimsa has ldap: tables: built without libldap (apt-get install libldap-dev, then configure again)"
	exit 0
	;;
esac
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-ldap.XXXXXX") || exit 1
mpid=
slapd_stop() {
	[ -s "$T/slapd.pid" ] || return 0
	kill -KILL "$(cat "$T/slapd.pid")" 2>/dev/null
	i=0
	while kill -0 "$(cat "$T/slapd.pid")" 2>/dev/null && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$T/slapd.pid"
}
cleanup() {
	[ -n "$mpid" ] && kill -KILL "$mpid" 2>/dev/null
	slapd_stop
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

freeport() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(freeport)
tport=$(freeport)
url="ldap://127.0.0.1:$port"
surl="ldaps://127.0.0.1:$tport"
sfx="dc=example,dc=test"
mkdir "$T/db" || exit 1
# a self-signed certificate for 127.0.0.1 (ldaps:// and StartTLS); the
# clients trust it through LDAPTLS_CACERT only where a test says so
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls.key" \
	-out "$T/tls.pem" > "$T/openssl.log" 2>&1 ||
	{ echo "FAIL: openssl req: $(tail -3 "$T/openssl.log")"; exit 1; }
cat > "$T/dkim.schema" <<'EOF'
attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'dkimIdentity'
	EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.2 NAME 'dkimKeyName'
	EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.3 NAME 'dkimDomain'
	EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.4 NAME 'dkimSelector'
	EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.99999.1.5 NAME 'dkimKeyFile'
	EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'dkimEntry' SUP top STRUCTURAL
	MUST cn MAY ( dkimIdentity $ dkimKeyName $ dkimDomain $
	dkimSelector $ dkimKeyFile ) )
EOF
cat > "$T/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include $T/dkim.schema
pidfile $T/slapd.pid
TLSCertificateFile $T/tls.pem
TLSCertificateKeyFile $T/tls.key
argsfile $T/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "$sfx"
rootdn "cn=admin,$sfx"
rootpw Admin99
directory $T/db
maxsize 10485760
access to attrs=userPassword by anonymous auth by * none
access to dn.subtree="ou=private,$sfx" by dn.exact="cn=reader,$sfx" read by * none
access to * by * read
EOF
slapd_start() {
	"$slapd" -f "$T/slapd.conf" -h "$url/ $surl/" -n dkimsa-ldap-test \
		> "$T/slapd.log" 2>&1 || return 1
	i=0
	until ldapsearch -x -H "$url/" -b "" -s base > /dev/null 2>&1; do
		[ "$i" -gt 100 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
slapd_start || { echo "FAIL: slapd start: $(tail -3 "$T/slapd.log")"; exit 1; }
spid=$(cat "$T/slapd.pid")
check "slapd listens on 127.0.0.1:$port and :$tport only" \
	test "$(ss -lntp | grep "pid=$spid," | awk '{print $4}' | sort | tr '\n' ' ')" = \
	"$(printf '127.0.0.1:%s\n' "$port" "$tport" | sort | tr '\n' ' ')"
check "slapd has no unix socket" sh -c "! ss -lxp | grep -q 'pid=$spid,'"

cp "$top_srcdir/tests/data/keys/rsa2048.pem" "$T/sel.private" &&
	chmod 600 "$T/sel.private" || exit 1
entries() { # OU [all]: the good entries, and with "all" two more
	cat <<EOF
dn: ou=$1,$sfx
objectClass: organizationalUnit
ou: $1

dn: cn=k1,ou=$1,$sfx
objectClass: dkimEntry
cn: k1
dkimIdentity: k1
dkimDomain: example.test
dkimSelector: sel
dkimKeyFile: $T/sel.private

dn: cn=s1,ou=$1,$sfx
objectClass: dkimEntry
cn: s1
dkimIdentity: example.test
dkimKeyName: k1

EOF
	[ "$2" = all ] || return 0
	cat <<EOF
dn: cn=s2,ou=$1,$sfx
objectClass: dkimEntry
cn: s2
dkimIdentity: victim.test
dkimKeyName: victimkey

dn: cn=s3,ou=$1,$sfx
objectClass: dkimEntry
cn: s3
dkimIdentity: we*rd(1)\\.test
dkimKeyName: weirdkey

EOF
}
{
	cat <<EOF
dn: $sfx
objectClass: dcObject
objectClass: organization
dc: example
o: example

dn: cn=reader,$sfx
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: Reader99

EOF
	entries public all
	entries private
} > "$T/entries.ldif"
ldapadd -x -H "$url/" -D "cn=admin,$sfx" -w Admin99 -f "$T/entries.ldif" \
	> "$T/ldapadd.log" 2>&1 ||
	{ echo "FAIL: ldapadd: $(tail -3 "$T/ldapadd.log")"; exit 1; }

kt="$url/ou=public,$sfx?dkimDomain,dkimSelector,dkimKeyFile?one?(&(dkimKeyFile=*)(dkimIdentity=\$d))"
st="$url/ou=public,$sfx?dkimKeyName?one?(&(objectClass=dkimEntry)(dkimIdentity=\$d))"
expect_rc "table -q reads a KeyTable entry's three attributes" 0 \
	"$TABLE" -q k1 "$kt"
grep_out "table -q joins the attributes with colons" \
	"^example.test:sel:$T/sel.private\$"
expect_rc "table -q reads a SigningTable entry" 0 \
	"$TABLE" -q EXAMPLE.test "$st"
grep_out "table -q prints the key name" "^k1\$"
expect_rc "table -q: a key not in the directory is not found" 1 \
	"$TABLE" -q nobody.test "$st"
expect_rc "table -l lists the entries" 0 "$TABLE" -l "$st"
grep_out "table -l prints key and value" "^victim.test victimkey\$"

# RFC 4515: the key is a value, never a part of the filter
for hostile in '*' '*.test' 'v*' '*)(dkimIdentity=*' 'x)(|(dkimIdentity=*)' \
	'example.test)(objectClass=*'; do
	expect_rc "hostile key \"$hostile\" matches no entry" 1 \
		"$TABLE" -q "$hostile" "$st"
done
expect_rc "a key holding an escaped \"*\" matches no entry" 1 \
	"$TABLE" -q '\2a' "$st"
expect_rc "a key holding * ( ) and a backslash matches its own entry" 0 \
	"$TABLE" -q 'we*rd(1)\.test' "$st"
grep_out "... and only that one" "^weirdkey\$"
check "... one value" test "$(wc -l < "$T/out")" -eq 1
# "$d" in the base: the key as one escaped DN value
bt="$url/cn=\$d,ou=public,$sfx?dkimKeyName?base"
expect_rc "\$d in the base names the entry" 0 "$TABLE" -q s1 "$bt"
grep_out "... and reads its attribute" "^k1\$"
expect_rc "anonymous: the private entries are not visible" 1 \
	"$TABLE" -q example.test "$(echo "$st" | sed s/ou=public/ou=private/)"

pkt=$(echo "$kt" | sed s/ou=public/ou=private/)
pst=$(echo "$st" | sed s/ou=public/ou=private/)
conf() { # KEYTABLE SIGNINGTABLE
	cat <<EOF
Mode s
Socket unix:$T/sock
AllowRoot yes
Syslog no
KeyTable $1
SigningTable $2
TableCacheTTL 0
LDAPBindUser cn=reader,$sfx
LDAPBindPassword Reader99
LDAPTimeout 3
EOF
}
conf "$pkt" "$pst" > "$T/dkimsa.conf"
conf "$kt" "$st" > "$T/pub.conf"
kt_milter_start
check "milter signs from the LDAP tables, bound with LDAPBindUser" \
	kt_signed example.test
check "a message signed through the milter from ldap tables verifies with dkimpy" \
	dkimpy_verifies "$T/out" user@example.test "$T/sel.private"
check "dkimpy: the same message with its body changed fails" \
	dkimpy_rejects "$T/out" user@example.test "$T/sel.private"
kt_send other.test
check "a sender not in the SigningTable is not signed" \
	sh -c "grep -q '^RESULT.* accept=1' '$T/out' && ! grep -q 'insheader.*DKIM-Signature' '$T/out'"
"$load" -s "unix:$T/sock" -c 4 -n 4 -t 20 -a 127.0.0.1 \
	-f user@example.test > "$T/out" 2>&1
check "four connections at once sign" grep -q "^RESULT.* dkim=16 " "$T/out"
slapd_stop
kt_send example.test
check "server stopped: the message is tempfailed" \
	grep -q '^RESULT.* tempfail=1' "$T/out"
check "server stopped: the message is not signed" \
	sh -c "! grep -q 'insheader.*DKIM-Signature' '$T/out'"
slapd_start || echo "FAIL: slapd restart: $(tail -3 "$T/slapd.log")"
check "server back: signing resumes without a restart" kt_signed example.test
# a server that accepts connections but never answers: LDAPTimeout
kill -STOP "$(cat "$T/slapd.pid")"
t0=$(date +%s)
kt_send example.test
t1=$(date +%s)
kill -CONT "$(cat "$T/slapd.pid")"
check "server hung: the message is tempfailed" \
	grep -q '^RESULT.* tempfail=1' "$T/out"
check "server hung: the answer comes within LDAPTimeout (3 s) per try" \
	test "$((t1 - t0))" -le 15
check "server answers again: signing resumes" kt_signed example.test
kt_milter_stop

# TableCacheTTL: answers kept, so a short outage does not stop signing
sed -i 's/^TableCacheTTL 0$/TableCacheTTL 60/' "$T/dkimsa.conf"
kt_milter_start
check "TableCacheTTL: signs from the directory" kt_signed example.test
slapd_stop
check "TableCacheTTL: the server stopped, answers kept sign" \
	kt_signed example.test
slapd_start || echo "FAIL: slapd restart: $(tail -3 "$T/slapd.log")"
kt_milter_stop
sed -i 's/^TableCacheTTL 60$/TableCacheTTL 0/' "$T/dkimsa.conf"

expect_rc "dkimsa -n walks the LDAP tables, bound" 0 \
	"$milter" -n -x "$T/dkimsa.conf"
expect_rc "dkimsa -n: a SigningTable entry naming no key is an error" 1 \
	"$milter" -n -x "$T/pub.conf"
grep_out "dkimsa -n names the entry by its key" \
	'key "victim.test": SigningTable names key "victimkey"'
sed -i 's/^LDAPBindPassword .*/LDAPBindPassword Wrong77/' "$T/dkimsa.conf"
expect_rc "a wrong LDAPBindPassword is an error" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "the error names the table and the bind DN" \
	"ldap://127.0.0.1:$port/ou=private,$sfx.*bind as \"cn=reader,$sfx\": Invalid credentials"
check "the error does not print the password" \
	sh -c "! grep -q Wrong77 '$T/out' '$T/err'"
sed -i 's/^LDAPBindPassword .*/LDAPBindPassword Reader99/' "$T/dkimsa.conf"
echo "LDAPUseTLS yes" >> "$T/dkimsa.conf"
expect_rc "LDAPUseTLS: a certificate not trusted is an error" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "the error names StartTLS" "ou=private,$sfx.*StartTLS (LDAPUseTLS)"
expect_rc "LDAPUseTLS: StartTLS with a trusted certificate, then the bind" 0 \
	env LDAPTLS_CACERT="$T/tls.pem" "$milter" -n -x "$T/dkimsa.conf"
sed -i "/^LDAPUseTLS /d; s|$url/|$surl/|" "$T/dkimsa.conf"
expect_rc "ldaps://: a certificate not trusted is an error" 1 \
	"$milter" -n -x "$T/dkimsa.conf"
grep_out "the error names the ldaps:// table" "$surl/ou=private,$sfx"
expect_rc "ldaps://: with a trusted certificate the tables are read" 0 \
	env LDAPTLS_CACERT="$T/tls.pem" "$milter" -n -x "$T/dkimsa.conf"
expect_rc "ldaps://: table -q" 0 env LDAPTLS_CACERT="$T/tls.pem" \
	"$TABLE" -q k1 "$(echo "$kt" | sed "s|$url/|$surl/|")"
grep_out "ldaps://: table -q prints the value" "^example.test:sel:"
check "the password is never logged" sh -c "! grep -q Reader99 '$T/log'"
exit 0
