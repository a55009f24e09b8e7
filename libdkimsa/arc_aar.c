/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_aar.c - the ARC-Authentication-Results field (RFC 8617 4.1.1):
 *
 *   arc-authres-header = "ARC-Authentication-Results:" [CFWS] arc-info
 *   arc-info           = instance [CFWS] ";" authres-payload
 *   instance           = [CFWS] %s"i" [CFWS] "=" [CFWS] i-value
 *   i-value            = 1*2DIGIT   (1 to 50)
 *
 * and the authserv-id that must follow (RFC 8601 section 2.2), skipping
 * CFWS with the library's one RFC 5322 scanner.  For validation the rest
 * of the payload is not interpreted, except that smtp.remote-ip (RFC 8617
 * 10.2) is read for the result when it is a plain address; on request
 * (dkimsa_arc_aar_parse, dkimsa_arc_get_aar) it is parsed by the A-R
 * reader (authres_read.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arc.h"

static int
arc_aar_bad(char *reason, size_t rlen, const char *why)
{
	snprintf(reason, rlen, "%s", why);
	return -1;
}

/* Copies the smtp.remote-ip value when made of [0-9A-Fa-f:.] only. */
static void
arc_aar_remote_ip(const char *v, size_t len, char *ip, size_t iplen)
{
	static const char key[] = "smtp.remote-ip";
	size_t i, k = sizeof(key) - 1, n;

	ip[0] = '\0';
	for (i = 0; i + k < len; i++) {
		if (strncasecmp(v + i, key, k) != 0 ||
		    (i > 0 && !isspace((unsigned char)v[i - 1]) &&
		     v[i - 1] != ';'))
			continue;
		i = dkimsa_rfc5322_cfws(v, len, i + k);
		if (i == (size_t)-1 || i >= len || v[i] != '=')
			return;
		i = dkimsa_rfc5322_cfws(v, len, i + 1);
		if (i == (size_t)-1)
			return;
		for (n = 0; i + n < len && n + 1 < iplen &&
			    (isxdigit((unsigned char)v[i + n]) ||
			     v[i + n] == ':' || v[i + n] == '.');
		     n++)
			;
		if (n > 0 && n + 1 < iplen &&
		    (i + n == len || v[i + n] == ';' ||
		     isspace((unsigned char)v[i + n]) || v[i + n] == '(')) {
			memcpy(ip, v + i, n);
			ip[n] = '\0';
		}
		return;
	}
}

/*
 * instance [CFWS] ";" (RFC 8617 4.1.1) at the start of v: the position
 * after the ";" with *inst set, or (size_t)-1 with the reason.
 */
static size_t
arc_aar_instance(const char *v, size_t vlen, int *inst, char *reason,
		 size_t rlen)
{
	size_t p, n;

	*inst = 0;
	p = dkimsa_rfc5322_cfws(v, vlen, 0);
	if (p == (size_t)-1 || p >= vlen || v[p] != 'i') {
		arc_aar_bad(reason, rlen, "does not start with i=");
		return (size_t)-1;
	}
	p = dkimsa_rfc5322_cfws(v, vlen, p + 1);
	if (p == (size_t)-1 || p >= vlen || v[p] != '=') {
		arc_aar_bad(reason, rlen, "does not start with i=");
		return (size_t)-1;
	}
	p = dkimsa_rfc5322_cfws(v, vlen, p + 1);
	for (n = 0; p != (size_t)-1 && p + n < vlen && n < 3 &&
		    isdigit((unsigned char)v[p + n]);
	     n++)
		*inst = *inst * 10 + (v[p + n] - '0');
	if (p == (size_t)-1 || n == 0 || n > 2 || *inst < 1 ||
	    *inst > ARC_MAX_SETS) {
		arc_aar_bad(reason, rlen, "bad instance i=");
		return (size_t)-1;
	}
	p = dkimsa_rfc5322_cfws(v, vlen, p + n);
	if (p == (size_t)-1 || p >= vlen || v[p] != ';') {
		arc_aar_bad(reason, rlen, "no \";\" after i=");
		return (size_t)-1;
	}
	return p + 1;
}

int
arc_aar_parse(const char *field, size_t len, char *ip, size_t iplen,
	      char *reason, size_t rlen)
{
	const char *colon = memchr(field, ':', len);
	const char *v;
	size_t p, vlen;
	int inst = 0;

	if (colon == NULL)
		return arc_aar_bad(reason, rlen, "no colon in field");
	v = colon + 1;
	vlen = len - (size_t)(v - field);
	if ((p = arc_aar_instance(v, vlen, &inst, reason, rlen)) == (size_t)-1)
		return -1;
	p = dkimsa_rfc5322_cfws(v, vlen, p);
	if (p == (size_t)-1 || p >= vlen || v[p] == ';')
		return arc_aar_bad(reason, rlen, "no authserv-id");
	if (ip != NULL && iplen > 0)
		arc_aar_remote_ip(v + p, vlen - p, ip, iplen);
	return inst;
}

int
dkimsa_arc_aar_parse(const char *value, size_t len, dkimsa_ar_parsed **out,
		     char *why, size_t wlen)
{
	char reason[64];
	size_t p;
	int inst, rc;

	*out = NULL;
	if (value == NULL)
		return DKIMSA_ESYNTAX;
	if ((p = arc_aar_instance(value, len, &inst, reason, sizeof(reason))) ==
	    (size_t)-1) {
		if (why != NULL && wlen > 0)
			snprintf(why, wlen, "%s", reason);
		return DKIMSA_ESYNTAX;
	}
	if ((rc = dkimsa_ar_parse(value + p, len - p, out, why, wlen)) == 0)
		(*out)->instance = inst;
	return rc;
}

int
dkimsa_arc_get_aar(const dkimsa_arc *a, int instance, dkimsa_ar_parsed **out,
		   char *why, size_t wlen)
{
	const struct hdr *f;
	size_t off;

	*out = NULL;
	if (a == NULL || a->state != 2)
		return DKIMSA_ESTATE;
	if (instance < 1 || instance > a->nsets || a->set[instance].aar < 0) {
		if (why != NULL && wlen > 0)
			snprintf(why, wlen, "no AAR at i=%d", instance);
		return DKIMSA_ENOTFOUND;
	}
	f = &a->hdrs.v[a->set[instance].aar];
	off = hdr_value_off(f);
	return dkimsa_arc_aar_parse(f->text + off, f->len - off, out, why,
				    wlen);
}
