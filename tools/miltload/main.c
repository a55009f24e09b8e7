/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-miltload - a milter-protocol load client: N connections, each a
 * thread running milter sessions back to back, measuring messages/s,
 * latency per message (MAIL to the final reply) and the milter's CPU
 * time per message from /proc/PID/stat (see dkimsa-miltload(1)).
 * Memory: main owns the message and the worker array; each worker owns
 * its session and its stats until they are merged.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "mlmsg.h"
#include "mlstats.h"
#include "msess.h"

#define MILTLOAD_MAX_CONNS 20000
#define MILTLOAD_MAX_ERRLOG 5	    /* error lines printed per worker */
#define MILTLOAD_STACK (256 * 1024) /* per worker thread */
#define MILTLOAD_SPARE_FDS 16	    /* stdio, message file, ... */

struct miltload_opts {
	struct msess_opts sess;
	int conns;
	unsigned long per_conn; /* messages per session; 0: no limit */
	double seconds;		/* 0: one session of per_conn messages */
	size_t body_bytes;
	const char *msgfile;
	const char *dumpfile; /* -w: write the message here and exit */
	long pid;
};

struct worker {
	const struct miltload_opts *o;
	const struct mlmsg *msg;
	double deadline_us;
	int id;
	struct mlstats st;
	unsigned long dkim_sigs, ar_hdrs, ar_pass, sessions, cut;
	int errlog;
	pthread_t th;
};

static double
miltload_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: dkimsa-miltload -s SOCKET [-c CONNECTIONS] "
		"[-n MESSAGES] [-d SECONDS]\n"
		"         [-b BODYSIZE[k]] [-m MESSAGEFILE] [-a CLIENTADDR] "
		"[-N CLIENTNAME]\n"
		"         [-H HELO] [-f FROM] [-r RCPT] [-j MTANAME] "
		"[-p MILTERPID] [-t TIMEOUT] [-v] [-W]\n"
		"       dkimsa-miltload -w FILE [-b BODYSIZE[k]] [-f FROM] "
		"[-r RCPT]\n");
	exit(2);
}

static void
worker_error(struct worker *w, const char *qid, const char *why)
{
	if (w->errlog++ < MILTLOAD_MAX_ERRLOG)
		fprintf(stderr, "dkimsa-miltload: worker %d, %s: %s\n", w->id,
			qid, why);
}

/* One session of up to per_conn messages; returns messages sent. */
static unsigned long
worker_session(struct worker *w, unsigned long *seq)
{
	const struct miltload_opts *o = w->o;
	struct msess s;
	struct msess_result r;
	char qid[32], err[300];
	unsigned long n = 0;
	int broken = 0;

	snprintf(qid, sizeof(qid), "L%02dQ%06lu", w->id, *seq);
	if (msess_open(&s, &o->sess, 40000 + (unsigned)w->id, err,
		       sizeof(err)) != 0) {
		mlstats_add(&w->st, MLSTATS_ERROR, 0);
		worker_error(w, qid, err);
		(*seq)++;
		usleep(100000); /* do not spin on a milter that is down */
		return 1;
	}
	w->sessions++;
	if (s.done) { /* a verdict for the connection: one message's worth */
		mlstats_add(&w->st, s.verdict, 0);
		(*seq)++;
		msess_close(&s, 0);
		return 1;
	}
	while (!broken && (o->per_conn == 0 || n < o->per_conn) &&
	       (o->seconds <= 0 || miltload_now_us() < w->deadline_us)) {
		snprintf(qid, sizeof(qid), "L%02dQ%06lu", w->id, (*seq)++);
		msess_message(&s, w->msg, qid, &r);
		mlstats_add(&w->st, r.reply, r.lat_us);
		w->dkim_sigs += (unsigned long)r.dkim_sigs;
		w->ar_hdrs += (unsigned long)r.ar_hdrs;
		w->ar_pass += (unsigned long)r.ar_pass;
		w->cut += (unsigned long)r.cut;
		n++;
		if (r.reply == MLSTATS_ERROR) {
			worker_error(w, qid, r.why);
			broken = 1;
		}
		if (r.hangup) /* Postfix's smtpd hangs up after a 421 */
			break;
	}
	msess_close(&s, broken);
	return n;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	unsigned long seq = 1, sent = 0;

	do {
		sent += worker_session(w, &seq);
	} while (w->o->seconds > 0 ? miltload_now_us() < w->deadline_us
				   : sent < w->o->per_conn);
	return NULL;
}

static size_t
parse_size(const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg)
		usage();
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	if (*end != '\0' || v > 64UL * 1024 * 1024)
		usage();
	return v;
}

static long
parse_long(const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		usage();
	return v;
}

