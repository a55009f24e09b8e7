# tools/spf.mk: fragment of Makefile.am - dkimsa-spfquery and the SPF
# benchmark.
bin_PROGRAMS += tools/spfquery/dkimsa-spfquery
tools_spfquery_dkimsa_spfquery_SOURCES = tools/spfquery/main.c
tools_spfquery_dkimsa_spfquery_LDADD = libdkimsa/libdkimsa.la
dist_man_MANS += docs/dkimsa-spfquery.1
noinst_PROGRAMS += tools/spfquery/dkimsa-spf-bench
tools_spfquery_dkimsa_spf_bench_SOURCES = tools/spfquery/spf_bench.c
tools_spfquery_dkimsa_spf_bench_LDADD = libdkimsa/libdkimsa.la
