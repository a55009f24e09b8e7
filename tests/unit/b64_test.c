/*
 * b64_test.c - base64 round trips (RFC 4648 section 10 vectors) and
 * rejection of bad input.
 */
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

int
main(void)
{
	size_t i;

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
