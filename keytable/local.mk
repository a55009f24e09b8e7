# SPDX-License-Identifier: BSD-2-Clause
# keytable: lookup tables opened by "type:name"
# (file, refile, csl, db, dsn:pgsql with libpq, ldap: with libldap), key loading with the safety check, host lists
# and the SigningTable/KeyTable resolution.  A convenience library linked
# into the milter and the key tools.
noinst_LTLIBRARIES += keytable/libkeytable.la
keytable_libkeytable_la_SOURCES = \
	keytable/keytable.h \
	keytable/kt_open.c \
	keytable/kt_surrogate.c \
	keytable/kt_lines.c keytable/kt_lines.h \
	keytable/kt_file.c \
	keytable/kt_refile.c \
	keytable/kt_csl.c \
	keytable/kt_db.c \
	keytable/kt_db_build.c \
	keytable/kt_dsn.c \
	keytable/kt_ldap.c \
	keytable/kt_cache.c \
	keytable/kt_maps.c
keytable_libkeytable_la_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(PQ_CFLAGS) \
	$(PGSQL_CPPFLAGS) $(LDAP_CFLAGS) $(LDAP_CPPFLAGS)
keytable_libkeytable_la_LIBADD = $(DB_LIBS) $(PQ_LIBS) $(LDAP_LIBS) \
	$(PTHREAD_LIBS)
keytable_libkeytable_la_SOURCES += \
	keytable/keyfile.c keytable/keyfile.h \
	keytable/keyset.c keytable/keyset.h \
	keytable/keycache.c keytable/keycache.h \
	keytable/signing.c keytable/signing.h \
	keytable/hostlist.c keytable/hostlist.h
