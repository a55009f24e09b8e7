# tools/keys.mk: fragment of Makefile.am
