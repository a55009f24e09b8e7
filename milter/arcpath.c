/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcpath.c - see arcpath.h.  The chain itself (parse, validation) is
 * libdkimsa's ARC object; this file decides when it runs, what it sees
 * and where its result goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arcaar.h"
#include "arcpath.h"
#include "msg.h"
#include "rt.h"

#define ARCPATH_AAR "ARC-Authentication-Results"

/* The chain's result (the one place that names the library call). */
static const dkimsa_arc_result *
arcpath_result(const struct msg *m)
{
	return dkimsa_arc_get_result(m->arc);
}

/* 1 when the header is an AAR that names our authserv-id. */
static int
arcpath_claims_us(const struct msg_hdr *h, const char *authserv_id)
{
	return strcasecmp(h->name, ARCPATH_AAR) == 0 &&
	       arcaar_claims(h->field + strlen(h->name) + 1, authserv_id);
}

static int
arcpath_is_arc(const char *name)
{
	return strcasecmp(name, ARCPATH_AAR) == 0 ||
	       strcasecmp(name, "ARC-Message-Signature") == 0 ||
	       strcasecmp(name, "ARC-Seal") == 0;
}

int
arcpath_eoh(const struct conn *c, struct msg *m)
{
	size_t i;
	int has_arc = 0;

	for (i = 0; i < m->nhdrs && !has_arc; i++)
		has_arc = arcpath_is_arc(m->hdrs[i].name);
	if (!has_arc)
		return 0;
	if (dkimsa_arc_new(c->rt->lib, &m->arc) != 0)
		return -1;
	for (i = 0; i < m->nhdrs; i++) {
		if (arcpath_claims_us(&m->hdrs[i], m->authserv_id)) {
			m->arc_forged++;
			continue;
		}
		if (dkimsa_arc_header(m->arc, m->hdrs[i].field,
				      m->hdrs[i].len) != 0)
			return -1;
	}
	return dkimsa_arc_eoh(m->arc) == 0 ? 0 : -1;
}

int
arcpath_body(struct msg *m, const unsigned char *data, size_t len)
{
	if (m->arc == NULL)
		return 0;
	return dkimsa_arc_body(m->arc, data, len) == 0 ? 0 : -1;
}

void
arcpath_finish(struct msg *m)
{
	if (m->arc == NULL || m->arc_done)
		return;
	dkimsa_arc_finish(m->arc);
	m->arc_done = 1;
}

int
arcpath_needs_dns(const struct msg *m)
{
	return m->arc != NULL && !m->arc_done;
}

int
arcpath_has_result(const struct msg *m)
{
	return m->arc != NULL && m->arc_done;
}

void
arcpath_ar(const struct msg *m, dkimsa_ar *ar)
{
	if (!arcpath_has_result(m))
		return;
	dkimsa_ar_add_arc(ar, arcpath_result(m));
	if (m->arc_forged > 0)
		dkimsa_ar_comment(ar, "forged ARC-Authentication-Results "
				      "naming us removed");
}

int
arcpath_remove_forged(SMFICTX *ctx, const struct msg *m)
{
	int *idx, n = 0, k = 0, rc = 0;
	size_t i;

	if (m->arc_forged == 0 && m->arc == NULL) {
		/* not looked at yet (sign mode without a seal): look now */
		for (i = 0; i < m->nhdrs && n == 0; i++)
			n = arcpath_claims_us(&m->hdrs[i], m->authserv_id);
		if (n == 0)
			return 0;
	} else if (m->arc_forged == 0) {
		return 0;
	}
	if ((idx = calloc(m->nhdrs + 1, sizeof(int))) == NULL)
		return -1;
	for (i = 0, n = 0; i < m->nhdrs; i++) {
		if (strcasecmp(m->hdrs[i].name, ARCPATH_AAR) != 0)
			continue;
		k++;
		if (arcpath_claims_us(&m->hdrs[i], m->authserv_id))
			idx[n++] = k;
	}
	while (rc == 0 && n-- > 0) /* last first: earlier indexes stay */
		if (smfi_chgheader(ctx, ARCPATH_AAR, idx[n], NULL) !=
		    MI_SUCCESS)
			rc = -1;
	free(idx);
	return rc;
}
