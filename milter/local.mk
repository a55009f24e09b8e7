# milter/local.mk: fragment of Makefile.am
