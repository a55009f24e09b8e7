/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics.h - what the milter counts for MetricsSocket (dkimsa(8),
 * METRICS): messages by mode and action, signatures, verification
 * results, DNS lookups, reloads, and two latency histograms.
 *
 * Counting never takes a lock: every counter is a C11 atomic on a cache
 * line of its own, added to with relaxed ordering (a scrape may see one
 * counter a message ahead of another, never a torn value).  Counters live
 * for the process, across reloads.  Until metrics_enable() every counting
 * function returns at once, so a milter without MetricsSocket pays one
 * predictable branch per call.
 *
 * Every label value comes from a fixed table below (no domains, no
 * addresses): a new method (DMARC, ARC) or reason is a new enum row and a
 * new row in metrics.c's name tables.
 */
#ifndef DKIMSA_MILTER_METRICS_H
#define DKIMSA_MILTER_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "dkimsa.h"

/* Label "mode" of dkimsa_messages_total (none: neither signed nor
 * verified, e.g. Mode s and an external client). */
enum metrics_mode {
	METRICS_MODE_SIGN = 0,
	METRICS_MODE_VERIFY,
	METRICS_MODE_NONE,
	METRICS_NMODES
};

/* Label "action": the values of enum cfg_action, in its order. */
#define METRICS_NACTIONS 5

/* Label "reason" of dkimsa_sign_failures_total. */
enum metrics_sign_fail {
	METRICS_SF_KEY = 0,  /* the key or its table could not be used */
	METRICS_SF_SIGN,     /* libdkimsa could not sign (body, crypto) */
	METRICS_SF_MTA,	     /* the MTA refused a header change */
	METRICS_SF_RESOURCE, /* out of memory */
	METRICS_NSF
};

/* Label "method" of dkimsa_verify_results_total (RFC 8601 method names;
 * spf-helo is SPF's HELO identity, reported as spf in the A-R). */
enum metrics_method {
	METRICS_M_DKIM = 0,
	METRICS_M_SPF,
	METRICS_M_SPF_HELO,
	METRICS_M_SENDER_ID,
	METRICS_M_ADSP,
	METRICS_M_DMARC,
	METRICS_M_ARC,
	METRICS_NMETHODS
};
/* Label "result": enum dkimsa_res, NONE .. NXDOMAIN. */
#define METRICS_NRES (DKIMSA_RES_NXDOMAIN + 1)

/* Label "type" of the DNS counters. */
enum metrics_dns_type {
	METRICS_DT_A = 0,
	METRICS_DT_AAAA,
	METRICS_DT_MX,
	METRICS_DT_PTR,
	METRICS_DT_TXT,
	METRICS_DT_SPF,
	METRICS_DT_OTHER,
	METRICS_NDNSTYPES
};
/* Label "outcome": enum dkimsa_dns_outcome, ANSWER .. ERROR. */
#define METRICS_NDNSOUT (DKIMSA_DNS_ERROR + 1)

/* Histogram buckets (upper bounds in microseconds; +Inf follows). */
#define METRICS_NBUCKETS 14

/* One counter on a cache line of its own. */
struct metrics_cell {
	_Alignas(64) atomic_uint_fast64_t v;
};

struct metrics_hist {
	struct metrics_cell bucket[METRICS_NBUCKETS + 1]; /* not cumulative */
	struct metrics_cell sum_us;
};

struct metrics_store {
	struct metrics_cell msg[METRICS_NMODES][METRICS_NACTIONS];
	struct metrics_cell sigs[DKIMSA_ALG_RSA_SHA1 + 1]; /* enum dkimsa_alg */
	struct metrics_cell sign_fail[METRICS_NSF];
	struct metrics_cell verify[METRICS_NMETHODS][METRICS_NRES];
	struct metrics_cell forged;
	struct metrics_cell dns[METRICS_NDNSTYPES][METRICS_NDNSOUT];
	struct metrics_cell cache[METRICS_NDNSTYPES];
	struct metrics_cell reload[2]; /* success, failure */
	atomic_llong last_reload;      /* time(), 0: never */
	struct metrics_hist eom[2];    /* sign, verify */
	struct metrics_hist dns_time;
	struct metrics_cell jobs; /* handed to a worker (job.c) */
};

/* Turns counting on (MetricsSocket is set); before any thread counts. */
void metrics_enable(void);
int metrics_enabled(void);
/* The store, for the exposition (metrics_text.c): read only. */
const struct metrics_store *metrics_store(void);
/* The label values and bucket bounds, by index. */
const char *metrics_mode_name(int mode);
const char *metrics_sign_fail_name(int reason);
const char *metrics_method_name(int method);
const char *metrics_dns_type_name(int type);
const char *metrics_dns_outcome_name(int outcome);
extern const unsigned long metrics_bucket_us[METRICS_NBUCKETS];

/* Counting. */
void metrics_message(int mode, int action, long long eom_ns);
void metrics_signature(int alg);
void metrics_sign_failure(int reason);
void metrics_verify_result(int method, int res);
void metrics_forged_removed(int n);
/* One job handed to a pool worker (not done in the message's thread). */
void metrics_worker_job(void);
void metrics_reload(int ok);
/* Sets the time of the last successful (re)load to now. */
void metrics_loaded(void);
/* A dkimsa_stats_fn for the library handle (dkimsa_lib_set_stats). */
void metrics_dns(void *arg, const dkimsa_dns_stat *st);

/*
 * The final action "quarantine" replies "continue": reply_action tells
 * with metrics_quarantine(), in the callback's thread, and
 * metrics_quarantined() returns that flag and clears it.
 */
void metrics_quarantine(void);
int metrics_quarantined(void);

/* CLOCK_MONOTONIC in nanoseconds, 0 when counting is off. */
long long metrics_now(void);

/* Gauges read at each scrape: functions the milter gives (may be NULL). */
void metrics_gauges(int (*connections)(void), int (*in_progress)(void));
int metrics_gauge_connections(void);
int metrics_gauge_in_progress(void);

#endif
