#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# inline-keys.sh - RequireSafeKeys for key text written inline, through
# the milter's own configuration check (dkimsa -n): a KeyFile value in a
# world-readable dkimsa.conf, a key in a world-readable KeyTable, and a
# csl: KeyTable in a world-readable dkimsa.conf are refused with the
# file, the line, the mode, the owner and the fix; the same files made
# private pass, and RequireSafeKeys no lets them through.  As root, the
# fix names UserID when the milter runs as another user.
: "${top_srcdir:?}" "${top_builddir:?}"
dkimsa="$top_builddir/milter/dkimsa"
T=$(mktemp -d "${TMPDIR:-/tmp}/kt-inline.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
chmod 0755 "$T"
# An Ed25519 seed: the shortest key that can be written inline.
seed=nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=

# expect NAME WANT CONF: "dkimsa -n -x CONF" exits 0 (WANT "OK") or
# fails with WANT in its output (and never prints the key).
expect() {
	out=$("$dkimsa" -n -x "$3" 2>&1)
	rc=$?
	case $2 in
	OK) [ $rc -eq 0 ] ;;
	*) [ $rc -ne 0 ] && case $out in *"$2"*) true ;; *) false ;; esac ;;
	esac && case $out in *"$seed"*) false ;; *) true ;; esac
	if [ $? -eq 0 ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: exit $rc: $(echo "$out" | head -c 400)"
	fi
}

# conf FILE [LINES...]: a signing configuration, mode 0604.
conf() {
	f=$1
	shift
	{
		echo "Mode s"
		echo "Socket unix:$T/sock"
		echo "AllowRoot yes"
		echo "SignatureAlgorithm ed25519-sha256"
		for l in "$@"; do echo "$l"; done
	} >"$f"
	chmod 0604 "$f"
}

c="$T/keyfile.conf"
conf "$c" "Domain csl:example.test" "Selector ed" "KeyFile $seed"
expect "inline KeyFile in a world-readable dkimsa.conf is refused" \
	"inline key at $c, line 7: $c (mode 0604, owner root) is readable by others: chmod 0600 $c, or put the key in a file of its own (mode 0600) and name that file instead, or set RequireSafeKeys no" \
	"$c"
chmod 0600 "$c"
expect "inline KeyFile in a private dkimsa.conf passes" OK "$c"
conf "$c" "Domain csl:example.test" "Selector ed" "KeyFile $seed" \
	"RequireSafeKeys no"
expect "inline KeyFile passes with RequireSafeKeys no" OK "$c"

kt="$T/KeyTable"
printf '# keys\nk example.test:ed:%s\n' "$seed" >"$kt"
chmod 0640 "$kt"
echo "*@example.test k" >"$T/SigningTable"
c="$T/keytable.conf"
conf "$c" "KeyTable refile:$kt" "SigningTable refile:$T/SigningTable"
expect "inline key in a group-readable KeyTable is refused with its line" \
	"inline key at $kt, line 2: $kt (mode 0640, owner root) is readable by group" \
	"$c"
chmod 0600 "$kt"
expect "inline key in a private KeyTable passes" OK "$c"

c="$T/csl.conf"
conf "$c" "KeyTable csl:k=example.test:ed:$seed" "SigningTable csl:*=k"
expect "inline key in a csl: KeyTable in a world-readable dkimsa.conf is refused" \
	"inline key at $c, line 5: $c (mode 0604, owner root) is readable by others" \
	"$c"

if [ "$(id -u)" -ne 0 ] || ! id nobody >/dev/null 2>&1; then
	echo "SKIP: the fix names UserID: needs root and user nobody"
	exit 0
fi
c="$T/user.conf"
conf "$c" "UserID nobody" "Domain csl:example.test" "Selector ed" \
	"KeyFile $seed"
expect "the fix for a root-owned dkimsa.conf names UserID" \
	"is readable by others: chown nobody and chmod 0600 $c," "$c"
chown nobody "$c" && chmod 0600 "$c"
expect "inline KeyFile in a dkimsa.conf private to UserID passes" OK "$c"
exit 0
