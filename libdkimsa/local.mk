# libdkimsa core: DKIM engine.  Other modules add to libdkimsa_la_SOURCES
# in their own fragments (crypto.mk, dns.mk, spf.mk).
lib_LTLIBRARIES += libdkimsa/libdkimsa.la
libdkimsa_libdkimsa_la_SOURCES = \
	libdkimsa/buf.c libdkimsa/buf.h \
	libdkimsa/b64.c libdkimsa/b64.h \
	libdkimsa/err.c
libdkimsa_libdkimsa_la_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
libdkimsa_libdkimsa_la_LIBADD = $(CRYPTO_LIBS) $(UNBOUND_LIBS) $(PTHREAD_LIBS)
libdkimsa_libdkimsa_la_LDFLAGS = -version-info 0:0:0
pkginclude_HEADERS = libdkimsa/dkimsa.h
# Declarations for the tests and fuzz harnesses only (not installed).
noinst_HEADERS = libdkimsa/dkimsa_test.h
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/tagl.c libdkimsa/tagl.h \
	libdkimsa/hdr.c libdkimsa/hdr.h \
	libdkimsa/canon.c libdkimsa/canon.h
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/sig.c libdkimsa/sig.h \
	libdkimsa/keyrec.c libdkimsa/keyrec.h
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/dkimhash.c libdkimsa/dkimhash.h \
	libdkimsa/sign.c libdkimsa/verify.c \
	libdkimsa/authres.c libdkimsa/authres.h \
	libdkimsa/rfc5322.c
