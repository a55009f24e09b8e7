/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns.c - the DNS layer: the common front end (name checks, query budget,
 * answers) and the libunbound backend.  This is the only file that
 * includes unbound.h.
 *
 * One ub_ctx per dns_ctx, in threaded async mode (ub_ctx_async(ctx, 1):
 * a resolver thread, no fork), so its cache is shared by every caller.
 * Queries are sent with ub_resolve_async(); one dispatcher thread polls
 * ub_fd() and runs ub_process(), whose callbacks hand the answer to the
 * waiting query under the context lock.  A waiter that reaches its
 * deadline calls ub_cancel(); if the answer is already being delivered it
 * waits for it (the callback is then imminent), so a query is never freed
 * while libunbound may still call back.
 *
 * In front of it, answers with a TTL (data, NXDOMAIN, NODATA) are kept in
 * the context's dnscache: a repeated lookup is answered at start, without
 * libunbound, its budget still charged.
 *
 * A thread may also carry a deadline (dkimsa_dns_deadline_set: one time
 * budget for a message whose queries run in several threads): no query is
 * sent once it has passed, and no wait goes past it.
 *
 * RFC 1035 sections 2.3.4 (name limits) and 3.3 (RDATA of A, MX, PTR,
 * TXT), RFC 3596 (AAAA), RFC 4033-4035 via libunbound (secure/bogus).
 *
 * Memory: a dns_ctx owns its ub_ctx and thread; answers belong to the
 * caller (dns_answer_free); queries are freed by dns_query_wait/_cancel.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unbound.h>

#include "dns_int.h"
#include "lib.h"

#define DNS_DEFAULT_TA "/usr/share/dns/root.key"
#define DNS_DEFAULT_TIMEOUT_MS 10000
/* Answers kept in front of libunbound (dnscache.c) per context. */
#define DNS_CACHE_ENTRIES 16384

/* The calling thread's deadline, CLOCK_MONOTONIC ms; 0: none. */
static _Thread_local long long dns_deadline;
/* dkimsa_dns_cache_only(): on, and whether a query missed since */
static _Thread_local int dns_cacheonly, dns_missed;

/* Returned when even an answer cannot be allocated; never freed. */
static struct dns_answer dns_nomem = {.status = DNS_NOMEM};

/* ---- answers ---- */

struct dns_answer *
dns_answer_new(enum dns_status st, int secure)
{
	struct dns_answer *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return &dns_nomem;
	a->status = st;
	a->secure = secure;
	return a;
}

int
dns_answer_add(struct dns_answer *a, const void *data, size_t len,
	       unsigned pref)
{
	struct dns_rr *rr;
	unsigned char *copy;

	if (a == &dns_nomem)
		return -1;
	rr = realloc(a->rr, (a->count + 1) * sizeof(*rr));
	if (rr == NULL)
		return -1;
	a->rr = rr;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, data, len);
	copy[len] = '\0';
	rr[a->count].data = copy;
	rr[a->count].len = len;
	rr[a->count].pref = pref;
	a->count++;
	return 0;
}

void
dns_answer_why(struct dns_answer *a, const char *text)
{
	if (a == &dns_nomem || text == NULL)
		return;
	free(a->why);
	a->why = strdup(text);
}

void
dns_answer_free(struct dns_answer *a)
{
	size_t i;

	if (a == NULL || a == &dns_nomem)
		return;
	for (i = 0; i < a->count; i++)
		free(a->rr[i].data);
	free(a->rr);
	free(a->why);
	free(a);
}

const char *
dns_status_name(enum dns_status st)
{
	static const char *const names[] = {
	    [DNS_OK] = "ok",
	    [DNS_NXDOMAIN] = "nxdomain",
	    [DNS_NODATA] = "nodata",
	    [DNS_SERVFAIL] = "servfail",
	    [DNS_TIMEOUT] = "timeout",
	    [DNS_BOGUS] = "bogus",
	    [DNS_BADNAME] = "bad name",
	    [DNS_LIMIT] = "limit",
	    [DNS_NOMEM] = "out of memory",
	};

	if ((unsigned)st < sizeof(names) / sizeof(names[0]))
		return names[st];
	return "unknown";
}

/* ---- deadlines ---- */

static long long
dns_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
dkimsa_dns_deadline_new(dkimsa_lib *lib)
{
	char err[512];
	dns_ctx *ctx = lib_dns(lib, err, sizeof(err));

	return ctx != NULL ? dns_now_ms() + ctx->timeout_ms : 0;
}

