# SPDX-License-Identifier: BSD-2-Clause
# libdkimsa: the DKIM engine first; crypto, DNS and SPF add their sources
# to libdkimsa_la_SOURCES below.
lib_LTLIBRARIES += libdkimsa/libdkimsa.la
libdkimsa_libdkimsa_la_SOURCES = \
	libdkimsa/buf.c libdkimsa/buf.h \
	libdkimsa/b64.c libdkimsa/b64.h \
	libdkimsa/err.c
libdkimsa_libdkimsa_la_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(IDN2_CFLAGS)
libdkimsa_libdkimsa_la_LIBADD = $(CRYPTO_LIBS) $(UNBOUND_LIBS) $(PTHREAD_LIBS) \
	$(IDN2_LIBS)
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
	libdkimsa/body.c libdkimsa/body.h \
	libdkimsa/sign.c libdkimsa/verify.c \
	libdkimsa/authres.c libdkimsa/authres.h libdkimsa/authres_read.c \
	libdkimsa/rfc5322.c

# Crypto: OpenSSL EVP digests, signatures,
# private and public keys.
libdkimsa_libdkimsa_la_SOURCES += libdkimsa/crypto.c libdkimsa/crypto.h \
	libdkimsa/pkcache.c libdkimsa/pkcache.h

# The library handle, the DNS layer
# (libunbound and fake backends), DKIM keys over DNS, ADSP.
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/lib.c libdkimsa/lib.h \
	libdkimsa/dns.c libdkimsa/dns.h libdkimsa/dns_int.h \
	libdkimsa/dnscache.c libdkimsa/dnscache.h \
	libdkimsa/dns_fake.c \
	libdkimsa/keydns.c \
	libdkimsa/adsp.c libdkimsa/adsp.h

# SPF (RFC 7208) and Sender ID
# (RFC 4406/4407).
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/addr.c libdkimsa/addr.h \
	libdkimsa/spf_rec.c libdkimsa/spf_rec.h \
	libdkimsa/spf_macro.c libdkimsa/spf_macro.h \
	libdkimsa/spf_eval.c libdkimsa/spf_eval.h libdkimsa/spf_mech.c \
	libdkimsa/sid.c libdkimsa/sid.h \
	libdkimsa/sid_pra.c libdkimsa/sid_pra.h \
	libdkimsa/spf.c libdkimsa/spf.h libdkimsa/spf_hdr.c

# The DMARC history line (DMARCHistoryFile, dkimsa-reports) and the
# RFC 9990 external report destination check.
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/dmarchist.c libdkimsa/dmarchist.h \
	libdkimsa/dmarcrua.c libdkimsa/dmarcrua.h
# DMARC (RFC 9989): the policy record, the DNS Tree Walk, the check.
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/dmarc_rec.c libdkimsa/dmarc_rec.h \
	libdkimsa/dmarc_walk.c libdkimsa/dmarc_walk.h \
	libdkimsa/dmarc.c


# ARC (RFC 8617): chain validation and sealing on the DKIM parts.
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/arc.c libdkimsa/arc.h libdkimsa/arc_aar.c \
	libdkimsa/arc_keys.c libdkimsa/arc_chain.c libdkimsa/arc_seal.c
# IDNA: U-labels to A-labels (libidn2), for the DMARC Author Domain.
libdkimsa_libdkimsa_la_SOURCES += libdkimsa/idna.c libdkimsa/idna.h
