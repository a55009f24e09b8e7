/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reply_test.c - the SMTP reply text the milter hands libmilter: what a
 * sender or a DNS record wrote never adds a line, a control character, an
 * 8-bit byte or a libmilter format directive.
 */
#include <string.h>

#include "reply.h"
#include "t.h"

static const struct {
	const char *label, *in, *want;
} reply_rows[] = {
    {"plain text is kept", "SPF fail for a.example",
     "dkimsa: SPF fail for a.example"},
    {"CR and LF cannot end the reply", "x\r\n250 ok", "dkimsa: x??250 ok"},
    {"a bare CR is replaced", "a\rb", "dkimsa: a?b"},
    {"percent is not a format directive", "100% %s", "dkimsa: 100? ?s"},
    {"TAB reads as a space", "a\tb", "dkimsa: a b"},
    {"control characters are replaced", "a\x01\x1b[0mb", "dkimsa: a??[0mb"},
    {"DEL is replaced", "a\x7f", "dkimsa: a?"},
    {"8-bit bytes are replaced", "caf\xc3\xa9", "dkimsa: caf??"},
};

int
main(void)
{
	char out[512], small[16], big[2000];
	size_t i;

	for (i = 0; i < sizeof(reply_rows) / sizeof(reply_rows[0]); i++) {
		reply_text(out, sizeof(out), reply_rows[i].in);
		t_streq(out, reply_rows[i].want, reply_rows[i].label);
	}
	reply_text(small, sizeof(small), "a long explanation");
	t_streq(small, "dkimsa: a long ", "a long text is cut to the buffer");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	reply_text(out, sizeof(out), big);
	t_ok(strlen(out) == sizeof(out) - 1, "a 2000-byte text fits the reply",
	     "length %zu", strlen(out));
	return t_exit();
}
