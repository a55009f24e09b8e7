/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics.c - the counters of metrics.h: one static store for the
 * process, relaxed atomic adds, and the tables of label values.
 */
#include <stddef.h>
#include <time.h>

#include "metrics.h"

static struct metrics_store metrics_st;
static atomic_int metrics_on;
static int (*metrics_conns_fn)(void);
static int (*metrics_inflight_fn)(void);
static _Thread_local int metrics_tl_quarantine;

const unsigned long metrics_bucket_us[METRICS_NBUCKETS] = {
    500,    1000,   2500,   5000,    10000,   25000,   50000,
    100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
};

static const char *const metrics_modes[METRICS_NMODES] = {"sign", "verify",
							  "none"};
static const char *const metrics_sign_fails[METRICS_NSF] = {"key", "sign",
							    "mta", "resource"};
static const char *const metrics_methods[METRICS_NMETHODS] = {
    "dkim", "spf", "spf-helo", "sender-id", "dkim-adsp", "dmarc", "arc"};
static const char *const metrics_dns_types[METRICS_NDNSTYPES] = {
    "A", "AAAA", "MX", "PTR", "TXT", "SPF", "other"};
static const char *const metrics_dns_outcomes[METRICS_NDNSOUT] = {
    "answer", "nxdomain", "nodata", "servfail", "timeout", "bogus", "error"};

#define METRICS_NAME(table, i)                                                 \
	((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof(table[0]) ? table[i] \
								    : NULL)

const char *
metrics_mode_name(int mode)
{
	return METRICS_NAME(metrics_modes, mode);
}

const char *
metrics_sign_fail_name(int reason)
{
	return METRICS_NAME(metrics_sign_fails, reason);
}

const char *
metrics_method_name(int method)
{
	return METRICS_NAME(metrics_methods, method);
}

const char *
metrics_dns_type_name(int type)
{
	return METRICS_NAME(metrics_dns_types, type);
}

const char *
metrics_dns_outcome_name(int outcome)
{
	return METRICS_NAME(metrics_dns_outcomes, outcome);
}

void
metrics_enable(void)
{
	atomic_store(&metrics_on, 1);
}

int
metrics_enabled(void)
{
	return atomic_load_explicit(&metrics_on, memory_order_relaxed);
}

const struct metrics_store *
metrics_store(void)
{
	return &metrics_st;
}

static void
metrics_add(struct metrics_cell *c, uint64_t n)
{
	atomic_fetch_add_explicit(&c->v, n, memory_order_relaxed);
}

static void
metrics_observe(struct metrics_hist *h, unsigned long us)
{
	int i;

	for (i = 0; i < METRICS_NBUCKETS && us > metrics_bucket_us[i]; i++)
		;
	metrics_add(&h->bucket[i], 1);
	metrics_add(&h->sum_us, us);
}

void
metrics_quarantine(void)
{
	metrics_tl_quarantine = 1;
}

int
metrics_quarantined(void)
{
	int q = metrics_tl_quarantine;

	metrics_tl_quarantine = 0;
	return q;
}

long long
metrics_now(void)
{
	struct timespec ts;

	if (!metrics_enabled())
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
metrics_message(int mode, int action, long long eom_ns)
{
	long long ns;

	if (!metrics_enabled() || mode < 0 || mode >= METRICS_NMODES ||
	    action < 0 || action >= METRICS_NACTIONS)
		return;
	metrics_add(&metrics_st.msg[mode][action], 1);
	if (eom_ns <= 0 || mode == METRICS_MODE_NONE)
		return;
	ns = metrics_now() - eom_ns;
	metrics_observe(&metrics_st.eom[mode],
			ns > 0 ? (unsigned long)(ns / 1000) : 0);
}

void
metrics_signature(int alg)
{
	if (metrics_enabled() && alg > DKIMSA_ALG_NONE &&
	    alg <= DKIMSA_ALG_RSA_SHA1)
		metrics_add(&metrics_st.sigs[alg], 1);
}

void
metrics_sign_failure(int reason)
{
	if (metrics_enabled() && reason >= 0 && reason < METRICS_NSF)
		metrics_add(&metrics_st.sign_fail[reason], 1);
}

void
metrics_verify_result(int method, int res)
{
	if (metrics_enabled() && method >= 0 && method < METRICS_NMETHODS &&
	    res >= 0 && res < METRICS_NRES)
		metrics_add(&metrics_st.verify[method][res], 1);
}

void
metrics_forged_removed(int n)
{
	if (metrics_enabled() && n > 0)
		metrics_add(&metrics_st.forged, (uint64_t)n);
}

void
metrics_worker_job(void)
{
	if (metrics_enabled())
		metrics_add(&metrics_st.jobs, 1);
}

void
metrics_loaded(void)
{
	if (metrics_enabled())
		atomic_store(&metrics_st.last_reload, (long long)time(NULL));
}

void
metrics_reload(int ok)
{
	if (!metrics_enabled())
		return;
	metrics_add(&metrics_st.reload[ok ? 0 : 1], 1);
	if (ok)
		metrics_loaded();
}

static int
metrics_dns_type(int rrtype)
{
	switch (rrtype) {
	case 1:
		return METRICS_DT_A;
	case 28:
		return METRICS_DT_AAAA;
	case 15:
		return METRICS_DT_MX;
	case 12:
		return METRICS_DT_PTR;
	case 16:
		return METRICS_DT_TXT;
	case 99:
		return METRICS_DT_SPF;
	default:
		return METRICS_DT_OTHER;
	}
}

void
metrics_dns(void *arg, const dkimsa_dns_stat *st)
{
	int t = metrics_dns_type(st->type);

	(void)arg;
	if (!metrics_enabled())
		return;
	if (st->cached) {
		metrics_add(&metrics_st.cache[t], 1);
		return;
	}
	if (st->outcome >= 0 && st->outcome < METRICS_NDNSOUT)
		metrics_add(&metrics_st.dns[t][st->outcome], 1);
	metrics_observe(&metrics_st.dns_time, st->usec);
}

void
metrics_gauges(int (*connections)(void), int (*in_progress)(void))
{
	metrics_conns_fn = connections;
	metrics_inflight_fn = in_progress;
}

int
metrics_gauge_connections(void)
{
	return metrics_conns_fn ? metrics_conns_fn() : 0;
}

int
metrics_gauge_in_progress(void)
{
	return metrics_inflight_fn ? metrics_inflight_fn() : 0;
}
