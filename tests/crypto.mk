# tests/crypto.mk: fragment of Makefile.am
