/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pipeline.c - dkimsa-verify --client-ip: the checks of a receiving MTA
 * on one message, offline.  SPF of MAIL FROM (postmaster@HELO for the
 * null sender, RFC 7208 section 2.4), the DKIM results already computed,
 * then DMARC (RFC 9989) over both, each printed as one resinfo through
 * the library's A-R formatter, so the lines are what the milter would
 * put into Authentication-Results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pipeline.h"

/* Every From field: the values joined by "," and their number. */
static char *
pipeline_from(const struct msgfile *m, int *count)
{
	size_t i, total = 1;
	char *out;

	*count = 0;
	for (i = 0; i < m->nfields; i++)
		total += m->fields[i].len + 1;
	if ((out = calloc(1, total)) == NULL)
		return NULL;
	for (i = 0; i < m->nfields; i++) {
		const char *f = m->fields[i].text;
		size_t len = m->fields[i].len;

		if (len < 5 || strncasecmp(f, "From:", 5) != 0)
			continue;
		if ((*count)++ > 0)
			strcat(out, ",");
		strncat(out, f + 5, len - 5);
	}
	return out;
}

static int
pipeline_line(int rc, char *text)
{
	if (rc != 0 || text == NULL) {
		fprintf(stderr, "dkimsa-verify: %s\n", dkimsa_strerror(rc));
		free(text);
		return 1;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}

/* SPF of MAIL FROM; *spf gets the result (NULL when it could not run). */
static int
pipeline_spf(dkimsa_lib *lib, const struct pipeline_opts *o,
	     dkimsa_spf_result **spf)
{
	dkimsa_spf_req req;
	char *text = NULL;
	int rc;

	memset(&req, 0, sizeof(req));
	req.client_ip = o->client_ip;
	req.helo = o->helo;
	req.mail_from = o->mail_from;
	req.now = o->now;
	rc = dkimsa_spf_check(lib, &req, DKIMSA_SPF_MAILFROM, spf);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-verify: SPF: %s\n",
			dkimsa_strerror(rc));
		*spf = NULL;
		return 1;
	}
	rc = dkimsa_spf_authres(*spf, &text);
	return pipeline_line(rc, text);
}

int
pipeline_print(dkimsa_lib *lib, const struct pipeline_opts *o,
	       const dkimsa_verify *v, const struct msgfile *m)
{
	dkimsa_spf_result *spf = NULL;
	dkimsa_dmarc_dkim *sigs = NULL;
	dkimsa_dmarc_result *dm = NULL;
	dkimsa_dmarc_req req;
	char *text = NULL, *from;
	int n = dkimsa_verify_count(v), i, bad = 0, rc;

	bad |= pipeline_spf(lib, o, &spf);
	if (n == 0)
		printf("dkim=none\n");
	if (n > 0 && (sigs = calloc((size_t)n, sizeof(*sigs))) == NULL)
		bad = 1;
	for (i = 0; i < n && sigs != NULL; i++) {
		const dkimsa_sigresult *r = dkimsa_verify_result(v, i);

		sigs[i].domain = r->domain;
		sigs[i].selector = r->selector;
		sigs[i].result = r->result;
		rc = dkimsa_ar_format_dkim(r, &text);
		bad |= pipeline_line(rc, text);
	}
	memset(&req, 0, sizeof(req));
	from = pipeline_from(m, &req.from_count);
	req.from_header = req.from_count > 0 ? from : NULL;
	req.mail_from = o->mail_from;
	req.helo = o->helo;
	req.spf_result = spf ? spf->result : DKIMSA_RES_TEMPERROR;
	req.spf_domain = spf ? spf->domain : NULL;
	req.dkim = sigs;
	req.ndkim = sigs ? (size_t)n : 0;
	req.now = o->now;
	rc = from ? dkimsa_dmarc_check(lib, &req, &dm) : DKIMSA_ENOMEM;
	if (rc == 0)
		rc = dkimsa_ar_format_dmarc(dm, &text);
	bad |= pipeline_line(rc, text);
	dkimsa_dmarc_result_free(dm);
	dkimsa_spf_result_free(spf);
	free(from);
	free(sigs);
	return bad;
}
