#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run-bench.sh - "make bench": libdkimsa signing and verifying rates
# (tools/bench/dkimsa-bench, single thread, relaxed/relaxed, 2 KiB and
# 100 KiB messages, rsa-sha256 2048-bit and ed25519-sha256) beside
# `openssl speed -seconds 2 rsa2048 ed25519` measured in the same run, and
# the ratio library RSA-2048 2 KiB sign rate / openssl rsa2048 sign rate.
# Environment: top_builddir, top_srcdir (absolute); BENCH_SECONDS per
# library case (default 1.5); OPENSSL (default openssl); BENCH_TABLES,
# row counts for tests/bench/table-scale-bench.sh (off by default);
# BENCH_NET_ROWS, rows for pgsql- and ldap-scale-bench.sh (100000).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BENCH_SECONDS:=1.5}"
: "${OPENSSL:=openssl}"
keys="$top_srcdir/tests/data/keys"
bench="$top_builddir/tools/bench/dkimsa-bench"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dkimsa-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$bench" ]; then
	echo "run-bench.sh: $bench not built (run make first)" >&2
	exit 1
fi
echo "libdkimsa, single thread, c=relaxed/relaxed, ${BENCH_SECONDS}s per case"
"$bench" --rsa-key "$keys/rsa2048.pem" --ed25519-key "$keys/ed25519.pem" \
	--seconds "$BENCH_SECONDS" >"$tmp/lib" || exit 1
"$OPENSSL" speed -seconds 2 rsa2048 ed25519 >"$tmp/ossl" 2>/dev/null || {
	echo "run-bench.sh: $OPENSSL speed failed" >&2
	exit 1
}
awk -v lib="$tmp/lib" '
FNR == 1 { file = (FILENAME == lib) ? 1 : 2 }
file == 1 && $1 == "RESULT" {
	alg = ($2 == "rsa-sha256") ? "rsa-sha256 (2048)" : $2
	printf "  %-24s %-7s %10s signs/s %10s verifies/s\n", alg, $3, $5, $7
	if ($2 == "rsa-sha256" && $3 == "2KiB") libsign = $5
}
file == 2 && /^rsa 2048 bits/ { rs = $(NF-1); rv = $NF }
file == 2 && /EdDSA \(Ed25519\)/ { es = $(NF-1); ev = $NF }
END {
	print "openssl speed -seconds 2 (same run; raw signature operations)"
	printf "  %-32s %10s signs/s %10s verifies/s\n", "rsa2048", rs, rv
	printf "  %-32s %10s signs/s %10s verifies/s\n", "ed25519", es, ev
	if (libsign == "" || rs == "" || rs + 0 == 0) {
		print "ratio: not available (missing figures)"
		exit 1
	}
	printf "library RSA-2048 2KiB sign rate / openssl rsa2048 sign rate: %.1f%%\n", 100 * libsign / rs
}' "$tmp/lib" "$tmp/ossl"

# DNS layer and SPF, warm cache (figures only)
echo
sh "$top_srcdir/tests/dns/bench.sh" || exit 1
echo
echo "SPF check_host, warm cache, v=spf1 ip4:... include:... -all"
"$top_builddir/tools/spfquery/dkimsa-spf-bench" 3 | sed 's/^/  /' || exit 1

# ARC: validating a 3-hop chain (RSA-2048, 1 KiB body, keys from memory
# as from a warm DNS cache), CPU per chain beyond its RSA verifications:
# the library makes 6 (3 seals, 3 message signatures: oldest-pass checks
# every AMS); the budget counts 4 (3 seals and the latest AMS) and allows
# 150 us (tools/arcbench/dkimsa-arc-bench).  Then without oldest-pass, as
# the milter validates unless ARCTrustedSealers is set: 4 verifies.
echo
echo "ARC chain validation, 3 hops, RSA-2048, single thread"
for op in yes no; do
	"$top_builddir/tools/arcbench/dkimsa-arc-bench" \
		--rsa-key "$keys/rsa2048.pem" --hops 3 --oldest-pass $op \
		--seconds "$BENCH_SECONDS" > "$tmp/arc" || exit 1
	awk -v op=$op '$1 == "RESULT" {
	printf "  oldest-pass %-3s %.1f us/chain, %.1f us/RSA verify; beyond the %d verifies made: %.1f us; beyond the 4 of the budget: %.1f us (budget 150)\n", op, $6, $8, $10, $12, $14
}' "$tmp/arc"
done

