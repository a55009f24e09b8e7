# SPDX-License-Identifier: BSD-2-Clause
# Tests: unit programs (tests/unit/*_test.c) and scripts (tests/*/*.sh),
# run by tests/run-tests.sh from "make check".
EXTRA_DIST += tests/run-tests.sh tests/unit/t.h
TEST_LDADD = libdkimsa/libdkimsa.la $(CRYPTO_LIBS)

check_PROGRAMS += tests/unit/b64_test
UNIT_TESTS += tests/unit/b64_test
tests_unit_b64_test_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/canon_test
UNIT_TESTS += tests/unit/canon_test
tests_unit_canon_test_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/dkim_test
UNIT_TESTS += tests/unit/dkim_test
tests_unit_dkim_test_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/data/dkim/rfc8463.msg tests/data/dkim/rsa-sha1.msg \
	tests/data/dkim/rsa-sha1.txt tests/data/dkim/rfc8463-brisbane.txt \
	tests/data/dkim/rfc8463-test.txt tests/data/dkim/rsa512.msg \
	tests/data/dkim/rsa512.txt

check_PROGRAMS += tests/unit/authres_test
UNIT_TESTS += tests/unit/authres_test
tests_unit_authres_test_LDADD = $(TEST_LDADD)

# Reading Authentication-Results and AAR values (libdkimsa/authres_read.c).
check_PROGRAMS += tests/unit/authres_read_test
UNIT_TESTS += tests/unit/authres_read_test
tests_unit_authres_read_test_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/rfc5322_test
UNIT_TESTS += tests/unit/rfc5322_test
tests_unit_rfc5322_test_LDADD = $(TEST_LDADD)

# Hostile From, HELO, MAIL FROM and tag values: our A-R parsed back by
# python3-authres into exactly the results we meant.
check_PROGRAMS += tests/authres/arfmt
tests_authres_arfmt_LDADD = $(TEST_LDADD)
SCRIPT_TESTS += tests/authres/hostile.sh
EXTRA_DIST += tests/authres/hostile.sh tests/authres/hostile.py

# End to end with a real Postfix (root only).
SCRIPT_TESTS += tests/e2e/postfix-e2e.sh
EXTRA_DIST += tests/e2e/postfix-e2e.sh tests/e2e/pfx.sh tests/e2e/dkimpy_check.py

check_PROGRAMS += tests/unit/cfg_test
UNIT_TESTS += tests/unit/cfg_test
tests_unit_cfg_test_SOURCES = tests/unit/cfg_test.c milter/cfg.c milter/mlog.c
tests_unit_cfg_test_LDADD = $(TEST_LDADD)
tests_unit_cfg_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter

# The SMTP reply text (milter/reply.c).
check_PROGRAMS += tests/unit/reply_test
UNIT_TESTS += tests/unit/reply_test
tests_unit_reply_test_SOURCES = tests/unit/reply_test.c milter/reply.c \
	milter/metrics.c
tests_unit_reply_test_LDADD = $(MILTER_LIBS) $(PTHREAD_LIBS)
tests_unit_reply_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter

# MetricsSocket: its grammar, the counters and the page (milter/metrics*.c);
# metrics.sh drives the milter and scrapes it (issue 15).
check_PROGRAMS += tests/unit/metrics_test
UNIT_TESTS += tests/unit/metrics_test
tests_unit_metrics_test_SOURCES = tests/unit/metrics_test.c milter/metrics.c \
	milter/metrics_sock.c milter/metrics_text.c milter/cfg.c milter/mlog.c
tests_unit_metrics_test_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)
tests_unit_metrics_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter
SCRIPT_TESTS += tests/milter/metrics.sh
EXTRA_DIST += tests/milter/metrics.sh

# Which ARC-Authentication-Results claim our authserv-id (milter/arcaar.c).
check_PROGRAMS += tests/unit/arcaar_test
UNIT_TESTS += tests/unit/arcaar_test
tests_unit_arcaar_test_SOURCES = tests/unit/arcaar_test.c milter/arcaar.c
tests_unit_arcaar_test_LDADD = $(TEST_LDADD)
tests_unit_arcaar_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter

# The worker pool of the DNS jobs (milter/pool.c, milter/job.c).
check_PROGRAMS += tests/unit/pool_test
UNIT_TESTS += tests/unit/pool_test
tests_unit_pool_test_SOURCES = tests/unit/pool_test.c milter/pool.c \
	milter/job.c milter/mlog.c milter/metrics.c
tests_unit_pool_test_LDADD = $(TEST_LDADD) $(MILTER_LIBS) $(PTHREAD_LIBS)
tests_unit_pool_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter

# The daemon's signal handling (no DNS, no Postfix): SIGTERM drains,
# SIGHUP under 1,500 connections (30 s), the open files limit.
SCRIPT_TESTS += tests/milter/sigterm.sh tests/milter/reload-load.sh \
	tests/milter/nofile.sh
EXTRA_DIST += tests/milter/sigterm.sh tests/milter/rawclient.py \
	tests/milter/reload-load.sh tests/milter/nofile.sh

# The DNS record setup.sh prints verifies what the demo key signs.
SCRIPT_TESTS += tests/scripts/setup-record.sh
EXTRA_DIST += tests/scripts/setup-record.sh

# dkimsa -n opens every file as UserID; dkimsa-genkey -u (root only).
SCRIPT_TESTS += tests/milter/check-as-user.sh
EXTRA_DIST += tests/milter/check-as-user.sh

# A unix socket in use is not taken over; a stale one is replaced.
SCRIPT_TESTS += tests/milter/sock.sh
EXTRA_DIST += tests/milter/sock.sh

# OpenDKIM's keys through the milter (SubDomains, SignatureTTL,
# RemoveOldSignatures), dkimsa -n's lines; where the log goes.
SCRIPT_TESTS += tests/milter/opendkim-keys.sh tests/milter/log.sh
EXTRA_DIST += tests/milter/opendkim-keys.sh tests/milter/log.sh \
	tests/milter/mclient.py

# The On- actions per DKIM cause, across all signatures, with keys from
# the DNS harness; the log line of a verified message.
SCRIPT_TESTS += tests/milter/onactions.sh
EXTRA_DIST += tests/milter/onactions.sh tests/milter/lib.sh

# The authserv-id: the MTA's j, else the host name; AuthservID overrides.
SCRIPT_TESTS += tests/milter/authservid.sh
EXTRA_DIST += tests/milter/authservid.sh

# RSA signing keys under 1024 bits (RFC 8301 3.2) refused at start, at
# reload (the old keys keep signing) and by dkimsa-sign, dkimsa-testkey.
SCRIPT_TESTS += tests/milter/shortkey.sh
EXTRA_DIST += tests/milter/shortkey.sh

# setup.sh says where the log goes (and keeps it in a file without syslog).
SCRIPT_TESTS += tests/scripts/setup-logs.sh
EXTRA_DIST += tests/scripts/setup-logs.sh

# crypto.c's unit test and its fixture keys (made with the openssl CLI;
# rfc8463-* are RFC 8463 Appendix A's published test keys).
check_PROGRAMS += tests/unit/crypto_test
UNIT_TESTS += tests/unit/crypto_test
tests_unit_crypto_test_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_crypto_test_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)
EXTRA_DIST += \
	tests/data/keys/dsa.pem \
	tests/data/keys/ec-p256-sec1.pem \
	tests/data/keys/ec-p256.pem \
	tests/data/keys/ed25519.pem \
	tests/data/keys/rfc8463-ed25519.seed \
	tests/data/keys/rfc8463-rsa.pem \
	tests/data/keys/rsa1024-encrypted-pkcs1.pem \
	tests/data/keys/rsa1024-encrypted.pem \
	tests/data/keys/rsa1024.pem \
	tests/data/keys/rsa2048-pkcs1.pem \
	tests/data/keys/rsa2048.pem \
	tests/data/keys/rsa384.pem \
	tests/data/keys/rsa4096.pem \
	tests/data/keys/rsa512.pem

# The DNS layer, DKIM keys over DNS, ADSP, and the DNS test harness
# (tests/dns/harness.sh) other test scripts source.
check_PROGRAMS += tests/unit/dns_test
UNIT_TESTS += tests/unit/dns_test
tests_unit_dns_test_SOURCES = tests/unit/dns_test.c tests/dns/dns_live.c
tests_unit_dns_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_dns_test_LDADD = $(TEST_LDADD) $(UNBOUND_LIBS) $(PTHREAD_LIBS)