void
dkimsa_dns_deadline_set(long long deadline)
{
	dns_deadline = deadline > 0 ? deadline : 0;
}

long long
dkimsa_dns_deadline_get(void)
{
	return dns_deadline;
}

int
dkimsa_dns_cache_only(int on)
{
	int missed = dns_missed;

	dns_cacheonly = on != 0;
	dns_missed = 0;
	return missed;
}

int
dns_query_ready(const dns_query *q)
{
	return q == NULL || !q->pending;
}

/* How long a wait may last: the context's timeout, cut at the deadline. */
static unsigned
dns_wait_ms(const dns_ctx *ctx)
{
	long long left;

	if (dns_deadline == 0)
		return ctx->timeout_ms;
	left = dns_deadline - dns_now_ms();
	if (left <= 0)
		return 0;
	return left < (long long)ctx->timeout_ms ? (unsigned)left
						 : ctx->timeout_ms;
}

/* ---- front end ---- */

dns_ctx *
dns_ctx_alloc(const struct dns_backend *be, unsigned timeout_ms)
{
	dns_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		return NULL;
	ctx->be = be;
	ctx->timeout_ms = timeout_ms ? timeout_ms : DNS_DEFAULT_TIMEOUT_MS;
	atomic_init(&ctx->sent, 0);
	return ctx;
}

void
dns_ctx_free(dns_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx->be->free(ctx);
	dnscache_free(ctx->cache);
	free(ctx);
}

unsigned long
dns_ctx_sent(dns_ctx *ctx)
{
	return atomic_load(&ctx->sent);
}

void
dns_ctx_set_stats(dns_ctx *ctx, dkimsa_stats_fn fn, void *arg)
{
	ctx->stats_fn = fn;
	ctx->stats_arg = arg;
}

static long long
dns_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Tells the stats callback of a lookup answered (sent or cached). */
static void
dns_stat(const dns_query *q, const struct dns_answer *a)
{
	static const int outcome[] = {
	    [DNS_OK] = DKIMSA_DNS_ANSWER,
	    [DNS_NXDOMAIN] = DKIMSA_DNS_NXDOMAIN,
	    [DNS_NODATA] = DKIMSA_DNS_NODATA,
	    [DNS_SERVFAIL] = DKIMSA_DNS_SERVFAIL,
	    [DNS_TIMEOUT] = DKIMSA_DNS_TIMEOUT,
	    [DNS_BOGUS] = DKIMSA_DNS_BOGUS,
	};
	dkimsa_dns_stat st;
	long long ns;

	if (q->ctx->stats_fn == NULL || (q->sent_ns == 0 && !q->cached))
		return;
	st.type = q->type;
	st.outcome = (unsigned)a->status < sizeof(outcome) / sizeof(outcome[0])
			 ? outcome[a->status]
			 : DKIMSA_DNS_ERROR;
	if (a->status == DNS_NOMEM)
		st.outcome = DKIMSA_DNS_ERROR;
	st.cached = q->cached;
	ns = q->sent_ns ? (q->done_ns ? q->done_ns : dns_now_ns()) - q->sent_ns
			: 0;
	st.usec = ns > 0 ? (unsigned long)(ns / 1000) : 0;
	q->ctx->stats_fn(q->ctx->stats_arg, &st);
}

static int
dns_plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Checks a name (RFC 1035 2.3.4: labels 1-63 bytes, 253 bytes in all, an
 * optional final dot) and fills q->name (lower-case) and q->esc (every
 * byte other than letters, digits, '-' and '_' as \DDD).  0 or -1.
 */
static int
dns_name_prepare(const char *name, dns_query *q)
{
	size_t n = strlen(name), i, label = 0, e = 0;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > DNS_NAME_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
			q->esc[e++] = '.';
		} else if (++label > 63) {
			return -1;
		} else if (dns_plain_byte(c)) {
			q->esc[e++] = (char)c;
		} else {
			e += (size_t)snprintf(q->esc + e, 5, "\\%03u", c);
		}
		q->name[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
	}
	if (label == 0)
		return -1;
	q->name[n] = '\0';
	q->esc[e] = '\0';
	return 0;
}

static dns_query *
dns_query_answered(dns_query *q, enum dns_status st, const char *why)
{
	q->ans = dns_answer_new(st, 0);
	dns_answer_why(q->ans, why);
	return q;
}

