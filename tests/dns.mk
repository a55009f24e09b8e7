# tests/dns.mk: fragment of Makefile.am - the DNS layer, DKIM keys over
# DNS, ADSP, and the DNS test harness (tests/dns/harness.sh) other test
# scripts source.
check_PROGRAMS += tests/unit/dns_test
UNIT_TESTS += tests/unit/dns_test
tests_unit_dns_test_SOURCES = tests/unit/dns_test.c tests/dns/dns_live.c
tests_unit_dns_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_dns_test_LDADD = $(TEST_LDADD) $(UNBOUND_LIBS) $(PTHREAD_LIBS)

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
