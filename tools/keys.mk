# tools/keys.mk: fragment of Makefile.am - the key and table tools:
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
