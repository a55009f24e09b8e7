# tests/keytable.mk: fragment of Makefile.am - keytable/ unit tests and
# the dkimsa-table / dkimsa-genkey / dkimsa-testkey scripts.
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

check_PROGRAMS += tests/unit/kt_cache_test
UNIT_TESTS += tests/unit/kt_cache_test
tests_unit_kt_cache_test_CPPFLAGS = $(KT_TEST_CPPFLAGS)
tests_unit_kt_cache_test_LDADD = $(KT_TEST_LDADD)
EXTRA_DIST += tests/bench/pgsql-scale-bench.sh
