# libdkimsa fragment (see Makefile.am): OpenSSL EVP digests, signatures,
# private and public keys.
libdkimsa_libdkimsa_la_SOURCES += libdkimsa/crypto.c libdkimsa/crypto.h
