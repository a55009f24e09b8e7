/*
 * fuzz_authres.c - Authentication-Results (RFC 8601, authres.c): the
 * authserv-id reader behind forgery removal (dkimsa_ar_is_ours) on a
 * hostile field value, and the dkim resinfo formatter on hostile result
 * fields.  A field we format under our authserv-id must read back as ours.
 *
 * Input: the field value; after a first NUL byte, NUL-separated d=, s=,
 * i=, b= and reason for the formatter.
 */
#include "dkimsa.h"
#include "fuzz.h"

#define AR_ID "mx.example.org"

static void
ar_format(const uint8_t *data, size_t size)
{
	const char *part[5] = {"", "", "", "", ""};
	char *copy = fuzz_strdup(data, size), *p, *v, *out = NULL;
	dkimsa_sigresult r;
	size_t i, n;

	if (copy == NULL)
		return;
	for (i = 0, p = copy; i < 5 && p <= copy + size; i++) {
		part[i] = p;
		p += strlen(p) + 1;
	}
	memset(&r, 0, sizeof(r));
	r.result = size > 0 ? data[0] % 11 : DKIMSA_RES_PASS;
	r.domain = part[0];
	r.selector = part[1];
	r.auid = part[2];
	r.b = part[3];
	r.reason = part[4];
	r.alg = size > 1 ? data[1] % 4 : 0;
	r.key_bits = size > 2 ? data[2] * 32u : 0;
	r.key_secure = size > 3 ? data[3] % 3 - 1 : -1;
	r.body_limit = -1;
	if (dkimsa_ar_format_dkim(&r, &out) == 0) {
		n = strlen(AR_ID) + 2 + strlen(out) + 1;
		if ((v = malloc(n)) != NULL) {
			snprintf(v, n, "%s; %s", AR_ID, out);
			FUZZ_CHECK(dkimsa_ar_is_ours(v, strlen(v), AR_ID) == 1);
			free(v);
		}
		free(out);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen, vlen = fuzz_split(data, size, '\0', &rest, &restlen);

	(void)dkimsa_ar_is_ours((const char *)data, vlen, AR_ID);
	(void)dkimsa_ar_is_ours((const char *)data, vlen, "");
	if (vlen < size)
		ar_format(rest, restlen);
	return 0;
}
