# tools/miltload.mk: fragment of Makefile.am - dkimsa-miltload, a
# milter-protocol load client (tools/miltload/), its smoke test, the
# milter benchmark script and the man page.
bin_PROGRAMS += tools/miltload/dkimsa-miltload
tools_miltload_dkimsa_miltload_SOURCES = tools/miltload/main.c \
	tools/miltload/mproto.c tools/miltload/mproto.h \
	tools/miltload/msess.c tools/miltload/msess.h \
	tools/miltload/mlmsg.c tools/miltload/mlmsg.h \
	tools/miltload/mlstats.c tools/miltload/mlstats.h
tools_miltload_dkimsa_miltload_LDADD = $(PTHREAD_LIBS)
SCRIPT_TESTS += tests/miltload/miltload-smoke.sh
EXTRA_DIST += tests/miltload/miltload-smoke.sh tests/bench/milter-bench.sh
dist_man_MANS += docs/dkimsa-miltload.1
