/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid_pra_test.c - sid_pra.c: every step of RFC 4407 section 2 (PRA
 * selection) and the single-mailbox rule, as header blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "sid_pra.h"
#include "t.h"

static const struct {
	const char *name, *hdr;
	const char *mailbox, *field; /* NULL mailbox: ill-formed */
} rows[] = {
    {"step4-single-from",
     "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\n",
     "alice@example.com", "From"},
    {"step4-no-from-ill-formed", "To: bob@example.net\r\n", NULL, NULL},
    {"step4-two-from-ill-formed",
     "From: a@example.com\r\nFrom: b@example.com\r\n", NULL, NULL},
    {"step4-empty-from-ignored", "From: \r\nFrom: b@example.com\r\n",
     "b@example.com", "From"},
    {"step3-sender-before-from",
     "From: a@example.com\r\nSender: list@lists.example.org\r\n",
     "list@lists.example.org", "Sender"},
    {"step3-two-sender-ill-formed",
     "Sender: a@example.com\r\nSender: b@example.com\r\nFrom: c@x.example\r\n",
     NULL, NULL},
    {"step3-empty-sender-falls-to-from", "Sender:   \r\nFrom: c@x.example\r\n",
     "c@x.example", "From"},
    {"step2-resent-from",
     "Resent-From: fwd@example.net\r\nSender: s@example.com\r\n"
     "From: f@example.com\r\n",
     "fwd@example.net", "Resent-From"},
    {"step2-first-resent-from-wins",
     "Resent-From: new@example.net\r\nReceived: by x\r\n"
     "Resent-From: old@example.org\r\nFrom: f@example.com\r\n",
     "new@example.net", "Resent-From"},
    {"step1-resent-sender",
     "Resent-Sender: rs@example.net\r\nResent-From: rf@example.net\r\n"
     "From: f@example.com\r\n",
     "rs@example.net", "Resent-Sender"},
    {"step1-resent-from-same-block-keeps-resent-sender",
     "Resent-From: rf@example.net\r\nResent-Sender: rs@example.net\r\n"
     "From: f@example.com\r\n",
     "rs@example.net", "Resent-Sender"},
    {"step1-received-between-uses-resent-from",
     "Resent-From: rf@example.net\r\nReceived: from a by b\r\n"
     "Resent-Sender: rs@example.org\r\nFrom: f@example.com\r\n",
     "rf@example.net", "Resent-From"},
    {"step1-return-path-between-uses-resent-from",
     "Resent-From: rf@example.net\r\nReturn-Path: <x@example.com>\r\n"
     "Resent-Sender: rs@example.org\r\n",
     "rf@example.net", "Resent-From"},
    {"step1-trace-above-resent-from-does-not-count",
     "Received: from a by b\r\nResent-From: rf@example.net\r\n"
     "Resent-Sender: rs@example.org\r\n",
     "rs@example.org", "Resent-Sender"},
    {"step1-empty-resent-sender-ignored",
     "Resent-Sender:\r\nSender: s@example.com\r\n", "s@example.com", "Sender"},
    {"step5-two-mailboxes-ill-formed", "From: a@example.com, b@example.com\r\n",
     NULL, NULL},
    {"step5-group-ill-formed", "From: friends: a@example.com;\r\n", NULL, NULL},
    {"step5-no-at-ill-formed", "From: just a name\r\n", NULL, NULL},
    {"step5-chosen-field-bad-no-fallback",
     "Sender: not a mailbox\r\nFrom: f@example.com\r\n", NULL, NULL},
    {"mailbox-display-name-quoted",
     "From: \"Doe, John\" <john@example.com>\r\n", "john@example.com", "From"},
    {"mailbox-comments-removed", "From: john@example.com (John (the) Doe)\r\n",
     "john@example.com", "From"},
    {"mailbox-folded-value",
     "From: John Doe\r\n <john@example.com>\r\nTo: x@y.example\r\n",
     "john@example.com", "From"},
    {"mailbox-quoted-local-part", "From: \"john doe\"@example.com\n",
     "\"john doe\"@example.com", "From"},
    {"mailbox-lf-line-ends", "Sender: s@example.com\nFrom: f@example.com\n",
     "s@example.com", "Sender"},
    {"field-names-case-insensitive", "FROM: f@example.com\r\n", "f@example.com",
     "FROM"},
    {"headers-end-at-empty-line", "X: y\r\n\r\nFrom: body@example.com\r\n",
     NULL, NULL},
    {"mailbox-unbalanced-angle-ill-formed", "From: <a@example.com\r\n", NULL,
     NULL},
    {"mailbox-double-dot-ill-formed", "From: a..b@example.com\r\n", NULL, NULL},
};

int
main(void)
{
	char err[200], *mb, *field;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		rc = sid_pra_find(rows[i].hdr, strlen(rows[i].hdr), &mb, &field,
				  err, sizeof(err));
		if (rows[i].mailbox == NULL)
			t_ok(rc == DKIMSA_ESYNTAX, rows[i].name,
			     "found %s in %s", mb ? mb : "",
			     field ? field : "");
		else
			t_ok(rc == 0 && strcmp(mb, rows[i].mailbox) == 0 &&
				 strcmp(field, rows[i].field) == 0,
			     rows[i].name, "rc %d (%s) %s / %s", rc, err,
			     mb ? mb : "", field ? field : "");
		free(mb);
		free(field);
	}
	return t_exit();
}
