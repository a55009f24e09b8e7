# tests/dns.mk: fragment of Makefile.am
