/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon_test.c - RFC 6376 section 3.4: one row per canonicalisation rule,
 * for headers and bodies, plus chunk-boundary cases: every split of the
 * input, and byte-at-a-time, must give the same output as one call; and
 * random bodies against a line-by-line reference written from the RFC
 * text, so the sixteen-bytes-at-a-time run finder is checked at every
 * position of a CR, LF, TAB or SP pair in its blocks.
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

/*
 * The reference: split into lines (CRLF or a bare LF ends one; a bare CR
 * is a character), reduce each line (relaxed: WSP runs to one SP, none at
 * the end of a terminated line), add CRLF to each, drop empty lines at the
 * end; an empty simple body is one CRLF.
 */
static void
ref_body(buf *out, int canon, const char *in, size_t len)
{
	size_t i = 0, keep = 0;

	while (i < len) {
		size_t start = out->len, end = i, next;
		int terminated = 0;

		while (end < len && in[end] != '\n')
			end++;
		next = end < len ? end + 1 : end;
		terminated = end < len;
		if (terminated && end > i && in[end - 1] == '\r')
			end--;
		for (; i < end; i++) {
			int wsp = in[i] == ' ' || in[i] == '\t';

			if (canon == R && wsp) {
				if (out->len == start ||
				    out->data[out->len - 1] != ' ')
					buf_add(out, " ", 1);
			} else {
				buf_add(out, in + i, 1);
			}
		}
		if (canon == R && terminated && out->len > start &&
		    out->data[out->len - 1] == ' ')
			out->len--;
		if (out->len > start)
			keep = out->len + 2;
		buf_add(out, "\r\n", 2);
		i = next;
	}
	out->len = keep; /* empty lines at the end */
	if (keep == 0 && canon == S)
		buf_add(out, "\r\n", 2);
	buf_add(out, "", 0);
}

static unsigned long rng_state = 12345;

static unsigned
rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/* A random body of at most max bytes, mostly text with long runs. */
static size_t
random_body(char *b, size_t max)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789"
				    "abcdefghijklmnopqrstuvwxyz.,;\x80\xff"
				    "      \t\r\r\r\n\n\n";
	size_t len = rng((unsigned)max + 1), i;

	for (i = 0; i < len; i++)
		b[i] = alpha[rng(sizeof(alpha) - 1)];
	return len;
}

static void
test_reference(void)
{
	static const int canons[] = {S, R};
	char in[400], name[160];
	size_t c, k;

	for (c = 0; c < 2; c++) {
		int same_one = 1, same_split = 1;
		char first[64] = "";

		for (k = 0; k < 20000; k++) {
			size_t len = random_body(in, sizeof(in)), a, b;
			struct canon_body *cb = malloc(sizeof(*cb));
			buf want, got1, got2;

			buf_init(&want);
			buf_init(&got1);
			buf_init(&got2);
			ref_body(&want, canons[c], in, len);
			canon_body_init(cb, canons[c], -1, collect, &got1);
			canon_body_update(cb, in, len);
			canon_body_final(cb);
			buf_add(&got1, "", 0);
			a = rng((unsigned)len + 1);
			b = a + rng((unsigned)(len - a) + 1);
			canon_body_init(cb, canons[c], -1, collect, &got2);
			canon_body_update(cb, in, a);
			canon_body_update(cb, in + a, b - a);
			canon_body_update(cb, in + b, len - b);
			canon_body_final(cb);
			buf_add(&got2, "", 0);
			if (want.len != got1.len ||
			    memcmp(want.data, got1.data, want.len) != 0) {
				same_one = 0;
				if (first[0] == '\0')
					snprintf(first, sizeof(first),
						 "case %zu, %zu bytes", k, len);
			}
			if (want.len != got2.len ||
			    memcmp(want.data, got2.data, want.len) != 0)
				same_split = 0;
			buf_free(&want);
			buf_free(&got1);
			buf_free(&got2);
			free(cb);
		}
		snprintf(name, sizeof(name),
			 "%s body matches the line-by-line reference on 20000 "
			 "random bodies",
			 c == 0 ? "simple" : "relaxed");
		t_ok(same_one, name, "first difference: %s", first);
		snprintf(name, sizeof(name),
			 "%s body in three random chunks matches the reference",
			 c == 0 ? "simple" : "relaxed");
		t_ok(same_split, name, "a split changed the output");
	}
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
	test_reference();
	return t_exit();
}
