/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpsend.c - mailing reports (see rpsend.h): the destination list after
 * RFC 9990 section 4's check, the message, and sendmail(1) run with an
 * argument vector (no shell): sendmail -oi -f FROM -- ADDRESS.
 *
 * Memory: every buffer is local to one call.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "b64.h"
#include "buf.h"
#include "dmarcrua.h"
#include "rpsend.h"
#include "rpxml.h"

unsigned long long
rpsend_size_limit(const char *uri)
{
	const char *bang = strchr(uri, '!');
	unsigned long long v = 0;
	const char *p;

	if (bang == NULL || !isdigit((unsigned char)bang[1]))
		return 0;
	for (p = bang + 1; isdigit((unsigned char)*p); p++) {
		if (v > 1000000000000ULL)
			return 0;
		v = v * 10 + (unsigned)(*p - '0');
	}
	switch (*p) {
	case 'k':
		return v << 10;
	case 'm':
		return v << 20;
	case 'g':
		return v << 30;
	case 't':
		return v << 40;
	case '\0':
		return v;
	default:
		return 0;
	}
}

static void
rpsend_message(buf *m, const struct rpsend_opts *o,
	       const struct rpsend_report *r, const char *to, const buf *gz)
{
	char date[64], boundary[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(boundary, sizeof(boundary), "=_dkimsa_report_%lld_%ld",
		 (long long)now, (long)getpid());
	buf_printf(m, "From: %s\r\nTo: %s\r\nDate: %s\r\n", o->from, to, date);
	buf_printf(m,
		   "Subject: Report Domain: %s\r\n Submitter: %s\r\n"
		   " Report-ID: <%s>\r\n",
		   r->policy_domain, o->receiver, r->report_id);
	buf_printf(m, "Message-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		   r->report_id);
	buf_printf(m,
		   "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n"
		   "\r\n",
		   boundary);
	buf_printf(m,
		   "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
		   "DMARC aggregate report (RFC 9990) for %s from %s.\r\n\r\n",
		   boundary, r->policy_domain, o->receiver);
	buf_printf(m,
		   "--%s\r\nContent-Type: application/gzip;\r\n name=\"%s\"\r\n"
		   "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n"
		   "Content-Transfer-Encoding: base64\r\n\r\n",
		   boundary, r->filename, r->filename);
	for (i = 0; i < gz->len; i += 57) {
		b64_encode(m, gz->data + i,
			   gz->len - i > 57 ? 57 : gz->len - i);
		buf_adds(m, "\r\n");
	}
	buf_printf(m, "--%s--\r\n", boundary);
}

/* Feeds the message to sendmail; 0 when it exits 0. */
static int
rpsend_pipe(const struct rpsend_opts *o, const char *to, const buf *m)
{
	int fds[2], status;
	size_t off = 0;
	ssize_t n;
	pid_t pid;
	void (*old)(int);

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl(o->sendmail, o->sendmail, "-oi", "-f", o->from, "--", to,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	old = signal(SIGPIPE, SIG_IGN);
	while (off < m->len) {
		n = write(fds[1], m->data + off, m->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return off == m->len && WIFEXITED(status) && WEXITSTATUS(status) == 0
		   ? 0
		   : -1;
}

/* Mails the report to one address (size limit checked). */
static int
rpsend_one(const struct rpsend_opts *o, const struct rpsend_report *r,
	   const char *uri, const char *addr, const buf *gz)
{
	unsigned long long limit = rpsend_size_limit(uri);
	buf m;
	int rc;

	buf_init(&m);
	rpsend_message(&m, o, r, addr, gz);
	if (m.err) {
		buf_free(&m);
		fprintf(o->log, "%s: %s: out of memory\n", r->policy_domain,
			addr);
		return 1;
	}
	if (limit > 0 && m.len > limit) {
		fprintf(o->log,
			"%s: %s: skipped: %zu bytes exceed the "
			"rua limit of %llu\n",
			r->policy_domain, addr, m.len, limit);
		buf_free(&m);
		return 0;
	}
	rc = rpsend_pipe(o, addr, &m);
	fprintf(o->log, "%s: %s: %s (%s)\n", r->policy_domain, addr,
		rc == 0 ? "sent" : "sendmail failed", r->filename);
	buf_free(&m);
	return rc == 0 ? 0 : 1;
}

/*
 * The override rua of a confirming record (RFC 9990 section 4 step 9):
 * sends to its URIs, all of which must name host; otherwise to none.
 */
static int
rpsend_override(const struct rpsend_opts *o, const struct rpsend_report *r,
		const char *host, char *list, const buf *gz)
{
	char addr[512], h[256], *uri, *save = NULL;
	int failed = 0, n = 0;
	char *copy = strdup(list);

	if (copy == NULL)
		return 1;
	for (uri = strtok_r(copy, ",", &save); uri != NULL;
	     uri = strtok_r(NULL, ",", &save)) {
		uri += strspn(uri, " \t");
		if (dmarcrua_mailto(uri, addr, sizeof(addr), h, sizeof(h)) !=
			0 ||
		    strcmp(h, host) != 0) {
			fprintf(o->log,
				"%s: override rua %s does not stay at %s: "
				"no report to it or to the original\n",
				r->policy_domain, uri, host);
			free(copy);
			return 0;
		}
		n++;
	}
	free(copy);
	copy = strdup(list);
	if (copy == NULL)
		return 1;
	save = NULL;
	for (uri = strtok_r(copy, ",", &save); uri != NULL && n > 0;
	     uri = strtok_r(NULL, ",", &save)) {
		uri += strspn(uri, " \t");
		if (dmarcrua_mailto(uri, addr, sizeof(addr), h, sizeof(h)) == 0)
			failed += rpsend_one(o, r, uri, addr, gz);
	}
	free(copy);
	return failed;
}

int
rpsend_report(const struct rpsend_opts *o, const struct rpsend_report *r)
{
	char addr[512], host[256], why[600], err[300], *override;
	int failed = 0, v;
	size_t i;
	buf gz;

	buf_init(&gz);
	if (rpxml_slurp(r->file, &gz, err, sizeof(err)) != 0) {
		fprintf(o->log, "%s: %s\n", r->policy_domain, err);
		buf_free(&gz);
		return 1;
	}
	for (i = 0; i < r->nrua; i++) {
		if (dmarcrua_mailto(r->rua[i], addr, sizeof(addr), host,
				    sizeof(host)) != 0) {
			fprintf(o->log,
				"%s: rua %s: not a usable mailto: URI\n",
				r->policy_domain, r->rua[i]);
			continue;
		}
		v = dmarcrua_check(o->lib, r->policy_domain, r->org_domain,
				   host, &override, why, sizeof(why));
		if (v == DMARCRUA_DENIED || v == DMARCRUA_TEMPERROR) {
			fprintf(o->log,
				"%s: %s: not sent: external "
				"destination %s (%s)\n",
				r->policy_domain, addr,
				dmarcrua_verdict_name(v), why);
			failed += v == DMARCRUA_TEMPERROR;
			continue;
		}
		if (override != NULL)
			failed += rpsend_override(o, r, host, override, &gz);
		else
			failed += rpsend_one(o, r, r->rua[i], addr, &gz);
		free(override);
	}
	buf_free(&gz);
	return failed;
}