static void
opts_defaults(struct miltload_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->conns = 1;
	o->body_bytes = 1024;
	o->sess.client_addr = "127.0.0.1";
	o->sess.from = "user@example.test";
	o->sess.rcpt = "rcpt@example.net";
	o->sess.authserv = "mx.example.test";
	o->sess.timeout_s = 30;
}

static void
parse_args(int argc, char **argv, struct miltload_opts *o)
{
	int ch;

	opts_defaults(o);
	while ((ch = getopt(argc, argv, "a:b:c:d:f:H:j:m:n:N:p:r:s:t:vWw:")) !=
	       -1)
		switch (ch) {
		case 'a':
			o->sess.client_addr = optarg;
			break;
		case 'b':
			o->body_bytes = parse_size(optarg);
			break;
		case 'c':
			o->conns =
			    (int)parse_long(optarg, 1, MILTLOAD_MAX_CONNS);
			break;
		case 'd':
			o->seconds = atof(optarg);
			break;
		case 'f':
			o->sess.from = optarg;
			break;
		case 'H':
			o->sess.helo = optarg;
			break;
		case 'j':
			o->sess.authserv = optarg;
			break;
		case 'm':
			o->msgfile = optarg;
			break;
		case 'n':
			o->per_conn =
			    (unsigned long)parse_long(optarg, 1, 100000000);
			break;
		case 'N':
			o->sess.client_name = optarg;
			break;
		case 'p':
			o->pid = parse_long(optarg, 1, 1L << 30);
			break;
		case 'r':
			o->sess.rcpt = optarg;
			break;
		case 's':
			o->sess.socket = optarg;
			break;
		case 't':
			o->sess.timeout_s = (int)parse_long(optarg, 1, 3600);
			break;
		case 'v':
			o->sess.verbose = 1;
			break;
		case 'W':
			o->sess.per_packet = 1;
			break;
		case 'w':
			o->dumpfile = optarg;
			break;
		default:
			usage();
		}
	if (optind != argc || o->seconds < 0 ||
	    (o->sess.socket == NULL && o->dumpfile == NULL))
		usage();
	if (o->seconds == 0 && o->per_conn == 0)
		o->per_conn = 100;
	if (o->sess.client_name == NULL)
		o->sess.client_name =
		    strcmp(o->sess.client_addr, "127.0.0.1") == 0 ||
			    strcmp(o->sess.client_addr, "::1") == 0
			? "localhost"
			: "unknown";
	if (o->sess.helo == NULL)
		o->sess.helo = "client.example.test";
}

struct totals {
	unsigned long dkim, ar, ar_pass, cut;
};

static void
report(const struct miltload_opts *o, const struct mlmsg *msg,
       struct mlstats *st, double secs, const struct totals *t, double cpu)
{
	unsigned long done = st->n;
	double rate = secs > 0 ? (double)done / secs : 0;
	double p50 = mlstats_percentile(st, 50) / 1e3;
	double p99 = mlstats_percentile(st, 99) / 1e3;
	double max = mlstats_percentile(st, 100) / 1e3;
	double cpu_us = cpu >= 0 && done > 0 ? cpu * 1e6 / (double)done : -1;

	printf("messages: %lu in %.2f s = %.1f/s (%d connections, %zu-byte "
	       "body%s, client %s)\n",
	       done, secs, rate, o->conns, msg->body_len,
	       o->msgfile ? " from file" : "", o->sess.client_addr);
	printf("latency MAIL to final reply: p50 %.3f ms, p99 %.3f ms, max "
	       "%.3f ms\n",
	       p50, p99, max);
	printf("replies: accept %lu, continue %lu, reject %lu, tempfail %lu, "
	       "discard %lu, errors %lu (%lu cut off after MAIL)\n",
	       st->count[MLSTATS_ACCEPT], st->count[MLSTATS_CONTINUE],
	       st->count[MLSTATS_REJECT], st->count[MLSTATS_TEMPFAIL],
	       st->count[MLSTATS_DISCARD], st->count[MLSTATS_ERROR], t->cut);
	printf("headers added: DKIM-Signature %lu, Authentication-Results %lu "
	       "(%lu with dkim=pass)\n",
	       t->dkim, t->ar, t->ar_pass);
	if (cpu_us >= 0)
		printf("milter CPU (pid %ld): %.3f s = %.1f us/message\n",
		       o->pid, cpu, cpu_us);
	printf("RESULT msgs=%lu secs=%.3f rate=%.1f p50_ms=%.3f p99_ms=%.3f "
	       "max_ms=%.3f accept=%lu continue=%lu reject=%lu tempfail=%lu "
	       "discard=%lu cut=%lu errors=%lu dkim=%lu ar=%lu ar_pass=%lu "
	       "cpu_us=%.1f\n",
	       done, secs, rate, p50, p99, max, st->count[MLSTATS_ACCEPT],
	       st->count[MLSTATS_CONTINUE], st->count[MLSTATS_REJECT],
	       st->count[MLSTATS_TEMPFAIL], st->count[MLSTATS_DISCARD], t->cut,
	       st->count[MLSTATS_ERROR], t->dkim, t->ar, t->ar_pass, cpu_us);
}

