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
 * CFWS with the library's one RFC 5322 scanner.  The rest of the payload
 * is not interpreted, except that smtp.remote-ip (RFC 8617 10.2) is read
 * for the result when it is a plain address.
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

int
arc_aar_parse(const char *field, size_t len, char *ip, size_t iplen,
	      char *reason, size_t rlen)
{
	const char *colon = memchr(field, ':', len);
	const char *v;
	size_t p, n, vlen;
	int inst = 0;

	if (colon == NULL)
		return arc_aar_bad(reason, rlen, "no colon in field");
	v = colon + 1;
	vlen = len - (size_t)(v - field);
	p = dkimsa_rfc5322_cfws(v, vlen, 0);
	if (p == (size_t)-1 || p >= vlen || v[p] != 'i')
		return arc_aar_bad(reason, rlen, "does not start with i=");
	p = dkimsa_rfc5322_cfws(v, vlen, p + 1);
	if (p == (size_t)-1 || p >= vlen || v[p] != '=')
		return arc_aar_bad(reason, rlen, "does not start with i=");
	p = dkimsa_rfc5322_cfws(v, vlen, p + 1);
	for (n = 0; p != (size_t)-1 && p + n < vlen && n < 3 &&
		    isdigit((unsigned char)v[p + n]);
	     n++)
		inst = inst * 10 + (v[p + n] - '0');
	if (p == (size_t)-1 || n == 0 || n > 2 || inst < 1 ||
	    inst > ARC_MAX_SETS)
		return arc_aar_bad(reason, rlen, "bad instance i=");
	p = dkimsa_rfc5322_cfws(v, vlen, p + n);
	if (p == (size_t)-1 || p >= vlen || v[p] != ';')
		return arc_aar_bad(reason, rlen, "no \";\" after i=");
	p = dkimsa_rfc5322_cfws(v, vlen, p + 1);
	if (p == (size_t)-1 || p >= vlen || v[p] == ';')
		return arc_aar_bad(reason, rlen, "no authserv-id");
	if (ip != NULL && iplen > 0)
		arc_aar_remote_ip(v + p, vlen - p, ip, iplen);
	return inst;
}
