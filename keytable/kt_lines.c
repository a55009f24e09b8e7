/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_lines.c - the text table reader shared by kt_file.c and kt_refile.c
 * (the OpenDKIM flat-file format, see keytable.h).  Lines may end in CRLF.
 * A line is bad when it holds a NUL byte or another control character, or
 * a key longer than the lookup limit; the load then fails naming the line.
 *
 * Memory: see kt_lines.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_lines.h"

#define KT_LINES_KEY_MAX 1023

static int
kt_lines_push(struct kt_lines *l, char *key, char *value, unsigned line)
{
	struct kt_line *v;

	if (l->n % 64 == 0) {
		v = realloc(l->v, (l->n + 64) * sizeof(*v));
		if (v == NULL)
			return -1;
		l->v = v;
	}
	l->v[l->n].key = strdup(key);
	l->v[l->n].value = strdup(value);
	l->v[l->n].line = line;
	l->n++;
	return l->v[l->n - 1].key && l->v[l->n - 1].value ? 0 : -1;
}

/* Checks one raw line (len bytes, without the LF); NULL or the reason. */
static const char *
kt_lines_bad(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return "NUL byte in line";
		if (c == '\r' && i == len - 1)
			continue;
		if (c < 0x20 && c != '\t')
			return "control character in line";
		if (c == 0x7f)
			return "control character in line";
	}
	return NULL;
}

/* Splits the comment-free line s in place into key and value. */
static void
kt_lines_split(char *s, char **key, char **value)
{
	char *e;

	s += strspn(s, " \t\r");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r", e[-1]))
		*--e = '\0';
	*key = s;
	s += strcspn(s, " \t");
	if (*s != '\0')
		*s++ = '\0';
	*value = s + strspn(s, " \t");
}

static int
kt_lines_one(const kt_table *t, struct kt_lines *out, char *line, size_t len,
	     unsigned lineno, const char *path, char *err, size_t errlen)
{
	char *key, *value, *hash, fold[KT_LINES_KEY_MAX + 1];
	const char *bad = kt_lines_bad(line, len);

	if (bad != NULL)
		return kt_err(err, errlen, "%s, line %u: %s", path, lineno,
			      bad);
	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	kt_lines_split(line, &key, &value);
	if (*key == '\0')
		return 0;
	if (kt_fold(t, key, fold, sizeof(fold)) == NULL)
		return kt_err(err, errlen,
			      "%s, line %u: key longer than %d "
			      "bytes",
			      path, lineno, KT_LINES_KEY_MAX);
	if (kt_lines_push(out, fold, value, lineno) != 0)
		return kt_err(err, errlen, "%s: out of memory", path);
	return 0;
}

int
kt_lines_load(const kt_table *t, const char *path, struct kt_lines *out,
	      char *err, size_t errlen)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;

	out->v = NULL;
	out->n = 0;
	if ((fp = fopen(path, "r")) == NULL)
		return kt_err(err, errlen, "%s: %s", path, strerror(errno));
	while (rc == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		rc = kt_lines_one(t, out, line, (size_t)len, lineno, path, err,
				  errlen);
	}
	if (rc == 0 && ferror(fp))
		rc = kt_err(err, errlen, "%s: %s", path, strerror(errno));
	free(line);
	fclose(fp);
	if (rc != 0)
		kt_lines_free(out);
	return rc;
}

int
kt_lines_walk(const struct kt_lines *l, const char *path, kt_pair_fn fn,
	      void *arg)
{
	char where[1200];
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		snprintf(where, sizeof(where), "%s, line %u", path,
			 l->v[i].line);
		if ((rc = fn(arg, l->v[i].key, l->v[i].value, where)) != 0)
			return rc;
	}
	return 0;
}

void
kt_lines_free(struct kt_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
