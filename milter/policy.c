/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.c - trust, key selection; see policy.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keytable.h"
#include "policy.h"

/* MacroList entries are "name" or "name=value1|value2". */
static int
policy_macro_cb(void *arg, const char *key, const char *value,
		const char *where)
{
	SMFICTX *ctx = arg;
	char name[128], *eq, *have;
	const char *want;

	(void)where;
	snprintf(name, sizeof(name), "%s", key);
	want = value && *value ? value : NULL;
	if ((eq = strchr(name, '=')) != NULL) {
		*eq = '\0';
		want = eq + 1;
	}
	if (name[0] != '{' && strlen(name) > 1) {
		char braced[132];

		snprintf(braced, sizeof(braced), "{%s}", name);
		have = smfi_getsymval(ctx, braced);
	} else {
		have = smfi_getsymval(ctx, name);
	}
	if (have == NULL)
		return 0;
	if (want == NULL)
		return 1;
	while (*want) {
		size_t n = strcspn(want, "|");

		if (strlen(have) == n && strncasecmp(have, want, n) == 0)
			return 1;
		want += n + (want[n] == '|');
	}
	return 0;
}

int
policy_trusted(const struct conn *c, SMFICTX *ctx)
{
	struct rt *rt = c->rt;
	char *v, *val = NULL, err[256];

	if (c->internal)
		return 1;
	if (c->msg && c->msg->auth_authen)
		return 1;
	if (rt->mta && c->msg && (v = c->msg->daemon_name) != NULL &&
	    kt_get(rt->mta, v, &val, err, sizeof(err)) == KT_FOUND) {
		free(val);
		return 1;
	}
	if (rt->macros && ctx &&
	    kt_walk(rt->macros, policy_macro_cb, ctx, err, sizeof(err)) > 0)
		return 1;
	return 0;
}

int
policy_author(const char *value, char *out, size_t len, const char **why)
{
	char *addr = NULL;
	int rc = dkimsa_rfc5322_mailbox(value, strlen(value), &addr);

	*out = '\0';
	*why = NULL;
	if (rc == DKIMSA_EMULTIPLE)
		*why = "more than one mailbox";
	else if (rc != 0)
		*why =
		    rc == DKIMSA_ENOMEM ? "out of memory" : "no valid mailbox";
	else if (strlen(addr) >= len)
		*why = "address too long";
	else
		memcpy(out, addr, strlen(addr) + 1);
	free(addr);
	return *why == NULL ? 0 : -1;
}

int
policy_sender(const struct rt *rt, const struct msg *m, char *out, size_t len)
{
	const char *list = rt->cfg.sender_headers, *why;

	while (*list) {
		char name[128];
		size_t n = strcspn(list, ",: ");
		const struct msg_hdr *h;

		snprintf(name, sizeof(name), "%.*s", (int)n, list);
		list += n;
		list += strspn(list, ",: ");
		if (*name == '\0' || (h = msg_header(m, name)) == NULL)
			continue;
		if (policy_author(h->field + strlen(h->name) + 1, out, len,
				  &why) != 0)
			return -1; /* never another mailbox than the one */
		for (; *out; out++)
			*out = (char)tolower((unsigned char)*out);
		return 0;
	}
	return -1;
}

static int
policy_add_signer(struct rt *rt, struct msg *m, const char *domain,
		  const char *selector, const char *auid, dkimsa_key *key)
{
	dkimsa_sign_opts o;
	dkimsa_sign *s;
	size_t i;
	void *p;

	memset(&o, 0, sizeof(o));
	o.domain = domain;
	o.selector = selector;
	o.key = key;
	o.header_canon = rt->hcanon;
	o.body_canon = rt->bcanon;
	o.sign_headers = rt->cfg.sign_headers;
	o.oversign_headers = rt->cfg.oversign_headers;
	o.auid = auid;
	o.body_limit = -1;
	o.expire = rt->cfg.signature_ttl; /* SignatureTTL: x= */
	if (dkimsa_sign_new(&o, &s) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "cannot start signing for d=%s s=%s", domain,
			 selector);
		return -1;
	}
	/* one body hash for the signers and the seal that agree (msg.h) */
	if (msg_body(m) == NULL || dkimsa_sign_set_body(s, m->body) != 0) {
		dkimsa_sign_free(s);
		snprintf(m->why, sizeof(m->why), "out of memory");
		return -1;
	}
	for (i = 0; i < m->nhdrs; i++)
		dkimsa_sign_header(s, m->hdrs[i].field, m->hdrs[i].len);
	p = realloc(m->signers, (m->nsigners + 1) * sizeof(*m->signers));
	if (p != NULL)
		m->signers = p;
	p = p ? realloc(m->signer_names, (m->nsigners + 1) * sizeof(char *))
	      : NULL;
	if (p == NULL) {
		dkimsa_sign_free(s);
		snprintf(m->why, sizeof(m->why), "out of memory");
		return -1;
	}
	m->signer_names = p;
	m->signers[m->nsigners] = s;
	m->signer_names[m->nsigners] =
	    malloc(strlen(domain) + strlen(selector) + 16);
	if (m->signer_names[m->nsigners] != NULL)
		sprintf(m->signer_names[m->nsigners], "d=%s s=%s", domain,
			selector);
	m->nsigners++;
	return 0;
}

/* Domain (a table or list) with KeyFile and Selector, OpenDKIM's simple way. */
static int
policy_keyfile(struct rt *rt, struct msg *m, const char *sender)
{
	const char *dom = strrchr(sender, '@');
	char matched[256], err[256];
	int rc;

	if (rt->key == NULL || rt->domains == NULL || dom == NULL)
		return 0;
	/* SubDomains: a listed parent domain signs (d=) for its subdomains */
	rc = signing_domain(rt->domains, dom + 1, rt->cfg.subdomains, matched,
			    sizeof(matched), err, sizeof(err));
	if (rc == KT_ERROR) {
		snprintf(m->why, sizeof(m->why), "Domain table: %s", err);
		return -1;
	}
	if (rc != KT_FOUND)
		return 0;
	return policy_add_signer(rt, m, matched, rt->cfg.selector, NULL,
				 rt->key);
}

int
policy_signers(struct rt *rt, struct msg *m, const char *sender)
{
	struct signing_match *sm = NULL;
	size_t n = 0, i;
	char err[512];
	int rc;

	if (rt->signing != NULL) {
		rc = signing_lookup(rt->signing, sender, &sm, &n, err,
				    sizeof(err));
		if (rc == KT_ERROR) {
			snprintf(m->why, sizeof(m->why), "%s", err);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (policy_add_signer(rt, m, sm[i].domain,
					      sm[i].selector, sm[i].signer,
					      sm[i].key) != 0) {
				signing_matches_free(sm, n);
				return -1;
			}
		signing_matches_free(sm, n);
		if (n > 0)
			return 0;
	}
	return policy_keyfile(rt, m, sender);
}

int
policy_is_our_domain(struct rt *rt, const char *sender)
{
	const char *dom = strrchr(sender, '@');
	char err[512], matched[256];
	int ours = 0;

	/* the SigningTable only: no key is read for a message not signed */
	if (rt->signing != NULL &&
	    signing_listed(rt->signing, sender, err, sizeof(err)) == KT_FOUND)
		ours = 1;
	if (!ours && rt->key != NULL && rt->domains != NULL && dom != NULL &&
	    signing_domain(rt->domains, dom + 1, rt->cfg.subdomains, matched,
			   sizeof(matched), err, sizeof(err)) == KT_FOUND)
		ours = 1;
	return ours;
}