# One message DKIM-signed and ARC-sealed, or verified and sealed
# (relaxed, SHA-256): CPU per message with each object hashing the body
# and with one shared dkimsa_body (issue 12), 1 KiB and 100 KiB, and one
# body hash alone (tools/arcbench/dkimsa-seal-bench).
echo
echo "Sign+seal and verify+seal, shared body hash, single thread"
for k in rsa2048 ed25519; do
	"$top_builddir/tools/arcbench/dkimsa-seal-bench" \
		--key "$keys/$k.pem" --seconds "$BENCH_SECONDS" > "$tmp/seal" ||
		exit 1
	awk -v k=$k '$1 == "RESULT" {
	printf "  %-7s %-11s %3d KiB: %.1f us unshared, %.1f us shared, %.1f us saved (one body hash %.1f us), fields identical: %s\n", k, $3, $5, $7, $9, $11, $13, $15
}' "$tmp/seal"
done

# KeyTable and SigningTable at scale (db:, one key file): first signed
# message, RSS and CPU per message for 1 and 1,000,000 domains.
# BENCH_TABLES="1 1000000" (row counts) turns it on; it builds a 150 MB
# table first, so it is off by default.
if [ -n "${BENCH_TABLES:-}" ]; then
	echo
	echo "db: KeyTable + SigningTable, one RSA-2048 key file (table-scale-bench.sh)"
	SCALE_ROWS="$BENCH_TABLES" SCALE_CHECK=yes \
		sh "$top_srcdir/tests/bench/table-scale-bench.sh" | sed 's/^/  /' ||
		exit 1
fi

# Networked tables at scale: BENCH_NET_ROWS domains (default 100000) in a
# throwaway PostgreSQL (pgsql-scale-bench.sh) and slapd
# (ldap-scale-bench.sh, with a db: table of the same rows beside it) on
# loopback: first signed message and CPU per message, TableCacheTTL 0
# and 10; then the cold, warm and cached lookup times of one key in
# dsn:pgsql, ldap, db and file tables (tools/ktbench/dkimsa-kt-bench).
# Each is skipped when its server is not installed.
: "${BENCH_NET_ROWS:=100000}"
if ls /usr/lib/postgresql/*/bin/pg_ctl > /dev/null 2>&1; then
	echo
	echo "dsn:pgsql:// tables, $BENCH_NET_ROWS domains (pgsql-scale-bench.sh)"
	PGSQL_ROWS=$BENCH_NET_ROWS \
		sh "$top_srcdir/tests/bench/pgsql-scale-bench.sh" | sed 's/^/  /' ||
		exit 1
fi
if [ -x /usr/sbin/slapd ]; then
	echo
	echo "ldap:// tables, $BENCH_NET_ROWS domains (ldap-scale-bench.sh)"
	LDAP_ROWS=$BENCH_NET_ROWS \
		sh "$top_srcdir/tests/bench/ldap-scale-bench.sh" | sed 's/^/  /' ||
		exit 1
fi

# What MetricsSocket costs: the milter's CPU per message for sign and
# verify with it off and on, alternating rounds (metrics-bench.sh; target
# under 2 %).
echo
echo "MetricsSocket off vs on, CPU per message (metrics-bench.sh)"
sh "$top_srcdir/tests/bench/metrics-bench.sh" | sed 's/^/  /' || exit 1

# ARC verification's own cost in the milter, a 3-hop chain against none
# (tests/bench/arc-bench.sh; mailauth seals the chain).
echo
sh "$top_srcdir/tests/bench/arc-bench.sh" || exit 1

# The milters side by side: dkimsa and OpenDKIM 2.11 in the same run on
# the same keys, tables and DNS (tests/bench/opendkim-bench.sh); skipped
# when the opendkim or nsd package is missing.
echo
echo "dkimsa and OpenDKIM side by side (opendkim-bench.sh)"
sh "$top_srcdir/tests/bench/opendkim-bench.sh" > "$tmp/peer" 2>&1
rc=$?
sed 's/^/  /' "$tmp/peer"
[ $rc -eq 0 ] || [ $rc -eq 77 ]