check_PROGRAMS += tests/unit/dnscache_test
UNIT_TESTS += tests/unit/dnscache_test
tests_unit_dnscache_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_dnscache_test_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)

check_PROGRAMS += tests/unit/pkcache_test
UNIT_TESTS += tests/unit/pkcache_test
tests_unit_pkcache_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_pkcache_test_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)

check_PROGRAMS += tests/unit/adsp_test
UNIT_TESTS += tests/unit/adsp_test
tests_unit_adsp_test_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/lib_test
UNIT_TESTS += tests/unit/lib_test
tests_unit_lib_test_SOURCES = tests/unit/lib_test.c tests/dns/keys_live.c
tests_unit_lib_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_lib_test_LDADD = $(TEST_LDADD)

# The harness other suites source, its zone fixtures, and the live checks.
SCRIPT_TESTS += tests/dns/live.sh tests/dns/adsp.sh tests/dns/keys.sh \
	tests/dns/verify-cli.sh
# The milter under a dead, a SERVFAIL and a slow DNS server: actions and
# the per-message DNS deadline.
SCRIPT_TESTS += tests/dns/deadline.sh
EXTRA_DIST += tests/dns/deadline.sh tests/dns/dnsfault.py
# More messages at once than worker threads, with a slow DNS server.
SCRIPT_TESTS += tests/dns/workers.sh
EXTRA_DIST += tests/dns/workers.sh
EXTRA_DIST += tests/dns/harness.sh tests/dns/live.sh tests/dns/adsp.sh \
	tests/dns/keys.sh tests/dns/bench.sh tests/dns/verify-cli.sh \
	tests/dns/zones/dkim.zone.in tests/dns/zones/root.zone \
	tests/dns/zones/reverse.zone tests/dns/zones/adsp.zone

# Warm-cache lookup benchmark (tests/dns/bench.sh runs it).
check_PROGRAMS += tools/dnsbench/dnsbench
tools_dnsbench_dnsbench_SOURCES = tools/dnsbench/dnsbench.c
tools_dnsbench_dnsbench_LDADD = libdkimsa/libdkimsa.la $(PTHREAD_LIBS)

# SPF and Sender ID tests.
check_PROGRAMS += tests/unit/spf_addr_test tests/unit/spf_rec_test \
	tests/unit/spf_macro_test tests/unit/sid_pra_test
UNIT_TESTS += tests/unit/spf_addr_test tests/unit/spf_rec_test \
	tests/unit/spf_macro_test tests/unit/sid_pra_test
tests_unit_spf_addr_test_LDADD = $(TEST_LDADD)
tests_unit_spf_rec_test_LDADD = $(TEST_LDADD)
tests_unit_spf_macro_test_LDADD = $(TEST_LDADD)
tests_unit_sid_pra_test_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/unit/spf_check_test
UNIT_TESTS += tests/unit/spf_check_test
tests_unit_spf_check_test_LDADD = $(TEST_LDADD)

# The official SPF suites through libunbound auth-zones.
check_PROGRAMS += tests/spf/suite_driver
tests_spf_suite_driver_SOURCES = tests/spf/suite_driver.c
tests_spf_suite_driver_LDADD = $(TEST_LDADD)
SCRIPT_TESTS += tests/spf/suite.sh
EXTRA_DIST += tests/spf/suite.sh tests/spf/suite2zone.py
check_PROGRAMS += tests/unit/sid_test
UNIT_TESTS += tests/unit/sid_test
tests_unit_sid_test_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/unit/spf_hdr_test
UNIT_TESTS += tests/unit/spf_hdr_test
tests_unit_spf_hdr_test_LDADD = $(TEST_LDADD)
SCRIPT_TESTS += tests/spf/spfquery.sh
EXTRA_DIST += tests/spf/spfquery.sh

# keytable/ unit tests and the dkimsa-table / dkimsa-genkey /
# dkimsa-testkey scripts.
KT_TEST_LDADD = keytable/libkeytable.la $(TEST_LDADD) $(DB_LIBS) \
	$(PTHREAD_LIBS)
