#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tables.sh - dkimsa-table: a db: table built from a text table answers
# every lookup as the file:, csl: and refile: forms of the same data do;
# the build is atomic (temporary file + rename) and keeps the mode; bad
# lines and unknown types give the documented errors and exit codes.
. "$top_srcdir/tests/keytable/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/kt-tables.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

cat > "$T/KeyTable" <<'TAB'
# OpenDKIM KeyTable, verbatim form
sel._domainkey.example.com example.com:sel:/etc/opendkim/keys/example.com/sel.private
ed._domainkey.example.com  example.com:ed:/etc/opendkim/keys/example.com/ed.private

Mail._DomainKey.Example2.HU example2.hu:mail:/etc/opendkim/keys/example2.hu/mail.private
multi.example	first
multi.example	second
member.only
TAB
chmod 0640 "$T/KeyTable"
csl="csl:sel._domainkey.example.com=example.com:sel:/etc/opendkim/keys/example.com/sel.private,ed._domainkey.example.com=example.com:ed:/etc/opendkim/keys/example.com/ed.private,mail._domainkey.example2.hu=example2.hu:mail:/etc/opendkim/keys/example2.hu/mail.private,multi.example=first,multi.example=second,member.only"

expect_rc table-build-db 0 "$TABLE" -t db "$T/KeyTable"
check table-db-file-created test -s "$T/KeyTable.db"
check table-db-keeps-source-mode sh -c \
	"[ \"\$(stat -c %a '$T/KeyTable.db')\" = 640 ]"
check table-build-leaves-no-temp-file sh -c \
	"! ls '$T' | grep -q tmp"

# Every key through every backend: same output, same exit status.
for key in sel._domainkey.example.com ED._domainkey.example.com \
    mail._domainkey.example2.hu multi.example member.only absent.example ''; do
	ref=$("$TABLE" -a -q "$key" "file:$T/KeyTable"; echo "rc=$?")
	for spec in "db:$T/KeyTable.db" "$T/KeyTable.db" "$T/KeyTable" \
	    "refile:$T/KeyTable" "$csl"; do
		got=$("$TABLE" -a -q "$key" "$spec"; echo "rc=$?")
		type=${spec%%:*}
		case $spec in /*.db) type=plain-db ;; /*) type=plain-file ;; esac
		if [ "$got" = "$ref" ]; then
			echo "PASS: same-answer-$type-${key:-empty-key}"
		else
			echo "FAIL: same-answer-$type-${key:-empty-key}: got [$got] want [$ref]"
		fi
	done
done
expect_rc table-query-found-exit-0 0 "$TABLE" -q multi.example "db:$T/KeyTable.db"
check table-query-first-value sh -c "[ \"\$(cat '$T/out')\" = first ]"
expect_rc table-query-notfound-exit-1 1 "$TABLE" -q nope "db:$T/KeyTable.db"
expect_rc table-query-error-exit-2 2 "$TABLE" -q x "db:$T/missing.db"
grep_out table-query-error-names-path "$T/missing.db"
expect_rc table-query-unknown-type 2 "$TABLE" -q x "mysql:foo"
grep_out table-unknown-type-message 'unknown table type "mysql"'
expect_rc table-case-sensitive-build 0 "$TABLE" -c -t db "$T/KeyTable"
expect_rc table-case-sensitive-keeps-case 0 \
	"$TABLE" -c -q Mail._DomainKey.Example2.HU "db:$T/KeyTable.db"
expect_rc table-case-sensitive-no-fold 1 \
	"$TABLE" -c -q mail._domainkey.example2.hu "db:$T/KeyTable.db"

# Rebuilding replaces the file by rename: a new inode, old one intact.
"$TABLE" -t db "$T/KeyTable"
ino1=$(stat -c %i "$T/KeyTable.db")
echo "new.example value" >> "$T/KeyTable"
"$TABLE" -t db "$T/KeyTable"
ino2=$(stat -c %i "$T/KeyTable.db")
check table-rebuild-renames-new-inode test "$ino1" != "$ino2"
expect_rc table-rebuild-has-new-key 0 "$TABLE" -q new.example "$T/KeyTable.db"

# A bad line fails the build and leaves the old database in place.
cp "$T/KeyTable" "$T/Bad"
"$TABLE" -t db "$T/Bad"
printf 'good line\nbad\001line x\n' >> "$T/Bad"
expect_rc table-bad-line-fails-build 2 "$TABLE" -t db "$T/Bad"
grep_out table-bad-line-message "$T/Bad, line 11: control character"
expect_rc table-bad-line-old-db-kept 0 "$TABLE" -q multi.example "$T/Bad.db"
expect_rc table-build-refuses-refile 2 "$TABLE" -t db "refile:$T/KeyTable"
expect_rc table-build-refuses-other-type 2 "$TABLE" -t hash "$T/KeyTable"
expect_rc table-usage-exit-2 2 "$TABLE"
expect_rc table-not-a-db 2 "$TABLE" -q x "db:$T/KeyTable"
grep_out table-not-a-db-message "not a Berkeley DB file"

# Listing walks every entry.
expect_rc table-list 0 "$TABLE" -l "refile:$T/KeyTable"
check table-list-count sh -c "[ \$(wc -l < '$T/out') -eq 7 ]"
