#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# lint.sh: formatting and static analysis as tested properties.
# One check per C file: it is formatted as the project's .clang-format
# says (clang-format --dry-run -Werror).  One check for cppcheck over
# libdkimsa keytable milter tools tests/fuzz (warning and portability, no
# findings allowed; inline suppressions honoured).
# Files come from `git ls-files` (tracked plus untracked, not ignored) when
# top_srcdir is the top of a git work tree, else from find.
# Environment: top_srcdir (absolute), as set by tests/run-tests.sh.

cd "$top_srcdir" || exit 1
dirs="libdkimsa keytable milter tools tests"

list_c_files()
{
	top=$(git rev-parse --show-toplevel 2>/dev/null)
	if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(pwd -P)" ]; then
		# shellcheck disable=SC2086
		git ls-files --cached --others --exclude-standard -- $dirs |
			grep -E '\.[ch]$'
	else
		# shellcheck disable=SC2086
		find $dirs -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null
	fi | sort -u | while read -r f; do
		[ -f "$f" ] && echo "$f"
	done
}

err=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-lint.XXXXXX") || exit 1
trap 'rm -rf "$err"' EXIT
trap 'exit 1' INT TERM

files=$(list_c_files)
if [ -z "$files" ]; then
	echo "FAIL: C sources found for clang-format: none under $dirs"
fi
for f in $files; do
	if clang-format --dry-run -Werror "$f" 2>"$err/cf"; then
		echo "PASS: clang-format leaves $f unchanged"
	else
		n=$(grep -c 'error:' "$err/cf")
		echo "FAIL: clang-format leaves $f unchanged: $n places differ," \
			"first: $(grep -m 1 'error:' "$err/cf")" \
			"(run clang-format -i $f)"
	fi
done

cdirs=
for d in libdkimsa keytable milter tools tests/fuzz; do
	if [ -n "$(find "$d" -name '*.c' 2>/dev/null | head -n 1)" ]; then
		cdirs="$cdirs $d"
	fi
done
# shellcheck disable=SC2086
if cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	--inline-suppr -I libdkimsa -I keytable \
	--suppress=missingIncludeSystem $cdirs >"$err/cc" 2>&1; then
	echo "PASS: cppcheck finds no warning in$cdirs"
else
	cat "$err/cc" >&2
	echo "FAIL: cppcheck finds no warning in$cdirs:" \
		"$(grep -E '(error|warning|portability):' "$err/cc" | head -n 5 |
			tr '\n' '|')"
fi
exit 0