KT_TEST_CPPFLAGS = $(AM_CPPFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
EXTRA_DIST += tests/keytable/kt_fixture.h

check_PROGRAMS += tests/unit/kt_table_test
UNIT_TESTS += tests/unit/kt_table_test
tests_unit_kt_table_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_table_test_LDADD = $(KT_TEST_LDADD)

check_PROGRAMS += tests/unit/kt_hostlist_test
UNIT_TESTS += tests/unit/kt_hostlist_test
tests_unit_kt_hostlist_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_hostlist_test_LDADD = $(KT_TEST_LDADD)

check_PROGRAMS += tests/unit/kt_signing_test
UNIT_TESTS += tests/unit/kt_signing_test
tests_unit_kt_signing_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_signing_test_LDADD = $(KT_TEST_LDADD)

check_PROGRAMS += tests/unit/kt_inline_test
UNIT_TESTS += tests/unit/kt_inline_test
tests_unit_kt_inline_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_inline_test_LDADD = $(KT_TEST_LDADD)

SCRIPT_TESTS += tests/keytable/tables.sh
EXTRA_DIST += tests/keytable/lib.sh tests/keytable/tables.sh
SCRIPT_TESTS += tests/keytable/genkey.sh
EXTRA_DIST += tests/keytable/genkey.sh
SCRIPT_TESTS += tests/keytable/testkey.sh
EXTRA_DIST += tests/keytable/testkey.sh
SCRIPT_TESTS += tests/keytable/inline-keys.sh
EXTRA_DIST += tests/keytable/inline-keys.sh

check_PROGRAMS += tests/unit/keycache_test
UNIT_TESTS += tests/unit/keycache_test
tests_unit_keycache_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_keycache_test_LDADD = $(KT_TEST_LDADD)
SCRIPT_TESTS += tests/keytable/lazy.sh
EXTRA_DIST += tests/keytable/lazy.sh
EXTRA_DIST += tests/bench/table-scale-bench.sh
SCRIPT_TESTS += tests/keytable/pgsql.sh
EXTRA_DIST += tests/keytable/pgsql.sh
SCRIPT_TESTS += tests/keytable/ldap.sh
EXTRA_DIST += tests/keytable/ldap.sh

check_PROGRAMS += tests/unit/kt_cache_test
UNIT_TESTS += tests/unit/kt_cache_test
tests_unit_kt_cache_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_cache_test_LDADD = $(KT_TEST_LDADD)
EXTRA_DIST += tests/bench/pgsql-scale-bench.sh tests/bench/ldap-scale-bench.sh
EXTRA_DIST += tests/bench/opendkim-bench.sh tests/bench/ub-serialize.c
EXTRA_DIST += tests/bench/metrics-bench.sh tests/bench/lib.sh
# The cost of counting one message (metrics-bench.sh prints it).
noinst_PROGRAMS += tests/bench/metrics-cost
tests_bench_metrics_cost_SOURCES = tests/bench/metrics-cost.c milter/metrics.c
tests_bench_metrics_cost_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter
tests_bench_metrics_cost_LDADD = $(PTHREAD_LIBS)

# Script tests that drive other implementations and tools: dkimpy interop (both directions) and
# the style checks (clang-format, cppcheck).
SCRIPT_TESTS += tests/interop/dkimpy-interop.sh tests/style/lint.sh
EXTRA_DIST += tests/interop/dkimpy-interop.sh \
	tests/interop/gen_messages.py \
	tests/interop/dkimpy_side.py \
	tests/style/lint.sh

# Node's mailauth, the independent ARC/DKIM/DMARC oracle: one package.json
# and lock for every test that drives it (tests/node/install.sh, npm ci).
EXTRA_DIST += tests/node/package.json tests/node/package-lock.json \
	tests/node/install.sh tests/node/arc-oracle.js

# The DMARC history line (libdkimsa/dmarchist.c): writer and reader.
check_PROGRAMS += tests/unit/dmarchist_test
UNIT_TESTS += tests/unit/dmarchist_test
tests_unit_dmarchist_test_LDADD = $(TEST_LDADD)

# U-labels to A-labels for the DMARC Author Domain (libdkimsa/idna.c).
check_PROGRAMS += tests/unit/idna_test
UNIT_TESTS += tests/unit/idna_test
tests_unit_idna_test_LDADD = $(TEST_LDADD)

# dkimsa-reports: history tables -> RFC 9990 reports validated by xmllint,
# hostile lines, --send and the external destination check over DNS.
SCRIPT_TESTS += tests/reports/reports.sh
EXTRA_DIST += tests/reports/reports.sh tests/reports/reports.zone \
	tests/reports/rfc9990.xsd

# DMARCHistoryFile (milter/histfile.c): concurrent appends, /dev/full and
# a tmpfs that fills up.
check_PROGRAMS += tests/milter/histwrite
tests_milter_histwrite_SOURCES = tests/milter/histwrite.c \
	milter/histfile.c milter/mlog.c
tests_milter_histwrite_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter
tests_milter_histwrite_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)
SCRIPT_TESTS += tests/milter/histfile.sh
EXTRA_DIST += tests/milter/histfile.sh
# DMARC (RFC 9989): the policy record grammar.
check_PROGRAMS += tests/unit/dmarc_rec_test
UNIT_TESTS += tests/unit/dmarc_rec_test
tests_unit_dmarc_rec_test_LDADD = $(TEST_LDADD)
# The DMARC scenario table and its DNS (tests/dmarc/scenarios.sh runs it;
# the oracles read the same rows).
EXTRA_DIST += tests/dmarc/scenarios.tsv tests/dmarc/dmarc.zone.in \
	tests/dmarc/dmarcsec.zone
