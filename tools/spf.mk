# tools/spf.mk: fragment of Makefile.am