dns_query *
dns_query_start(dns_ctx *ctx, struct dns_budget *budget, const char *name,
		int type)
{
	dns_query *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return NULL;
	q->ctx = ctx;
	q->type = type;
	if (name == NULL || dns_name_prepare(name, q) != 0)
		return dns_query_answered(q, DNS_BADNAME,
					  "empty label, label over 63 bytes "
					  "or name over 253 bytes");
	if (budget != NULL) {
		if (budget->used >= budget->max)
			return dns_query_answered(q, DNS_LIMIT,
						  "query budget spent");
		budget->used++;
	}
	if (dns_deadline != 0 && dns_now_ms() >= dns_deadline)
		return dns_query_answered(q, DNS_TIMEOUT,
					  "DNS time of the message used up");
	if (ctx->cache != NULL &&
	    (q->ans = dnscache_get(ctx->cache, q->name, type)) != NULL) {
		q->cached = 1;
		return q;
	}
	if (dns_cacheonly) {
		dns_missed = 1;
		return dns_query_answered(q, DNS_TIMEOUT,
					  "not cached (cache-only lookup)");
	}
	atomic_fetch_add(&ctx->sent, 1);
	if (ctx->stats_fn != NULL)
		q->sent_ns = dns_now_ns();
	q->pending = ctx->be->start(ctx, q);
	return q;
}

struct dns_answer *
dns_query_wait(dns_query *q)
{
	struct dns_answer *a;

	if (q == NULL)
		return &dns_nomem;
	if (q->pending) {
		a = q->ctx->be->wait(q);
		if (a != NULL && q->ctx->cache != NULL)
			dnscache_put(q->ctx->cache, q->name, q->type, a);
	} else {
		a = q->ans;
	}
	dns_stat(q, a != NULL ? a : &dns_nomem);
	free(q);
	return a != NULL ? a : &dns_nomem;
}

void
dns_query_cancel(dns_query *q)
{
	if (q == NULL)
		return;
	if (q->pending)
		q->ctx->be->cancel(q);
	else
		dns_answer_free(q->ans);
	free(q);
}

struct dns_answer *
dns_lookup(dns_ctx *ctx, struct dns_budget *budget, const char *name, int type)
{
	return dns_query_wait(dns_query_start(ctx, budget, name, type));
}

/* ---- libunbound backend: decoding answers ---- */

/* Wire-format name (uncompressed) to lower-case text without final dot. */
static int
ubd_name(const unsigned char *p, size_t len, char *out, size_t outlen)
{
	size_t i = 0, o = 0;

	while (i < len && p[i] != 0) {
		size_t n = p[i++];

		if (n > 63 || i + n > len || o + n + 1 >= outlen)
			return -1;
		if (o > 0)
			out[o++] = '.';
		for (; n > 0; n--, i++)
			out[o++] = (p[i] >= 'A' && p[i] <= 'Z')
				       ? (char)(p[i] + 32)
				       : (char)p[i];
	}
	if (i >= len)
		return -1;
	out[o] = '\0';
	return 0;
}

/* One RDATA to a record; -1 when malformed or out of memory. */
static int
ubd_rdata(struct dns_answer *a, int type, const unsigned char *p, size_t len)
{
	char text[DNS_NAME_MAX + 3];
	size_t i = 0, o = 0;

	switch (type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		if (len != (type == DNS_T_A ? 4u : 16u))
			return -1;
		return dns_answer_add(a, p, len, 0);
	case DNS_T_PTR:
		if (ubd_name(p, len, text, sizeof(text)) != 0)
			return -1;
		return dns_answer_add(a, text, strlen(text), 0);
	case DNS_T_MX:
		if (len < 3 ||
		    ubd_name(p + 2, len - 2, text, sizeof(text)) != 0)
			return -1;
		return dns_answer_add(a, text, strlen(text),
				      (unsigned)(p[0] << 8 | p[1]));
	default: { /* TXT, SPF: character-strings, concatenated */
		unsigned char *buf = malloc(len + 1);
		int rc;

		if (buf == NULL)
			return -1;
		while (i < len) {
			size_t n = p[i++];

			if (i + n > len) {
				free(buf);
				return -1;
			}
			memcpy(buf + o, p + i, n);
			o += n;
			i += n;
		}
		rc = dns_answer_add(a, buf, o, 0);
		free(buf);
		return rc;
	}
	}
}

