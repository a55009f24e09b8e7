/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * b64_test.c - base64 round trips (RFC 4648 section 10 vectors),
 * rejection of bad input, and the buffer of an empty result being "".
 */
#include <malloc.h>
#include <stdlib.h>

#include "b64.h"
#include "dkimsa.h"
#include "t.h"

static const struct {
	const char *label, *plain, *coded;
} rfc4648_rows[] = {
    {"encodes empty input", "", ""},
    {"encodes one byte with two pads", "f", "Zg=="},
    {"encodes two bytes with one pad", "fo", "Zm8="},
    {"encodes three bytes without pad", "foo", "Zm9v"},
    {"encodes four bytes", "foob", "Zm9vYg=="},
    {"encodes five bytes", "fooba", "Zm9vYmE="},
    {"encodes six bytes", "foobar", "Zm9vYmFy"},
};

static const struct {
	const char *label, *coded, *plain; /* plain NULL: must be rejected */
} decode_rows[] = {
    {"decode skips folding white space", "Zm9v\r\n\tYmFy", "foobar"},
    {"decode skips spaces inside padding", "Zm9vYg= =", "foob"},
    {"decode rejects characters outside the alphabet", "Zm9v!mFy", NULL},
    {"decode rejects data after padding", "Zg==Zg==", NULL},
    {"decode rejects a lone trailing character", "Zm9vY", NULL},
    {"decode rejects too much padding", "Zm9vYmE==", NULL},
};

/*
 * Zero bytes encode to "", a terminated string: buf_reserve() used to
 * allocate without writing the NUL.  Run first, with glibc's M_PERTURB so
 * that fresh memory is not zero by chance (ASan fills it anyway).
 */
static void
test_empty_is_terminated(void)
{
	buf e, r;
	char *p;
	int rc;

	mallopt(M_PERTURB, 0x55);
	buf_init(&e);
	rc = b64_encode(&e, "", 0);
	t_ok(rc == 0 && e.data != NULL && e.len == 0 && e.data[0] == '\0',
	     "encoding zero bytes leaves an empty terminated string", "data %s",
	     e.data == NULL ? "NULL" : "not terminated");
	buf_free(&e);
	buf_init(&r);
	buf_reserve(&r, 100);
	p = buf_steal(&r);
	t_ok(p != NULL && p[0] == '\0',
	     "a reserved but empty buffer hands out an empty string", "%s",
	     p == NULL ? "NULL" : "not terminated");
	free(p);
	mallopt(M_PERTURB, 0);
}

int
main(void)
{
	size_t i;

	test_empty_is_terminated();

	for (i = 0; i < sizeof(rfc4648_rows) / sizeof(rfc4648_rows[0]); i++) {
		buf e, d;

		buf_init(&e);
		buf_init(&d);
		b64_encode(&e, rfc4648_rows[i].plain,
			   strlen(rfc4648_rows[i].plain));
		t_streq(e.data ? e.data : "", rfc4648_rows[i].coded,
			rfc4648_rows[i].label);
		t_ok(b64_decode(&d, e.data ? e.data : "", e.len) == 0 &&
			 strcmp(d.data ? d.data : "", rfc4648_rows[i].plain) ==
			     0,
		     rfc4648_rows[i].label, "round trip differs");
		buf_free(&e);
		buf_free(&d);
	}
	for (i = 0; i < sizeof(decode_rows) / sizeof(decode_rows[0]); i++) {
		buf d;
		int rc;

		buf_init(&d);
		rc = b64_decode(&d, decode_rows[i].coded,
				strlen(decode_rows[i].coded));
		if (decode_rows[i].plain == NULL)
			t_ok(rc == DKIMSA_ESYNTAX, decode_rows[i].label,
			     "rc %d", rc);
		else
			t_ok(rc == 0 && strcmp(d.data ? d.data : "",
					       decode_rows[i].plain) == 0,
			     decode_rows[i].label, "rc %d got \"%s\"", rc,
			     d.data ? d.data : "");
		buf_free(&d);
	}
	return t_exit();
}
