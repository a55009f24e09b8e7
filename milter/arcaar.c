/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcaar.c - see arcaar.h.  The A-R part is judged by the library's A-R
 * parser (dkimsa_ar_is_ours); only the instance tag is read here.
 */
#include <string.h>

#include "arcaar.h"
#include "dkimsa.h"

#define ARCAAR_FWS " \t\r\n"

/*
 * RFC 8617 4.1.1: instance = [FWS] %x69 [FWS] "=" [FWS] 1*2DIGIT [FWS] ";"
 * -- what follows it, or NULL when v does not start with one.
 */
static const char *
arcaar_skip_instance(const char *v, int *instance)
{
	size_t n;

	v += strspn(v, ARCAAR_FWS);
	if (*v != 'i' && *v != 'I')
		return NULL;
	v += 1 + strspn(v + 1, ARCAAR_FWS);
	if (*v != '=')
		return NULL;
	v += 1 + strspn(v + 1, ARCAAR_FWS);
	n = strspn(v, "0123456789");
	if (n < 1 || n > 2)
		return NULL;
	*instance = n == 1 ? v[0] - '0' : (v[0] - '0') * 10 + (v[1] - '0');
	v += n + strspn(v + n, ARCAAR_FWS);
	return *v == ';' ? v + 1 : NULL;
}

int
arcaar_claims(const char *value, const char *authserv_id)
{
	const char *v;
	int inst;

	if (value == NULL || authserv_id == NULL ||
	    (v = arcaar_skip_instance(value, &inst)) == NULL)
		return 0;
	return dkimsa_ar_is_ours(v, strlen(v), authserv_id);
}

int
arcaar_instance(const char *value)
{
	int inst = -1;

	if (value == NULL || arcaar_skip_instance(value, &inst) == NULL)
		return -1;
	return inst;
}
