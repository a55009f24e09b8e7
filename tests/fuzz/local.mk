# SPDX-License-Identifier: BSD-2-Clause
# tests/fuzz/local.mk: fragment of Makefile.am - the libFuzzer harnesses
# (tests/fuzz/fuzz_NAME.c, one per parser of hostile input).
#
# make check: tests/fuzz/replay.sh runs every seed (corpus/NAME) and past
#   crash input (crashes/NAME) through replay_NAME, the harness linked
#   with a plain main() (replay_main.c) and the normal compiler.
# make fuzz: tests/fuzz/build-and-run.sh builds the harnesses with clang
#   -fsanitize=fuzzer,address,undefined (tests/fuzz/Makefile.fuzz, into
#   tests/fuzz/out) and fuzzes each for FUZZ_SECONDS (default 60).
FUZZ_NAMES = authres cfg dmarc_rec dmarchist dmarcrua idna keyrec \
	metrics_sock milter rfc5322 sid_pra sig spf_macro spf_rec tables tagl \
	verify
FUZZ_COMMON = tests/fuzz/replay_main.c tests/fuzz/fuzz_util.c \
	tests/fuzz/fuzz.h
FUZZ_LIBDKIMSA = libdkimsa/libdkimsa.la $(CRYPTO_LIBS)
FUZZ_KEYTABLE = keytable/libkeytable.la $(FUZZ_LIBDKIMSA) $(DB_LIBS) \
	$(PTHREAD_LIBS)
# The milter's run-time state (dkimsa.conf and what it names), and the
# rest of the milter without main.c and without libmilter (fuzz_milter.c
# answers the smfi_* calls).
FUZZ_RT = milter/cfg.c milter/mlog.c milter/rt.c milter/histfile.c \
	milter/metrics.c milter/metrics_sock.c milter/arccfg.c
FUZZ_MILTER = $(FUZZ_RT) milter/arcaar.c milter/arcpath.c milter/arctrust.c \
	milter/callbacks.c milter/dmarcpath.c milter/job.c milter/msg.c \
	milter/policy.c milter/pool.c milter/reply.c milter/signpath.c \
	milter/verifypath.c milter/metrics_msg.c
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter \
	-I$(top_srcdir)/tests/fuzz

check_PROGRAMS += tests/fuzz/replay_authres tests/fuzz/replay_cfg \
	tests/fuzz/replay_dmarchist tests/fuzz/replay_dmarcrua \
	tests/fuzz/replay_keyrec tests/fuzz/replay_milter \
	tests/fuzz/replay_rfc5322 tests/fuzz/replay_sid_pra \
	tests/fuzz/replay_sig tests/fuzz/replay_spf_macro \
	tests/fuzz/replay_spf_rec tests/fuzz/replay_tables \
	tests/fuzz/replay_tagl tests/fuzz/replay_verify \
	tests/fuzz/replay_metrics_sock
SCRIPT_TESTS += tests/fuzz/replay.sh
check_PROGRAMS += tests/fuzz/replay_dmarc_rec
tests_fuzz_replay_dmarc_rec_SOURCES = tests/fuzz/fuzz_dmarc_rec.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_dmarc_rec_LDADD = $(FUZZ_LIBDKIMSA)
EXTRA_DIST += tests/fuzz/dmarc_rec.dict

tests_fuzz_replay_authres_SOURCES = tests/fuzz/fuzz_authres.c $(FUZZ_COMMON) \
	milter/arcaar.c
