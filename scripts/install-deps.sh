#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# install-deps.sh: install every Debian 12 package needed to build and test
# dkimsa (build tools, libraries, and the tools the test suite drives:
# dkimpy, pyspf, python3-authres, python3-cryptography (the ARC suite driver
# checks seals independently of the library), nsd, Postfix, PostgreSQL, slapd, swaks,
# libmicrohttpd (MetricsSocket), prometheus (promtool checks /metrics), curl,
# cppcheck, clang-format, valgrind; clang and its sanitizer runtimes for make
# check-asan and check-tsan).
# Run as root.  Idempotent: packages already installed are left alone.
#
# The package list lives in PACKAGES below and nowhere else.
set -e

PACKAGES="
build-essential autoconf automake libtool pkg-config
libssl-dev openssl ca-certificates
libmilter-dev libunbound-dev libdb5.3-dev libpq-dev libldap-dev
libmicrohttpd-dev prometheus curl
python3 python3-dkim python3-spf python3-yaml python3-authres python3-cryptography
nsd ldnsutils dns-root-data
postfix swaks sasl2-bin libsasl2-modules
postgresql slapd ldap-utils iproute2
miltertest opendkim-tools opendkim
cppcheck clang-format valgrind
libxml2-utils zlib1g-dev opendmarc libidn2-dev
clang libclang-rt-14-dev
git
"

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (sudo $0)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Install Postfix's programs without configuring or starting a system MTA;
# the tests run their own throwaway instance on loopback.
echo "postfix postfix/main_mailer_type select No configuration" |
	debconf-set-selections
# Nor a system slapd with a database of its own: tests/keytable/ldap.sh
# runs a throwaway one.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections

# Only touch apt when something is missing, so a second run is quick.
missing=
for p in $PACKAGES; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

# Node.js and npm for the mailauth oracle (tests/node/install.sh runs
# npm ci): the machine's own Node when there is one, else Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -z "$missing" ]; then
	echo "install-deps.sh: all packages already installed"
	exit 0
fi

echo "install-deps.sh: installing:$missing"
apt-get update -qq
# No service starts on install (postgresql, slapd, opendkim): a policy-rc.d that
# refuses, ours only when none was there, removed afterwards whatever
# happens.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	trap 'rm -f "$policy"' EXIT
	trap 'exit 1' INT TERM HUP
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps.sh: done"
