# tests/keytable.mk: fragment of Makefile.am
