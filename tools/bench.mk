# tools/bench.mk: fragment of Makefile.am - dkimsa-bench, run by
# "make bench" through tests/bench/run-bench.sh (not installed).
noinst_PROGRAMS += tools/bench/dkimsa-bench
tools_bench_dkimsa_bench_SOURCES = tools/bench/bench.c
tools_bench_dkimsa_bench_LDADD = libdkimsa/libdkimsa.la $(CRYPTO_LIBS)
EXTRA_DIST += tests/bench/run-bench.sh