/*
 * NXDOMAIN or NODATA with the time it may be kept: libunbound's ttl for a
 * negative answer is the SOA's negative TTL (RFC 2308 section 5).
 */
static struct dns_answer *
ubd_negative(enum dns_status st, const struct ub_result *r)
{
	struct dns_answer *a = dns_answer_new(st, r->secure);

	if (a->status == st)
		a->ttl = r->ttl > 0 ? (unsigned)r->ttl : 0;
	return a;
}

static struct dns_answer *
ubd_answer(int type, int err, const struct ub_result *r)
{
	struct dns_answer *a;
	char why[64];
	int i;

	if (err != 0) {
		a = dns_answer_new(DNS_SERVFAIL, 0);
		dns_answer_why(a, ub_strerror(err));
		return a;
	}
	if (r->bogus) {
		a = dns_answer_new(DNS_BOGUS, 0);
		dns_answer_why(a, r->why_bogus ? r->why_bogus
					       : "DNSSEC validation failed");
		return a;
	}
	if (r->rcode == 3 || r->nxdomain)
		return ubd_negative(DNS_NXDOMAIN, r);
	if (r->rcode != 0) {
		a = dns_answer_new(DNS_SERVFAIL, 0);
		snprintf(why, sizeof(why), "rcode %d%s", r->rcode,
			 r->rcode == 2	 ? " (SERVFAIL)"
			 : r->rcode == 5 ? " (REFUSED)"
					 : "");
		dns_answer_why(a, why);
		return a;
	}
	if (!r->havedata)
		return ubd_negative(DNS_NODATA, r);
	a = dns_answer_new(DNS_OK, r->secure);
	a->ttl = r->ttl > 0 ? (unsigned)r->ttl : 0;
	for (i = 0; r->data[i] != NULL; i++) {
		if (ubd_rdata(a, type, (const unsigned char *)r->data[i],
			      (size_t)r->len[i]) != 0) {
			dns_answer_free(a);
			a = dns_answer_new(DNS_SERVFAIL, 0);
			dns_answer_why(a, "malformed record data");
			return a;
		}
	}
	return a;
}

/* ---- libunbound backend: the context ---- */

/*
 * libunbound keeps some state per process, not per context: its log file
 * and locks that creating a context sets up and deleting one destroys
 * (listen_setup_locks / listen_desetup_locks).  Contexts are created and
 * deleted under this lock, one at a time, so a reload (a new context)
 * never runs into the deletion of an old one in another thread.
 */
static pthread_mutex_t ubd_global = PTHREAD_MUTEX_INITIALIZER;

struct ubd {
	struct ub_ctx *ub;
	pthread_mutex_t lock;
	pthread_t thread;
	int wake[2]; /* the dispatcher stops when wake[0] is readable */
	int running;
};

static void *
ubd_dispatch(void *arg)
{
	struct ubd *u = arg;

	for (;;) {
		struct pollfd p[2] = {{ub_fd(u->ub), POLLIN, 0},
				      {u->wake[0], POLLIN, 0}};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents != 0)
			break;
		if (p[0].revents != 0)
			ub_process(u->ub);
	}
	return NULL;
}

static void
ubd_callback(void *arg, int err, struct ub_result *r)
{
	dns_query *q = arg;
	struct ubd *u = q->ctx->priv;
	struct dns_answer *a = ubd_answer(q->type, err, r);

	if (r != NULL)
		ub_resolve_free(r);
	pthread_mutex_lock(&u->lock);
	q->ans = a;
	q->done = 1;
	if (q->sent_ns != 0)
		q->done_ns = dns_now_ns(); /* the latency the stats report */
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&u->lock);
}

static int
ubd_start(dns_ctx *ctx, dns_query *q)
{
	struct ubd *u = ctx->priv;
	pthread_condattr_t attr;
	int rc;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &attr);
	pthread_condattr_destroy(&attr);
	rc = ub_resolve_async(u->ub, q->esc, q->type, 1, q, ubd_callback,
			      &q->async_id);
	if (rc != 0) {
		pthread_cond_destroy(&q->cond);
		dns_query_answered(q, DNS_SERVFAIL, ub_strerror(rc));
		return 0;
	}
	return 1;
}

/*
 * Waits up to ms for q's answer.  At the deadline the query is cancelled
 * and NULL returned, unless libunbound is already delivering the answer
 * (ub_cancel finds no such query): then that answer is awaited.
 */
