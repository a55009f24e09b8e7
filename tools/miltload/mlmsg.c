/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlmsg.c - build or read the test message; see mlmsg.h.  Header fields
 * are split as RFC 5322 section 2.2 says (name, colon, value; a line
 * starting with WSP continues the field).  Memory: every string belongs
 * to the struct mlmsg; mlmsg_free releases it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlmsg.h"

static int
mlmsg_add(struct mlmsg *m, const char *name, size_t nlen, const char *value,
	  size_t vlen)
{
	struct mlmsg_hdr *h = realloc(m->hdrs, (m->nhdrs + 1) * sizeof(*h));

	if (h == NULL)
		return -1;
	m->hdrs = h;
	h = &m->hdrs[m->nhdrs];
	h->name = strndup(name, nlen);
	h->value = strndup(value, vlen);
	if (h->name == NULL || h->value == NULL) {
		free(h->name);
		free(h->value);
		return -1;
	}
	m->nhdrs++;
	return 0;
}

static int
mlmsg_addf(struct mlmsg *m, const char *name, const char *value)
{
	return mlmsg_add(m, name, strlen(name), value, strlen(value));
}

int
mlmsg_generate(struct mlmsg *m, const char *from, const char *rcpt,
	       size_t body_bytes)
{
	static const char line[] =
	    "The quick brown fox jumps over the lazy dog; pack my box with "
	    "five dozen.";
	char v[600];
	size_t ll = sizeof(line) - 1, n;

	memset(m, 0, sizeof(*m));
	snprintf(v, sizeof(v), " Load Test <%s>", from);
	if (mlmsg_addf(m, "From", v) != 0)
		goto fail;
	snprintf(v, sizeof(v), " <%s>", rcpt);
	if (mlmsg_addf(m, "To", v) != 0 ||
	    mlmsg_addf(m, "Subject", " dkimsa-miltload test message") != 0 ||
	    mlmsg_addf(m, "Date", " Mon, 06 May 2024 10:00:00 +0000") != 0 ||
	    mlmsg_addf(m, "Message-ID", " <miltload.1@example.test>") != 0 ||
	    mlmsg_addf(m, "MIME-Version", " 1.0") != 0 ||
	    mlmsg_addf(m, "Content-Type", " text/plain; charset=us-ascii") != 0)
		goto fail;
	if ((m->body = malloc(body_bytes + ll + 2)) == NULL)
		goto fail;
	for (n = 0; n < body_bytes;) {
		size_t take = body_bytes - n;

		if (take > ll + 2)
			take = ll;
		else if (take > 2)
			take -= 2; /* the last line, shortened to fit */
		else
			take = 0;
		memcpy(m->body + n, line, take);
		n += take;
		memcpy(m->body + n, "\r\n", 2);
		n += 2;
	}
	m->body_len = n;
	return 0;
fail:
	mlmsg_free(m);
	return -1;
}

/* Splits the header block text[0..len) (LF line ends, CRs removed). */
static int
mlmsg_split_headers(struct mlmsg *m, const char *text, size_t len)
{
	size_t i = 0, start, colon, end = 0;

	while (i < len) {
		start = i;
		do { /* a field ends at a LF not followed by WSP */
			while (i < len && text[i] != '\n')
				i++;
			end = i;
			if (i < len)
				i++;
		} while (i < len && (text[i] == ' ' || text[i] == '\t'));
		for (colon = start; colon < end && text[colon] != ':'; colon++)
			;
		if (colon == end || colon == start)
			return -1;
		if (mlmsg_add(m, text + start, colon - start, text + colon + 1,
			      end - colon - 1) != 0)
			return -1;
	}
	return 0;
}

/* Copies text with LF line ends to m->body with CRLF. */
static int
mlmsg_set_body(struct mlmsg *m, const char *text, size_t len)
{
	size_t i, n = 0;

	if ((m->body = malloc(2 * len + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			m->body[n++] = '\r';
		m->body[n++] = (unsigned char)text[i];
	}
	m->body_len = n;
	return 0;
}

static char *
mlmsg_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *t = NULL, *nt;
	size_t cap = 0, n = 0, r;
	int bad;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nt = realloc(t, cap)) == NULL)
				break;
			t = nt;
		}
		if ((r = fread(t + n, 1, cap - n - 1, fp)) == 0)
			break;
		n += r;
	}
	bad = ferror(fp) || !feof(fp);
	fclose(fp);
	if (bad) {
		free(t);
		return NULL;
	}
	/* drop CRs before LF: the header split and body work on LF */
	for (r = 0, *len = 0; r < n; r++)
		if (!(t[r] == '\r' && r + 1 < n && t[r + 1] == '\n'))
			t[(*len)++] = t[r];
	t[*len] = '\0';
	return t;
}

int
mlmsg_read(struct mlmsg *m, const char *path, char *errmsg, size_t errlen)
{
	size_t len, hlen;
	char *text, *sep;

	memset(m, 0, sizeof(*m));
	if ((text = mlmsg_slurp(path, &len)) == NULL) {
		snprintf(errmsg, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	sep = strstr(text, "\n\n");
	hlen = sep ? (size_t)(sep - text) + 1 : len;
	if (mlmsg_split_headers(m, text, hlen) != 0) {
		snprintf(errmsg, errlen, "%s: not a message (bad header field)",
			 path);
		goto fail;
	}
	if (sep == NULL ? mlmsg_set_body(m, "", 0)
			: mlmsg_set_body(m, sep + 2, len - hlen - 1)) {
		snprintf(errmsg, errlen, "%s: out of memory", path);
		goto fail;
	}
	free(text);
	return 0;
fail:
	free(text);
	mlmsg_free(m);
	return -1;
}

void
mlmsg_free(struct mlmsg *m)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	free(m->hdrs);
	free(m->body);
	memset(m, 0, sizeof(*m));
}
