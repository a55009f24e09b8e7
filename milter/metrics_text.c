/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_text.c - see metrics_text.h.  Every label value comes from the
 * name tables of metrics.c, so nothing needs escaping.  A counter is
 * printed at 0 too, so that rate() works from the first scrape; the
 * results a method never gives (dkim=softfail) are printed only when not
 * 0.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cfg.h"
#include "metrics.h"
#include "metrics_text.h"

#define R(x) (1u << DKIMSA_RES_##x)
#define R_SPF                                                                  \
	(R(NONE) | R(PASS) | R(FAIL) | R(SOFTFAIL) | R(NEUTRAL) |              \
	 R(TEMPERROR) | R(PERMERROR))

/* Per method, the results printed even at 0 (none: only when counted). */
static const unsigned metrics_text_results[METRICS_NMETHODS] = {
    [METRICS_M_DKIM] = R(NONE) | R(PASS) | R(FAIL) | R(NEUTRAL) | R(POLICY) |
		       R(TEMPERROR) | R(PERMERROR),
    [METRICS_M_SPF] = R_SPF,
    [METRICS_M_SPF_HELO] = R_SPF,
    [METRICS_M_SENDER_ID] = R_SPF,
    [METRICS_M_ADSP] = R(NONE) | R(PASS) | R(UNKNOWN) | R(FAIL) | R(DISCARD) |
		       R(NXDOMAIN) | R(TEMPERROR) | R(PERMERROR),
    [METRICS_M_DMARC] =
	R(NONE) | R(PASS) | R(FAIL) | R(TEMPERROR) | R(PERMERROR),
    [METRICS_M_ARC] = R(NONE) | R(PASS) | R(FAIL),
};

static unsigned long long
metrics_text_get(const struct metrics_cell *c)
{
	return (unsigned long long)atomic_load_explicit(&c->v,
							memory_order_relaxed);
}

static void
metrics_text_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metrics_text_messages(FILE *f, const struct metrics_store *s)
{
	int mode, a;

	metrics_text_head(f, "dkimsa_messages_total", "counter",
			  "Messages by mode (sign, verify, none: neither) and "
			  "final action.");
	for (mode = 0; mode < METRICS_NMODES; mode++)
		for (a = 0; a < METRICS_NACTIONS; a++)
			fprintf(
			    f,
			    "dkimsa_messages_total{mode=\"%s\",action=\"%s\"} "
			    "%llu\n",
			    metrics_mode_name(mode), cfg_action_name(a),
			    metrics_text_get(&s->msg[mode][a]));
	metrics_text_head(f, "dkimsa_signatures_total", "counter",
			  "DKIM signatures added, by algorithm.");
	for (a = DKIMSA_ALG_RSA_SHA256; a <= DKIMSA_ALG_ED25519_SHA256; a++)
		fprintf(f, "dkimsa_signatures_total{algorithm=\"%s\"} %llu\n",
			dkimsa_alg_name(a), metrics_text_get(&s->sigs[a]));
	metrics_text_head(f, "dkimsa_sign_failures_total", "counter",
			  "Messages that could not be signed, by reason "
			  "class.");
	for (a = 0; a < METRICS_NSF; a++)
		fprintf(f, "dkimsa_sign_failures_total{reason=\"%s\"} %llu\n",
			metrics_sign_fail_name(a),
			metrics_text_get(&s->sign_fail[a]));
}

static void
metrics_text_verify(FILE *f, const struct metrics_store *s)
{
	unsigned long long n;
	int m, r;

	metrics_text_head(f, "dkimsa_verify_results_total", "counter",
			  "Verification results reported, by method and "
			  "result (one per DKIM signature).");
	for (m = 0; m < METRICS_NMETHODS; m++)
		for (r = 0; r < METRICS_NRES; r++) {
			n = metrics_text_get(&s->verify[m][r]);
			if (n == 0 && !(metrics_text_results[m] & (1u << r)))
				continue;
			fprintf(f,
				"dkimsa_verify_results_total{method=\"%s\","
				"result=\"%s\"} %llu\n",
				metrics_method_name(m), dkimsa_res_name(r), n);
		}
	metrics_text_head(f, "dkimsa_forged_authres_removed_total", "counter",
			  "Authentication-Results fields in our name removed "
			  "from arriving messages.");
	fprintf(f, "dkimsa_forged_authres_removed_total %llu\n",
		metrics_text_get(&s->forged));
}