static struct dns_answer *
ubd_collect(dns_query *q, unsigned ms)
{
	struct ubd *u = q->ctx->priv;
	struct timespec end;
	struct dns_answer *a;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&u->lock);
	while (!q->done)
		if (pthread_cond_timedwait(&q->cond, &u->lock, &end) ==
		    ETIMEDOUT)
			break;
	if (!q->done) {
		pthread_mutex_unlock(&u->lock);
		if (ub_cancel(u->ub, q->async_id) == UB_NOERROR) {
			pthread_cond_destroy(&q->cond);
			return NULL;
		}
		pthread_mutex_lock(&u->lock);
		while (!q->done)
			pthread_cond_wait(&q->cond, &u->lock);
	}
	a = q->ans;
	pthread_mutex_unlock(&u->lock);
	pthread_cond_destroy(&q->cond);
	return a;
}

static struct dns_answer *
ubd_wait(dns_query *q)
{
	unsigned ms = dns_wait_ms(q->ctx);
	struct dns_answer *a = ubd_collect(q, ms);
	char why[80];

	if (a == NULL) {
		a = dns_answer_new(DNS_TIMEOUT, 0);
		if (ms < q->ctx->timeout_ms)
			snprintf(why, sizeof(why),
				 "no answer within the DNS time of the "
				 "message");
		else
			snprintf(why, sizeof(why), "no answer within %u ms",
				 ms);
		dns_answer_why(a, why);
	}
	return a;
}

static void
ubd_cancel(dns_query *q)
{
	dns_answer_free(ubd_collect(q, 0));
}

static void
ubd_free(dns_ctx *ctx)
{
	struct ubd *u = ctx->priv;

	if (u == NULL)
		return;
	if (u->running) {
		if (write(u->wake[1], "x", 1) != 1)
			pthread_cancel(u->thread);
		pthread_join(u->thread, NULL);
	}
	if (u->ub != NULL) {
		pthread_mutex_lock(&ubd_global);
		ub_ctx_delete(u->ub);
		pthread_mutex_unlock(&ubd_global);
	}
	if (u->wake[0] >= 0) {
		close(u->wake[0]);
		close(u->wake[1]);
	}
	pthread_mutex_destroy(&u->lock);
	free(u);
}

static const struct dns_backend ubd_backend = {
    "libunbound", ubd_start, ubd_wait, ubd_cancel, ubd_free,
};

/* ---- libunbound backend: start-up and options ---- */

/* The "error: ..." lines libunbound logged during start-up, joined. */
static void
ubd_log_errors(FILE *log, char *out, size_t outlen)
{
	char line[512];
	size_t o = 0;

	out[0] = '\0';
	if (log == NULL)
		return;
	fflush(log);
	rewind(log);
	while (fgets(line, sizeof(line), log) != NULL && o + 3 < outlen) {
		char *e = strstr(line, "error: ");

		if (e == NULL)
			continue;
		e += 7;
		e[strcspn(e, "\r\n")] = '\0';
		o += (size_t)snprintf(out + o, outlen - o, "%s%s",
				      o ? "; " : "", e);
	}
}

/* 0 when path is a readable, non-empty file; else the reason in err. */
static int
ubd_readable(const char *what, const char *path, char *err, size_t errlen)
{
	char c;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	n = read(fd, &c, 1);
	if (n < 0)
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
	else if (n == 0)
		snprintf(err, errlen, "%s %s: file is empty", what, path);
	close(fd);
	return n == 1 ? 0 : -1;
}

/* Whether the unbound.conf already configured a trust anchor. */
static int
ubd_conf_has_ta(struct ub_ctx *ub)
{
	static const char *const opts[] = {"trust-anchor-file",
					   "auto-trust-anchor-file",
					   "trust-anchor", "trusted-keys-file"};
	size_t i;
	int has = 0;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char *s = NULL;

		if (ub_ctx_get_option(ub, opts[i], &s) == 0 && s != NULL &&
		    s[strspn(s, " \t\r\n")] != '\0')
			has = 1;
		free(s);
	}
	return has;
}

static int
ubd_set_fwd(struct ub_ctx *ub, const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int rc = 0;

	if (copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ", \t", &save))
		if (ub_ctx_set_fwd(ub, tok) != 0) {
			snprintf(err, errlen,
				 "Nameservers: \"%s\" is not an address "
				 "(want ADDR or ADDR@PORT)",
				 tok);
			rc = -1;
		}
	free(copy);
	return rc;
}

