# tests/interop.mk: fragment of Makefile.am
