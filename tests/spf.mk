# tests/spf.mk: fragment of Makefile.am