static int
ubd_set_ta(struct ub_ctx *ub, const char *ta, char *err, size_t errlen)
{
	int rc;

	if (ta == NULL) {
		if (ubd_conf_has_ta(ub) || access(DNS_DEFAULT_TA, R_OK) != 0)
			return 0;
		ta = DNS_DEFAULT_TA;
	} else if (*ta == '\0' || strcmp(ta, "none") == 0) {
		return 0;
	} else if (ubd_readable("TrustAnchorFile", ta, err, errlen) != 0) {
		return -1;
	}
	if ((rc = ub_ctx_add_ta_file(ub, ta)) != 0) {
		snprintf(err, errlen, "TrustAnchorFile %s: %s", ta,
			 ub_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Configures u->ub and forces libunbound to finalize it (load anchors,
 * auth zones, modules) now, so broken files are start-up errors.
 */
static int
ubd_setup(struct ubd *u, const struct dns_opts *o, FILE *log, char *err,
	  size_t errlen)
{
	const char *conf = o->unbound_conf;
	char logged[400];
	int rc;

	if (conf != NULL && *conf == '\0')
		conf = NULL;
	if (conf != NULL &&
	    ubd_readable("UnboundConfigFile", conf, err, errlen) != 0)
		return -1;
	if ((u->ub = ub_ctx_create()) == NULL) {
		snprintf(err, errlen, "cannot create a libunbound context");
		return -1;
	}
	ub_ctx_debugout(u->ub, log);
	if ((rc = ub_ctx_async(u->ub, 1)) != 0) {
		snprintf(err, errlen, "libunbound: %s", ub_strerror(rc));
		return -1;
	}
	if (conf != NULL && (rc = ub_ctx_config(u->ub, conf)) != 0) {
		ubd_log_errors(log, logged, sizeof(logged));
		snprintf(err, errlen, "UnboundConfigFile %s: %s%s%s", conf,
			 ub_strerror(rc), *logged ? ": " : "", logged);
		return -1;
	}
	if (o->nameservers != NULL &&
	    ubd_set_fwd(u->ub, o->nameservers, err, errlen) != 0)
		return -1;
	if (ubd_set_ta(u->ub, o->trust_anchor_file, err, errlen) != 0)
		return -1;
	/* finalizes the context; the zone does not exist */
	rc = ub_ctx_zone_remove(u->ub, "finalize.dkimsa.invalid.");
	if (rc != 0) {
		ubd_log_errors(log, logged, sizeof(logged));
		snprintf(err, errlen,
			 "DNS resolver could not start (TrustAnchorFile %s, "
			 "UnboundConfigFile %s): %s%s%s",
			 o->trust_anchor_file ? o->trust_anchor_file
					      : "default",
			 conf ? conf : "none", ub_strerror(rc),
			 *logged ? ": " : "", logged);
		return -1;
	}
	return 0;
}

dns_ctx *
dns_ctx_new(const struct dns_opts *opts, char *err, size_t errlen)
{
	static const struct dns_opts none;
	const struct dns_opts *o = opts ? opts : &none;
	dns_ctx *ctx = dns_ctx_alloc(&ubd_backend, o->timeout_ms);
	struct ubd *u = calloc(1, sizeof(*u));
	FILE *log = tmpfile();
	int rc = -1, setup;

	if (ctx == NULL || u == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ctx->priv = u;
	pthread_mutex_init(&u->lock, NULL);
	u->wake[0] = u->wake[1] = -1;
	pthread_mutex_lock(&ubd_global);
	setup = ubd_setup(u, o, log, err, errlen);
	/* libunbound logs nowhere from now on: the library never logs */
	if (u->ub != NULL)
		ub_ctx_debugout(u->ub, NULL);
	pthread_mutex_unlock(&ubd_global);
	if (setup != 0)
		goto out;
	if (pipe(u->wake) != 0) {
		u->wake[0] = u->wake[1] = -1;
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	if (pthread_create(&u->thread, NULL, ubd_dispatch, u) != 0) {
		snprintf(err, errlen, "cannot start the DNS dispatcher thread");
		goto out;
	}
	u->running = 1;
	if ((ctx->cache = dnscache_new(DNS_CACHE_ENTRIES)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (log != NULL)
		fclose(log);
	if (rc == 0)
		return ctx;
	if (ctx != NULL)
		dns_ctx_free(ctx);
	else
		free(u);
	return NULL;
}
