# tools/dkim.mk: fragment of Makefile.am
