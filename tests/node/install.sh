#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# install.sh DIR - installs the Node modules of tests/node/package.json
# (mailauth, the independent ARC/DKIM/DMARC oracle) into DIR/node_modules
# with "npm ci": exactly the versions package-lock.json records, their
# integrity checked.  A second run with the same lock file does nothing.
# Prints DIR/node_modules/mailauth on success (the MAILAUTH_DIR the
# driver scripts take).  Needs node and npm (scripts/install-deps.sh).
set -e
src=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: install.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# one install at a time: several tests may ask at once
exec 9>"$dir/.install.lock"
flock 9
if ! cmp -s "$src/package-lock.json" "$dir/package-lock.json" ||
	[ ! -f "$dir/node_modules/mailauth/package.json" ]; then
	rm -f "$dir/package-lock.json"
	cp "$src/package.json" "$dir/"
	cp "$src/package-lock.json" "$dir/package-lock.json"
	(cd "$dir" && npm ci --no-audit --no-fund --prefer-offline \
		--loglevel=error) >"$dir/npm.log" 2>&1 || {
		cat "$dir/npm.log" >&2
		rm -f "$dir/package-lock.json"
		exit 1
	}
fi
echo "$dir/node_modules/mailauth"