static void
metrics_text_dns(FILE *f, const struct metrics_store *s)
{
	int t, o;

	metrics_text_head(f, "dkimsa_dns_queries_total", "counter",
			  "DNS queries sent to the resolver, by type and "
			  "outcome.");
	for (t = 0; t < METRICS_NDNSTYPES; t++)
		for (o = 0; o < METRICS_NDNSOUT; o++)
			fprintf(f,
				"dkimsa_dns_queries_total{type=\"%s\","
				"outcome=\"%s\"} %llu\n",
				metrics_dns_type_name(t),
				metrics_dns_outcome_name(o),
				metrics_text_get(&s->dns[t][o]));
	metrics_text_head(f, "dkimsa_dns_cache_hits_total", "counter",
			  "DNS lookups answered from the milter's answer "
			  "cache (not sent), by type.");
	for (t = 0; t < METRICS_NDNSTYPES; t++)
		fprintf(f, "dkimsa_dns_cache_hits_total{type=\"%s\"} %llu\n",
			metrics_dns_type_name(t),
			metrics_text_get(&s->cache[t]));
	metrics_text_head(f, "dkimsa_worker_jobs_total", "counter",
			  "DNS work handed to a worker thread (work whose "
			  "answers are all cached is done in the message's "
			  "own thread and not counted).");
	fprintf(f, "dkimsa_worker_jobs_total %llu\n",
		metrics_text_get(&s->jobs));
}

static void
metrics_text_hist(FILE *f, const char *name, const char *label,
		  const struct metrics_hist *h)
{
	unsigned long long cum = 0;
	int i;

	for (i = 0; i <= METRICS_NBUCKETS; i++) {
		cum += metrics_text_get(&h->bucket[i]);
		if (i < METRICS_NBUCKETS)
			fprintf(f, "%s_bucket{%s%sle=\"%g\"} %llu\n", name,
				label, *label ? "," : "",
				metrics_bucket_us[i] / 1e6, cum);
		else
			fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name,
				label, *label ? "," : "", cum);
	}
	fprintf(f, "%s_sum%s%s%s %.6f\n", name, *label ? "{" : "", label,
		*label ? "}" : "", metrics_text_get(&h->sum_us) / 1e6);
	fprintf(f, "%s_count%s%s%s %llu\n", name, *label ? "{" : "", label,
		*label ? "}" : "", cum);
}

static void
metrics_text_times(FILE *f, const struct metrics_store *s)
{
	metrics_text_head(f, "dkimsa_eom_duration_seconds", "histogram",
			  "Milter time per message from end-of-message to the "
			  "reply, by mode.");
	metrics_text_hist(f, "dkimsa_eom_duration_seconds", "mode=\"sign\"",
			  &s->eom[METRICS_MODE_SIGN]);
	metrics_text_hist(f, "dkimsa_eom_duration_seconds", "mode=\"verify\"",
			  &s->eom[METRICS_MODE_VERIFY]);
	metrics_text_head(f, "dkimsa_dns_duration_seconds", "histogram",
			  "DNS lookup time, from sending the query to the "
			  "answer (sent queries only).");
	metrics_text_hist(f, "dkimsa_dns_duration_seconds", "", &s->dns_time);
}

static void
metrics_text_state(FILE *f, const struct metrics_store *s)
{
	metrics_text_head(f, "dkimsa_reloads_total", "counter",
			  "Configuration reloads (SIGHUP) by outcome.");
	fprintf(f, "dkimsa_reloads_total{outcome=\"success\"} %llu\n",
		metrics_text_get(&s->reload[0]));
	fprintf(f, "dkimsa_reloads_total{outcome=\"failure\"} %llu\n",
		metrics_text_get(&s->reload[1]));
	metrics_text_head(f, "dkimsa_last_reload_success_timestamp_seconds",
			  "gauge",
			  "Unix time the configuration in use was loaded (at "
			  "start or by the last successful reload).");
	fprintf(f, "dkimsa_last_reload_success_timestamp_seconds %lld\n",
		(long long)atomic_load(&s->last_reload));
	metrics_text_head(f, "dkimsa_connections_open", "gauge",
			  "Milter connections open.");
	fprintf(f, "dkimsa_connections_open %d\n", metrics_gauge_connections());
	metrics_text_head(f, "dkimsa_messages_in_progress", "gauge",
			  "Messages between MAIL FROM and their end.");
	fprintf(f, "dkimsa_messages_in_progress %d\n",
		metrics_gauge_in_progress());
	metrics_text_head(f, "dkimsa_build_info", "gauge",
			  "Always 1; the version of the running milter.");
	fprintf(f, "dkimsa_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
}

char *
metrics_text_render(size_t *len)
{
	const struct metrics_store *s = metrics_store();
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	metrics_text_messages(f, s);
	metrics_text_verify(f, s);
	metrics_text_dns(f, s);
	metrics_text_times(f, s);
	metrics_text_state(f, s);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}
