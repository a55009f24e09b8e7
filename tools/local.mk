# SPDX-License-Identifier: BSD-2-Clause
# dkimsa-sign and dkimsa-verify: offline DKIM command-line tools.
noinst_LTLIBRARIES += tools/common/libmsgfile.la
tools_common_libmsgfile_la_SOURCES = tools/common/msgfile.c tools/common/msgfile.h

bin_PROGRAMS += tools/sign/dkimsa-sign tools/verify/dkimsa-verify
tools_sign_dkimsa_sign_SOURCES = tools/sign/main.c tools/sign/arcseal.c \
	tools/sign/arcseal.h
tools_sign_dkimsa_sign_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/common
tools_sign_dkimsa_sign_LDADD = tools/common/libmsgfile.la libdkimsa/libdkimsa.la
tools_verify_dkimsa_verify_SOURCES = tools/verify/main.c \
	tools/verify/pipeline.c tools/verify/pipeline.h
tools_verify_dkimsa_verify_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/common
tools_verify_dkimsa_verify_LDADD = tools/common/libmsgfile.la libdkimsa/libdkimsa.la

# The key and table tools:
# dkimsa-table (build/query tables), dkimsa-genkey, dkimsa-testkey.
KEYTOOLS_LDADD = keytable/libkeytable.la libdkimsa/libdkimsa.la \
	$(CRYPTO_LIBS) $(DB_LIBS) $(PTHREAD_LIBS)

bin_PROGRAMS += tools/table/dkimsa-table
tools_table_dkimsa_table_SOURCES = tools/table/main.c
tools_table_dkimsa_table_LDADD = $(KEYTOOLS_LDADD)

bin_PROGRAMS += tools/genkey/dkimsa-genkey
tools_genkey_dkimsa_genkey_SOURCES = tools/genkey/main.c
tools_genkey_dkimsa_genkey_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
tools_genkey_dkimsa_genkey_LDADD = $(KEYTOOLS_LDADD)

bin_PROGRAMS += tools/testkey/dkimsa-testkey
tools_testkey_dkimsa_testkey_SOURCES = tools/testkey/main.c
tools_testkey_dkimsa_testkey_LDADD = $(KEYTOOLS_LDADD)

dist_man_MANS += docs/dkimsa-table.8 docs/dkimsa-genkey.8 docs/dkimsa-testkey.8

# Cold and warm table lookup times for make bench
# (tests/bench/ldap-scale-bench.sh, pgsql-scale-bench.sh).
noinst_PROGRAMS += tools/ktbench/dkimsa-kt-bench
tools_ktbench_dkimsa_kt_bench_SOURCES = tools/ktbench/ktbench.c
tools_ktbench_dkimsa_kt_bench_LDADD = $(KEYTOOLS_LDADD)

# Dkimsa-spfquery and the SPF
# benchmark.
bin_PROGRAMS += tools/spfquery/dkimsa-spfquery
tools_spfquery_dkimsa_spfquery_SOURCES = tools/spfquery/main.c
tools_spfquery_dkimsa_spfquery_LDADD = libdkimsa/libdkimsa.la
dist_man_MANS += docs/dkimsa-spfquery.1
noinst_PROGRAMS += tools/spfquery/dkimsa-spf-bench
tools_spfquery_dkimsa_spf_bench_SOURCES = tools/spfquery/spf_bench.c
tools_spfquery_dkimsa_spf_bench_LDADD = libdkimsa/libdkimsa.la

# Dkimsa-bench, run by
# "make bench" through tests/bench/run-bench.sh (not installed).
noinst_PROGRAMS += tools/bench/dkimsa-bench
tools_bench_dkimsa_bench_SOURCES = tools/bench/bench.c
tools_bench_dkimsa_bench_LDADD = libdkimsa/libdkimsa.la $(CRYPTO_LIBS)
EXTRA_DIST += tests/bench/run-bench.sh

# Dkimsa-miltload, a
# milter-protocol load client (tools/miltload/), its smoke test, the
# milter benchmark script and the man page.
bin_PROGRAMS += tools/miltload/dkimsa-miltload
tools_miltload_dkimsa_miltload_SOURCES = tools/miltload/main.c \
	tools/miltload/mproto.c tools/miltload/mproto.h \
	tools/miltload/msess.c tools/miltload/msess.h \
	tools/miltload/mlmsg.c tools/miltload/mlmsg.h \
	tools/miltload/mlstats.c tools/miltload/mlstats.h
tools_miltload_dkimsa_miltload_LDADD = $(PTHREAD_LIBS)
SCRIPT_TESTS += tests/miltload/miltload-smoke.sh
EXTRA_DIST += tests/miltload/miltload-smoke.sh tests/bench/milter-bench.sh
dist_man_MANS += docs/dkimsa-miltload.1

# Dkimsa-reports: RFC 9990 aggregate reports from DMARCHistoryFile.
sbin_PROGRAMS += tools/reports/dkimsa-reports
tools_reports_dkimsa_reports_SOURCES = tools/reports/main.c \
	tools/reports/rpagg.c tools/reports/rpagg.h \
	tools/reports/rpxml.c tools/reports/rpxml.h \
	tools/reports/rpsend.c tools/reports/rpsend.h
tools_reports_dkimsa_reports_LDADD = libdkimsa/libdkimsa.la $(ZLIB_LIBS)
dist_man_MANS += docs/dkimsa-reports.8
EXTRA_DIST += contrib/systemd/dkimsa-reports.service \
	contrib/systemd/dkimsa-reports.timer

# ARC validation cost beyond its RSA verifications, for make bench.
noinst_PROGRAMS += tools/arcbench/dkimsa-arc-bench
tools_arcbench_dkimsa_arc_bench_SOURCES = tools/arcbench/arcbench.c \
	tools/arcbench/benchrun.c tools/arcbench/benchrun.h
tools_arcbench_dkimsa_arc_bench_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
tools_arcbench_dkimsa_arc_bench_LDADD = libdkimsa/libdkimsa.la $(CRYPTO_LIBS)
# Sign+seal and verify+seal with and without one shared dkimsa_body.
noinst_PROGRAMS += tools/arcbench/dkimsa-seal-bench
tools_arcbench_dkimsa_seal_bench_SOURCES = tools/arcbench/sealbench.c \
	tools/arcbench/benchrun.c tools/arcbench/benchrun.h
tools_arcbench_dkimsa_seal_bench_LDADD = libdkimsa/libdkimsa.la
