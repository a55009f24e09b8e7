#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostile.sh: hostile From, HELO, MAIL FROM, PRA and DKIM tag values are
# formatted into Authentication-Results by the library's real code
# (tests/authres/arfmt) and parsed back with python3-authres (Debian's
# package, so /usr/bin/python3) into exactly the results we meant.
# Environment: top_builddir, top_srcdir (absolute), as set by
# tests/run-tests.sh.
py=/usr/bin/python3
if ! "$py" -c 'import authres' 2>/dev/null; then
	echo "FAIL: hostile A-R values: python3-authres (scripts/install-deps.sh) is installed: import authres failed"
	exit 0
fi
exec "$py" "$top_srcdir/tests/authres/hostile.py" \
	"$top_builddir/tests/authres/arfmt"
