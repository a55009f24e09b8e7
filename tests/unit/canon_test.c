/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon_test.c - RFC 6376 section 3.4: one row per canonicalisation rule,
 * for headers and bodies, plus chunk-boundary cases: every split of the
 * input, and byte-at-a-time, must give the same output as one call.
 */
#include <stdlib.h>

#include "canon.h"
#include "dkimsa.h"
#include "t.h"

#define S DKIMSA_CANON_SIMPLE
#define R DKIMSA_CANON_RELAXED

static const struct {
	const char *label;
	int canon;
	const char *in, *want;
} header_rows[] = {
    {"simple header keeps the field byte for byte", S,
     "SubJect :  A  b\r\n\t c ", "SubJect :  A  b\r\n\t c \r\n"},
    {"relaxed header lower-cases the name", R, "SubJect: x", "subject:x\r\n"},
    {"relaxed header unfolds continuation lines", R, "Subject: a\r\n b",
     "subject:a b\r\n"},
    {"relaxed header reduces WSP runs to one space", R, "Subject: a \t  b",
     "subject:a b\r\n"},
    {"relaxed header deletes WSP at the end of the value", R, "Subject: a \t",
     "subject:a\r\n"},
    {"relaxed header deletes WSP around the colon", R, "Subject \t:\t a",
     "subject:a\r\n"},
    {"relaxed header keeps an empty value", R, "X-Empty:", "x-empty:\r\n"},
    {"relaxed header keeps 8-bit bytes", R, "Subject: \xc3\xa9t\xc3\xa9",
     "subject:\xc3\xa9t\xc3\xa9\r\n"},
    {"relaxed header of the RFC 6376 3.4.5 example A", R, "A: X", "a:X\r\n"},
    {"relaxed header of the RFC 6376 3.4.5 example B", R, "B : Y\t\r\n\tZ  ",
     "b:Y Z\r\n"},
};

static const struct {
	const char *label;
	int canon;
	const char *in, *want;
} body_rows[] = {
    {"simple body of nothing is one CRLF", S, "", "\r\n"},
    {"relaxed body of nothing is empty", R, "", ""},
    {"simple body drops empty lines at the end", S, "a\r\n\r\n\r\n", "a\r\n"},
    {"simple body keeps empty lines in the middle", S, "a\r\n\r\nb\r\n",
     "a\r\n\r\nb\r\n"},
    {"simple body adds a CRLF to an unterminated last line", S, "a", "a\r\n"},
    {"simple body keeps white space", S, " a \t b \r\n", " a \t b \r\n"},
    {"simple body of only blank lines is one CRLF", S, "\r\n\r\n\r\n", "\r\n"},
    {"simple body keeps a line of only spaces at the end", S, "a\r\n  \r\n",
     "a\r\n  \r\n"},
    {"relaxed body deletes WSP at the end of lines", R, "a \t\r\nb  \r\n",
     "a\r\nb\r\n"},
    {"relaxed body reduces WSP runs to one space", R, "a \t  b\r\n", "a b\r\n"},
    {"relaxed body keeps one space for leading WSP", R, "\t a\r\n", " a\r\n"},
    {"relaxed body drops empty lines at the end", R, "a\r\n\r\n \r\n", "a\r\n"},
    {"relaxed body of only blank lines is empty", R, "\r\n \r\n\t\r\n", ""},
    {"relaxed body keeps one SP ending a last line without CRLF", R, "a \t",
     "a \r\n"},
    {"relaxed body of only WSP without CRLF is one SP line", R, "\r\n  ",
     "\r\n \r\n"},
    {"relaxed body keeps empty lines in the middle", R, "a\r\n \r\nb",
     "a\r\n\r\nb\r\n"},
    {"relaxed body of the RFC 6376 3.4.5 example", R,
     " C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n"},
    {"simple body of the RFC 6376 3.4.5 example", S,
     " C \r\nD \t E\r\n\r\n\r\n", " C \r\nD \t E\r\n"},
    {"body takes a bare LF as a line end", S, "a\nb\n\n", "a\r\nb\r\n"},
    {"body keeps a bare CR as a character", S, "a\rb\r\n", "a\rb\r\n"},
    {"body keeps a bare CR at the very end", R, "a\r", "a\r\r\n"},
    {"body keeps 8-bit bytes", R, "\xe6\x97\xa5 \r\n", "\xe6\x97\xa5\r\n"},
    {"relaxed body keeps single spaces between words", R,
     "one two  three four\r\n", "one two three four\r\n"},
    {"relaxed body reduces a space then a tab between words", R, "a \tb c\r\n",
     "a b c\r\n"},
    {"relaxed body drops a single space before the line end", R,
     "a b \r\nc d\r\n", "a b\r\nc d\r\n"},
    {"relaxed body keeps a space before a bare CR", R, "a \rb\r\n",
     "a \rb\r\n"},
};

static int
collect(void *arg, const void *data, size_t len)
{
	return buf_add(arg, data, len);
}

/* Feeds in as chunks at the given split points (0 = one call). */
static char *
run_body(int canon, const char *in, size_t split, int bytewise, long long limit)
{
	struct canon_body *cb = malloc(sizeof(*cb));
	buf out;
	size_t len = strlen(in), i;

	buf_init(&out);
	buf_adds(&out, "");
	canon_body_init(cb, canon, limit, collect, &out);
	if (bytewise) {
		for (i = 0; i < len; i++)
			canon_body_update(cb, in + i, 1);
	} else {
		canon_body_update(cb, in, split);
		canon_body_update(cb, in + split, len - split);
	}
	canon_body_final(cb);
	free(cb);
	return buf_steal(&out);
}

static void
test_chunks(void)
{
	size_t r, k;

	for (r = 0; r < sizeof(body_rows) / sizeof(body_rows[0]); r++) {
		const char *in = body_rows[r].in;
		char name[160];
		int same = 1;
		char *got;

		for (k = 0; k <= strlen(in); k++) {
			got = run_body(body_rows[r].canon, in, k, 0, -1);
			same &= strcmp(got, body_rows[r].want) == 0;
			free(got);
		}
		got = run_body(body_rows[r].canon, in, 0, 1, -1);
		same &= strcmp(got, body_rows[r].want) == 0;
		free(got);
		snprintf(name, sizeof(name),
			 "chunk splits and byte-at-a-time agree: %s",
			 body_rows[r].label);
		t_ok(same, name, "a split changed the output");
	}
}

static void
test_limit(void)
{
	char *got = run_body(R, "abc  def\r\n\r\nxyz\r\n", 0, 0, 5);

	t_streq(got, "abc d", "body limit cuts the canonical output at l=");
	free(got);
	got = run_body(S, "", 0, 0, 0);
	t_streq(got, "", "body limit of zero hashes nothing");
	free(got);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(header_rows) / sizeof(header_rows[0]); i++) {
		buf out;

		buf_init(&out);
		canon_header(&out, header_rows[i].canon, header_rows[i].in,
			     strlen(header_rows[i].in), 1);
		t_streq(out.data, header_rows[i].want, header_rows[i].label);
		buf_free(&out);
	}
	for (i = 0; i < sizeof(body_rows) / sizeof(body_rows[0]); i++) {
		char *got =
		    run_body(body_rows[i].canon, body_rows[i].in, 0, 0, -1);

		t_streq(got, body_rows[i].want, body_rows[i].label);
		free(got);
	}
	test_chunks();
	test_limit();
	return t_exit();
}