/*
 * One descriptor per connection: the soft RLIMIT_NOFILE goes up to the
 * hard limit when that is needed.  0, or -1 when it cannot.
 */
static int
raise_nofile(int conns)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)conns + MILTLOAD_SPARE_FDS;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		fprintf(stderr,
			"dkimsa-miltload: %d connections need %lu open files; "
			"the hard limit is %lu\n",
			conns, (unsigned long)need, (unsigned long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		fprintf(stderr, "dkimsa-miltload: setrlimit: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static int
run(const struct miltload_opts *o, const struct mlmsg *msg)
{
	struct worker *w;
	struct mlstats all;
	struct totals t = {0, 0, 0, 0};
	pthread_attr_t attr;
	double t0, t1, cpu0 = 0, cpu1 = 0, cpu = -1;
	int i, started = 0;

	if (raise_nofile(o->conns) != 0)
		return 1;
	if ((w = calloc((size_t)o->conns, sizeof(*w))) == NULL)
		return -1;
	memset(&all, 0, sizeof(all));
	if (o->pid && mlstats_proc_cpu(o->pid, &cpu0) != 0) {
		fprintf(stderr, "dkimsa-miltload: cannot read /proc/%ld/stat\n",
			o->pid);
		cpu0 = -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, MILTLOAD_STACK);
	t0 = miltload_now_us();
	for (i = 0; i < o->conns; i++, started++) {
		w[i].o = o;
		w[i].msg = msg;
		w[i].id = i;
		w[i].deadline_us = t0 + o->seconds * 1e6;
		if (pthread_create(&w[i].th, &attr, worker_run, &w[i]) != 0) {
			fprintf(stderr,
				"dkimsa-miltload: cannot start thread\n");
			break;
		}
	}
	pthread_attr_destroy(&attr);
	for (i = 0; i < started; i++) {
		pthread_join(w[i].th, NULL);
		t.dkim += w[i].dkim_sigs;
		t.ar += w[i].ar_hdrs;
		t.ar_pass += w[i].ar_pass;
		t.cut += w[i].cut;
		mlstats_merge(&all, &w[i].st);
	}
	t1 = miltload_now_us();
	if (o->pid && mlstats_proc_cpu(o->pid, &cpu1) == 0 && cpu0 >= 0)
		cpu = cpu1 - cpu0;
	report(o, msg, &all, (t1 - t0) / 1e6, &t, cpu);
	i = all.count[MLSTATS_ERROR] > 0 || started < o->conns ? 1 : 0;
	mlstats_free(&all);
	free(w);
	return i;
}

/* Writes the message as it is sent (CRLF line ends, folded header
 * lines joined by CRLF). */
static int
dump(const char *path, const struct mlmsg *m)
{
	FILE *fp = fopen(path, "wb");
	size_t i;
	const char *v;

	if (fp == NULL) {
		fprintf(stderr, "dkimsa-miltload: %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	for (i = 0; i < m->nhdrs; i++) {
		fprintf(fp, "%s:", m->hdrs[i].name);
		for (v = m->hdrs[i].value; *v; v++)
			if (*v == '\n')
				fputs("\r\n", fp);
			else
				fputc(*v, fp);
		fputs("\r\n", fp);
	}
	fputs("\r\n", fp);
	fwrite(m->body, 1, m->body_len, fp);
	if (fclose(fp) != 0) {
		fprintf(stderr, "dkimsa-miltload: %s: write failed\n", path);
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct miltload_opts o;
	struct mlmsg msg;
	char err[300];
	int rc;

	parse_args(argc, argv, &o);
	if (o.msgfile != NULL) {
		if (mlmsg_read(&msg, o.msgfile, err, sizeof(err)) != 0) {
			fprintf(stderr, "dkimsa-miltload: %s\n", err);
			return 2;
		}
	} else if (mlmsg_generate(&msg, o.sess.from, o.sess.rcpt,
				  o.body_bytes) != 0) {
		fprintf(stderr, "dkimsa-miltload: out of memory\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = o.dumpfile ? dump(o.dumpfile, &msg) : run(&o, &msg);
	mlmsg_free(&msg);
	return rc < 0 ? 2 : rc;
}
