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
