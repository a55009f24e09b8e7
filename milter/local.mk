# SPDX-License-Identifier: BSD-2-Clause
# The dkimsa daemon (libmilter).
sbin_PROGRAMS += milter/dkimsa
milter_dkimsa_SOURCES = \
	milter/main.c \
	milter/arcaar.c milter/arcaar.h \
	milter/arccfg.c milter/arccfg.h \
	milter/arcpath.c milter/arcpath.h \
	milter/arctrust.c milter/arctrust.h \
	milter/asuser.c milter/asuser.h \
	milter/callbacks.c milter/callbacks.h \
	milter/cfg.c milter/cfg.h \
	milter/dmarcpath.c milter/dmarcpath.h \
	milter/job.c milter/job.h \
	milter/metrics.c milter/metrics.h \
	milter/metrics_http.c milter/metrics_http.h \
	milter/metrics_msg.c milter/metrics_msg.h \
	milter/metrics_sock.c milter/metrics_sock.h \
	milter/metrics_text.c milter/metrics_text.h \
	milter/mlog.c milter/mlog.h \
	milter/msg.c milter/msg.h \
	milter/msig.c milter/msig.h \
	milter/policy.c milter/policy.h \
	milter/pool.c milter/pool.h \
	milter/reply.c milter/reply.h \
	milter/rt.c milter/rt.h \
	milter/histfile.c milter/histfile.h \
	milter/histrec.c milter/histrec.h \
	milter/signpath.c milter/signpath.h \
	milter/sock.c milter/sock.h \
	milter/verifypath.c milter/verifypath.h
milter_dkimsa_CPPFLAGS = $(AM_CPPFLAGS) -DDKIMSA_CONF='"/etc/dkimsa.conf"'
# msig.c defines sigwait() for libmilter's signal thread to call (the
# executable exports it anyway, libmilter referring to it; this says so).
milter_dkimsa_LDFLAGS = -Wl,--export-dynamic-symbol=sigwait
milter_dkimsa_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
milter_dkimsa_LDADD = keytable/libkeytable.la libdkimsa/libdkimsa.la \
	$(CRYPTO_LIBS) $(MILTER_LIBS) $(DB_LIBS) $(MHD_LIBS) $(PTHREAD_LIBS)
