/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcseal.c - dkimsa-sign --arc: validate the message's ARC chain (keys
 * through the library's DNS) and add the next ARC set on top, RFC 8617
 * section 5.1, for tests and for list servers without a milter.  The
 * AAR's results are --results, else those of the message's
 * Authentication-Results fields that carry our authserv-id, joined with
 * "; " in their order (RFC 8617 4.1.1: a copy of our A-R).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arcseal.h"
#include "dkimsa.h"

/* Writes the field with the input's line ends (CRLF or LF). */
void
arcseal_put(const char *field, int crlf)
{
	const char *p;

	for (p = field; *p; p++) {
		if (*p == '\r' && p[1] == '\n' && !crlf)
			continue;
		putchar(*p);
	}
	fputs(crlf ? "\r\n" : "\n", stdout);
}

/*
 * The resinfo of an A-R field value when its authserv-id is id: the text
 * after the first ";", trimmed; NULL otherwise (or "none" only).
 */
static char *
arcseal_resinfo(const char *v, size_t len, const char *id)
{
	size_t p = dkimsa_rfc5322_cfws(v, len, 0), e, il = strlen(id);

	if (p == (size_t)-1 || len - p < il || strncasecmp(v + p, id, il) != 0)
		return NULL;
	e = p + il;
	if (e < len && v[e] != ';' && !isspace((unsigned char)v[e]) &&
	    v[e] != '(')
		return NULL;
	while (e < len && v[e] != ';')
		e++;
	if (e == len)
		return NULL;
	p = e + 1;
	while (p < len && isspace((unsigned char)v[p]))
		p++;
	while (len > p && isspace((unsigned char)v[len - 1]))
		len--;
	if (len == p || (len - p == 4 && strncasecmp(v + p, "none", 4) == 0))
		return NULL;
	return strndup(v + p, len - p);
}

/* Our results from the message (caller frees), "" when none. */
static char *
arcseal_results(const struct msgfile *m, const char *id)
{
	size_t i, total = 1;
	char *out = calloc(1, 1), *r, *n;

	for (i = 0; out != NULL && i < m->nfields; i++) {
		const struct msgfile_field *f = &m->fields[i];

		if (f->len < 23 ||
		    strncasecmp(f->text, "Authentication-Results:", 23) != 0)
			continue;
		r = arcseal_resinfo(f->text + 23, f->len - 23, id);
		if (r == NULL)
			continue;
		total += strlen(r) + 2;
		n = realloc(out, total);
		if (n != NULL) {
			if (*n)
				strcat(n, "; ");
			strcat(n, r);
		}
		out = n;
		free(r);
	}
	return out;
}

/* The options' h= list "a:b:c" as a NULL-terminated array (in place). */
static const char **
arcseal_names(char *list)
{
	size_t n = 2, i = 0;
	const char **v;
	char *p;

	for (p = list; *p; p++)
		n += *p == ':';
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return NULL;
	for (p = strtok(list, ":"); p != NULL; p = strtok(NULL, ":"))
		v[i++] = p;
	return v;
}

int
arcseal_message(dkimsa_lib *lib, const struct arcseal_opts *so,
		const struct msgfile *m)
{
	dkimsa_arc_seal_opts o;
	dkimsa_arc *a = NULL;
	char *aar = NULL, *ams = NULL, *as = NULL, *results = NULL;
	char *hl = so->headers ? strdup(so->headers) : NULL;
	const char **names = NULL;
	size_t i;
	int rc = dkimsa_arc_new(lib, &a);

	if (rc == 0) {
		dkimsa_arc_set_time(a, so->now);
		rc = dkimsa_arc_set_sealing(a, 1);
	}
	for (i = 0; rc == 0 && i < m->nfields; i++)
		rc = dkimsa_arc_header(a, m->fields[i].text, m->fields[i].len);
	if (rc == 0)
		rc = dkimsa_arc_body(a, m->data + m->body, m->len - m->body);
	if (rc == 0)
		rc = dkimsa_arc_finish(a);
	memset(&o, 0, sizeof(o));
	o.domain = so->domain;
	o.selector = so->selector;
	o.key = so->key;
	o.authserv_id = so->authserv_id;
	o.t = so->now;
	o.results = so->results;
	o.cv = so->cv;
	if (o.results == NULL)
		o.results = results = arcseal_results(m, so->authserv_id);
	if (hl != NULL)
		o.headers = names = arcseal_names(hl);
	if (rc == 0 && (o.results == NULL || (hl != NULL && names == NULL)))
		rc = DKIMSA_ENOMEM;
	if (rc == 0)
		rc = dkimsa_arc_seal(a, &o, &aar, &ams, &as);
	if (rc == DKIMSA_ESTATE) {
		fprintf(stderr,
			"dkimsa-sign: not sealed: the chain already ends in "
			"cv=fail or has 50 sets (%s)\n",
			dkimsa_arc_get_result(a)->reason);
	} else if (rc != 0) {
		fprintf(stderr, "dkimsa-sign: cannot seal: %s\n",
			dkimsa_strerror(rc));
	} else {
		fprintf(stderr, "dkimsa-sign: chain arc=%s (%s)\n",
			dkimsa_res_name(dkimsa_arc_get_result(a)->result),
			dkimsa_arc_get_result(a)->reason);
		arcseal_put(as, m->crlf);
		arcseal_put(ams, m->crlf);
		arcseal_put(aar, m->crlf);
	}
	free(aar);
	free(ams);
	free(as);
	free(results);
	free(names);
	free(hl);
	dkimsa_arc_free(a);
	if (rc != 0 && rc != DKIMSA_ESTATE)
		return rc == DKIMSA_EINVAL ? 2 : 1;
	if (fwrite(m->data, 1, m->len, stdout) != m->len || fflush(stdout))
		return 1;
	return 0;
}
