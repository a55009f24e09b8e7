# tests/crypto.mk: fragment of Makefile.am - crypto.c unit test and its
# fixture keys (made with the openssl CLI; rfc8463-* are RFC 8463
# Appendix A's published test keys).
check_PROGRAMS += tests/unit/crypto_test
UNIT_TESTS += tests/unit/crypto_test
tests_unit_crypto_test_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS) \
	-DKEYDIR='"$(abs_top_srcdir)/tests/data/keys"'
tests_unit_crypto_test_LDADD = $(TEST_LDADD) $(PTHREAD_LIBS)
EXTRA_DIST += \
	tests/data/keys/dsa.pem \
	tests/data/keys/ec-p256-sec1.pem \
	tests/data/keys/ec-p256.pem \
	tests/data/keys/ed25519.pem \
	tests/data/keys/rfc8463-ed25519.seed \
	tests/data/keys/rfc8463-rsa.pem \
	tests/data/keys/rsa1024-encrypted-pkcs1.pem \
	tests/data/keys/rsa1024-encrypted.pem \
	tests/data/keys/rsa1024.pem \
	tests/data/keys/rsa2048-pkcs1.pem \
	tests/data/keys/rsa2048.pem \
	tests/data/keys/rsa4096.pem \
	tests/data/keys/rsa512.pem
