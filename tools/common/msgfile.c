/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msgfile.c - read a message and split its header block (RFC 5322 section
 * 2.2: a field continues on lines that start with SP or TAB; the header
 * ends at the first empty line).  The struct owns data and fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msgfile.h"

static int
msgfile_slurp(FILE *fp, struct msgfile *m)
{
	size_t cap = 65536, n;

	m->data = malloc(cap);
	if (m->data == NULL)
		return -1;
	while ((n = fread(m->data + m->len, 1, cap - m->len, fp)) > 0) {
		m->len += n;
		if (m->len == cap) {
			char *d = realloc(m->data, cap * 2);

			if (d == NULL)
				return -1;
			m->data = d;
			cap *= 2;
		}
	}
	return ferror(fp) ? -1 : 0;
}

/* End of the line starting at pos: index of its LF, or len. */
static size_t
msgfile_eol(const struct msgfile *m, size_t pos)
{
	const char *nl = memchr(m->data + pos, '\n', m->len - pos);

	return nl ? (size_t)(nl - m->data) : m->len;
}

static int
msgfile_add(struct msgfile *m, size_t start, size_t end)
{
	struct msgfile_field *f;

	if (end > start && m->data[end - 1] == '\r')
		end--;
	f = realloc(m->fields, (m->nfields + 1) * sizeof(*f));
	if (f == NULL)
		return -1;
	m->fields = f;
	f[m->nfields].text = m->data + start;
	f[m->nfields].len = end - start;
	m->nfields++;
	return 0;
}

int
msgfile_read(FILE *fp, struct msgfile *m)
{
	size_t pos = 0, start = 0, eol;
	int open = 0;

	memset(m, 0, sizeof(*m));
	if (msgfile_slurp(fp, m) != 0)
		return -1;
	eol = msgfile_eol(m, 0);
	m->crlf = eol > 0 && eol < m->len && m->data[eol - 1] == '\r';
	while (pos < m->len) {
		eol = msgfile_eol(m, pos);
		if (eol == pos || (eol == pos + 1 && m->data[pos] == '\r')) {
			m->body = eol < m->len ? eol + 1 : m->len;
			break; /* empty line */
		}
		if (m->data[pos] != ' ' && m->data[pos] != '\t') {
			if (open && msgfile_add(m, start, pos - 1) != 0)
				return -1;
			start = pos;
			open = 1;
		}
		pos = eol < m->len ? eol + 1 : m->len;
		m->body = m->len;
	}
	if (open && msgfile_add(m, start,
				pos > 0 && m->data[pos - 1] == '\n' ? pos - 1
								    : pos) != 0)
		return -1;
	return 0;
}

void
msgfile_free(struct msgfile *m)
{
	free(m->data);
	free(m->fields);
	memset(m, 0, sizeof(*m));
}