check_PROGRAMS += tests/unit/dmarc_test
UNIT_TESTS += tests/unit/dmarc_test
tests_unit_dmarc_test_LDADD = $(TEST_LDADD)
SCRIPT_TESTS += tests/dmarc/scenarios.sh
EXTRA_DIST += tests/dmarc/scenarios.sh
# DMARC in the milter: actions, exemptions, the A-R result.
SCRIPT_TESTS += tests/milter/dmarc.sh
EXTRA_DIST += tests/milter/dmarc.sh

# Two independent DMARC implementations over the scenario table: mailauth
# (tests/node) and OpenDMARC 1.4.2 through the milter protocol.
SCRIPT_TESTS += tests/dmarc/oracles.sh
EXTRA_DIST += tests/dmarc/oracles.sh tests/dmarc/oracle-common.sh \
	tests/dmarc/oracle-mailauth.js tests/dmarc/oracle-mailauth.known \
	tests/dmarc/oracle-opendmarc.known tests/dmarc/milterdrive.py


# ARC (RFC 8617): the community conformance suite (tests/arc/suite, a
# copy of shared/testsuites/arc) with keys served by libunbound.
SCRIPT_TESTS += tests/arc/arc-suite.sh
EXTRA_DIST += tests/arc/arc-suite.sh tests/arc/arcsuite.py \
	tests/arc/suite/README.md \
	tests/arc/suite/arc-draft-validation-tests.yml \
	tests/arc/suite/arc-draft-sign-tests.yml

# ARC through the public API: sealed chains of 1, 2, 5 hops (RSA,
# Ed25519), oldest-pass, tampering, hostile header blocks, A-R.
check_PROGRAMS += tests/unit/arc_test
UNIT_TESTS += tests/unit/arc_test
tests_unit_arc_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_arc_test_LDADD = $(TEST_LDADD)

# ARC work done only when needed: the seal body hash only with sealing
# enabled (else the seal is refused), AMSs sharing one body hash,
# dkimsa_arc_keys_ready.
check_PROGRAMS += tests/unit/arcbody_test
UNIT_TESTS += tests/unit/arcbody_test
tests_unit_arcbody_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_arcbody_test_LDADD = $(TEST_LDADD)

# One message's body hashes shared by its DKIM signers or verifier and
# its ARC seal (dkimsa_body): the same fields as unshared, each distinct
# hash once, the order rules.
check_PROGRAMS += tests/unit/body_test
UNIT_TESTS += tests/unit/body_test
tests_unit_body_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_body_test_LDADD = $(TEST_LDADD)

# ARC through the milter (arc= results, forged AARs removed, sealing in
# each ARCSignMode, cv=fail, the settings), with mailauth as the oracle
# both ways for 1, 2 and 5 hops; and end to end through two Postfix
# instances (a list that breaks DKIM, then a receiver).
SCRIPT_TESTS += tests/milter/arc.sh tests/e2e/arc-e2e.sh
EXTRA_DIST += tests/milter/arc.sh tests/milter/applymods.py \
	tests/e2e/arc-e2e.sh tests/bench/arc-bench.sh