tests_fuzz_replay_authres_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_authres_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_dmarchist_SOURCES = tests/fuzz/fuzz_dmarchist.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_dmarchist_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_dmarcrua_SOURCES = tests/fuzz/fuzz_dmarcrua.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_dmarcrua_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_keyrec_SOURCES = tests/fuzz/fuzz_keyrec.c $(FUZZ_COMMON)
tests_fuzz_replay_keyrec_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_rfc5322_SOURCES = tests/fuzz/fuzz_rfc5322.c $(FUZZ_COMMON)
tests_fuzz_replay_rfc5322_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_sid_pra_SOURCES = tests/fuzz/fuzz_sid_pra.c $(FUZZ_COMMON)
tests_fuzz_replay_sid_pra_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_sig_SOURCES = tests/fuzz/fuzz_sig.c $(FUZZ_COMMON)
tests_fuzz_replay_sig_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_spf_macro_SOURCES = tests/fuzz/fuzz_spf_macro.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_spf_macro_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_spf_rec_SOURCES = tests/fuzz/fuzz_spf_rec.c $(FUZZ_COMMON)
tests_fuzz_replay_spf_rec_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_tagl_SOURCES = tests/fuzz/fuzz_tagl.c $(FUZZ_COMMON)
tests_fuzz_replay_tagl_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_verify_SOURCES = tests/fuzz/fuzz_verify.c $(FUZZ_COMMON)
tests_fuzz_replay_verify_LDADD = $(FUZZ_LIBDKIMSA)
tests_fuzz_replay_tables_SOURCES = tests/fuzz/fuzz_tables.c $(FUZZ_COMMON)
tests_fuzz_replay_tables_LDADD = $(FUZZ_KEYTABLE)
tests_fuzz_replay_cfg_SOURCES = tests/fuzz/fuzz_cfg.c $(FUZZ_COMMON) \
	$(FUZZ_RT)
tests_fuzz_replay_cfg_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_cfg_LDADD = $(FUZZ_KEYTABLE)
tests_fuzz_replay_metrics_sock_SOURCES = tests/fuzz/fuzz_metrics_sock.c \
	$(FUZZ_COMMON) milter/metrics_sock.c
tests_fuzz_replay_metrics_sock_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_milter_SOURCES = tests/fuzz/fuzz_milter.c $(FUZZ_COMMON) \
	$(FUZZ_MILTER)
tests_fuzz_replay_milter_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_milter_LDADD = $(FUZZ_KEYTABLE)

EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/build-and-run.sh \
	tests/fuzz/Makefile.fuzz tests/fuzz/milter.options \
	tests/fuzz/cfg.dict tests/fuzz/dmarchist.dict tests/fuzz/keyrec.dict tests/fuzz/milter.dict \
	tests/fuzz/rfc5322.dict tests/fuzz/sig.dict tests/fuzz/spf_macro.dict \
	tests/fuzz/spf_rec.dict tests/fuzz/tables.dict tests/fuzz/verify.dict \
	tests/fuzz/corpus tests/fuzz/crashes

# FUZZ_SECONDS per harness; FUZZ_NAMES="sig tagl" for a few.
FUZZ_SECONDS = 60
fuzz:
	@top_builddir="$(abs_top_builddir)" top_srcdir="$(abs_top_srcdir)" \
	  FUZZ_OUT="$(abs_top_builddir)/tests/fuzz/out" \
	  FUZZ_SECONDS="$(FUZZ_SECONDS)" MAKE="$(MAKE)" \
	  FUZZ_LIBS="$(CRYPTO_LIBS) $(UNBOUND_LIBS) $(DB_LIBS) $(PTHREAD_LIBS)" \
	  $(SHELL) $(top_srcdir)/tests/fuzz/build-and-run.sh $(FUZZ_NAMES)

fuzz-clean:
	rm -rf tests/fuzz/out

.PHONY: fuzz fuzz-clean

# ARC chains (fuzz_arc.c): validation, then our seal must validate.
FUZZ_NAMES += arc
check_PROGRAMS += tests/fuzz/replay_arc
tests_fuzz_replay_arc_SOURCES = tests/fuzz/fuzz_arc.c $(FUZZ_COMMON)
tests_fuzz_replay_arc_LDADD = $(FUZZ_LIBDKIMSA)
EXTRA_DIST += tests/fuzz/arc.dict
# U-labels to A-labels (libdkimsa/idna.c).
check_PROGRAMS += tests/fuzz/replay_idna
tests_fuzz_replay_idna_SOURCES = tests/fuzz/fuzz_idna.c $(FUZZ_COMMON)
tests_fuzz_replay_idna_LDADD = $(FUZZ_LIBDKIMSA)
