/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msg.c - connection and message contexts; see msg.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "rt.h"

struct conn *
conn_new(void)
{
	return calloc(1, sizeof(struct conn));
}

void
conn_reset(struct conn *c)
{
	msg_free(c->msg);
	c->msg = NULL;
	rt_put(c->rt);
	c->rt = NULL;
	free(c->addr);
	free(c->hostname);
	free(c->helo);
	c->addr = c->hostname = c->helo = NULL;
	c->internal = c->ignored = 0;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	conn_reset(c);
	free(c);
}

struct msg *
msg_new(void)
{
	struct msg *m = calloc(1, sizeof(struct msg));

	if (m != NULL)
		m->vr.adsp = -1;
	return m;
}

void
msg_free(struct msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (m->vr.spf_running)
		job_wait(&m->vr.spf_job, NULL); /* aborted while SPF ran */
	dkimsa_spf_result_free(m->vr.spf_mailfrom);
	dkimsa_spf_result_free(m->vr.spf_helo);
	dkimsa_spf_result_free(m->vr.sid_mfrom);
	dkimsa_spf_result_free(m->vr.sid_pra);
	dkimsa_dmarc_result_free(m->vr.dmarc);
	for (i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name); /* and field, in the same block */
	}
	free(m->hdrs);
	for (i = 0; i < m->nsigners; i++) {
		dkimsa_sign_free(m->signers[i]);
		free(m->signer_names[i]);
	}
	free(m->signers);
	free(m->signer_names);
	dkimsa_verify_free(m->verify);
	dkimsa_arc_free(m->arc);
	dkimsa_body_free(m->body);
	free(m->qid);
	free(m->mail_from);
	free(m->auth_authen);
	free(m->daemon_name);
	free(m->authserv_id);
	free(m);
}

int
msg_add_header(struct msg *m, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	struct msg_hdr *h;

	if (m->nhdrs == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 32;

		h = realloc(m->hdrs, ncap * sizeof(*h));
		if (h == NULL)
			return -1;
		m->hdrs = h;
		m->cap = ncap;
	}
	h = &m->hdrs[m->nhdrs];
	/* one block: the name, NUL, then the field (name:value) */
	if ((h->name = malloc(nl + 1 + nl + vl + 2)) == NULL)
		return -1;
	memcpy(h->name, name, nl + 1);
	h->field = h->name + nl + 1;
	memcpy(h->field, name, nl);
	h->field[nl] = ':';
	memcpy(h->field + nl + 1, value, vl + 1);
	h->len = nl + 1 + vl;
	m->nhdrs++;
	return 0;
}

const struct msg_hdr *
msg_header(const struct msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, name) == 0)
			return &m->hdrs[i];
	return NULL;
}

dkimsa_body *
msg_body(struct msg *m)
{
	if (m->body == NULL && dkimsa_body_new(&m->body) != 0)
		m->body = NULL;
	return m->body;
}
