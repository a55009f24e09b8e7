#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# check-as-user.sh - "dkimsa -n" opens every file as UserID (as the
# milter does after dropping root, at start and on SIGHUP), and
# dkimsa-genkey -u gives the key to that user.  Needs root (to become
# UserID); the unprivileged user is nobody.
: "${top_srcdir:?}" "${top_builddir:?}"
dkimsa="$top_builddir/milter/dkimsa"
genkey="$top_builddir/tools/genkey/dkimsa-genkey"
if [ "$(id -u)" -ne 0 ] || ! id nobody >/dev/null 2>&1; then
	echo "SKIP: dkimsa -n checks files as UserID: needs root and user nobody"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-asuser.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
chmod 0755 "$T"

check() # name, then "ok" or the failure detail
{
	if [ "$2" = ok ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi
}

conf() # DIR: a signing configuration for DIR/demo.private, UserID nobody
{
	cat >"$1/dkimsa.conf" <<EOC
Mode s
Socket unix:$1/sock
UserID nobody
Domain csl:example.test
KeyFile $1/demo.private
Selector demo
EOC
	chmod 0644 "$1/dkimsa.conf"
}

# label, genkey options, then what "dkimsa -n" must say ("OK" or a
# piece of the error) and what genkey must print
while IFS='|' read -r label gkopt want gkwant; do
	d="$T/$(echo "$label" | tr -c 'a-z0-9\n' '_')"
	mkdir "$d"
	chmod 0755 "$d"
	# shellcheck disable=SC2086
	"$genkey" -d example.test -s demo -D "$d" $gkopt >"$d/gk" 2>&1
	conf "$d"
	case $label in
	*unreadable*configuration*) chmod 0600 "$d/dkimsa.conf" ;;
	esac
	out=$("$dkimsa" -n -x "$d/dkimsa.conf" 2>&1)
	rc=$?
	case $want in
	OK) [ $rc -eq 0 ] && ok=ok || ok="exit $rc: $out" ;;
	*) case $out in
		*"$want"*) [ $rc -ne 0 ] && ok=ok || ok="exit 0: $out" ;;
		*) ok="exit $rc: $out" ;;
		esac ;;
	esac
	check "dkimsa -n: $label" "$ok"
	if grep -q -- "$gkwant" "$d/gk"; then
		check "dkimsa-genkey $gkopt: $label" ok
	else
		check "dkimsa-genkey $gkopt: $label" "$(cat "$d/gk")"
	fi
done <<'EOR'
a root-only key is an error naming UserID||as UserID nobody: |Still needed: chown USER
a key made with -u nobody passes|-u nobody|OK|Did: chown nobody:
a key made with -u nobody:root keeps that group|-u nobody:root|OK|Did: chown nobody:root
an unreadable configuration file is an error (SIGHUP rereads it)|-u nobody|as UserID nobody: |Did: chown nobody:
EOR

owner=$(stat -c %U "$T/a_key_made_with__u_nobody_passes/demo.private" 2>&1)
check "dkimsa-genkey -u gives the private key to the user" \
	"$([ "$owner" = nobody ] && echo ok || echo "owner $owner")"
if "$genkey" -d example.test -s x -D "$T" -u no-such-user-dkimsa \
	>"$T/out" 2>&1 || [ -e "$T/x.private" ]; then
	check "dkimsa-genkey -u with an unknown user writes no key" \
		"$(cat "$T/out")"
else
	check "dkimsa-genkey -u with an unknown user writes no key" ok
fi
exit 0
