# tests/spf.mk: fragment of Makefile.am - SPF and Sender ID tests.
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
