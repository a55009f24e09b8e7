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
	tests/data/dkim/rfc8463-test.txt

check_PROGRAMS += tests/unit/authres_test
UNIT_TESTS += tests/unit/authres_test
tests_unit_authres_test_LDADD = $(TEST_LDADD)

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
tests_unit_reply_test_SOURCES = tests/unit/reply_test.c milter/reply.c
tests_unit_reply_test_LDADD = $(MILTER_LIBS) $(PTHREAD_LIBS)
tests_unit_reply_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter

# The worker pool of the DNS jobs (milter/pool.c, milter/job.c).
check_PROGRAMS += tests/unit/pool_test
UNIT_TESTS += tests/unit/pool_test
tests_unit_pool_test_SOURCES = tests/unit/pool_test.c milter/pool.c \
	milter/job.c milter/mlog.c
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
EXTRA_DIST += tests/milter/onactions.sh

# The authserv-id: the MTA's j, else the host name; AuthservID overrides.
SCRIPT_TESTS += tests/milter/authservid.sh
EXTRA_DIST += tests/milter/authservid.sh

# setup.sh says where the log goes (and keeps it in a file without syslog).
SCRIPT_TESTS += tests/scripts/setup-logs.sh
EXTRA_DIST += tests/scripts/setup-logs.sh
