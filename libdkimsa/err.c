/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * err.c - names for error codes, result words and algorithms.
 */
#include <string.h>

#include "dkimsa.h"

const char *
dkimsa_strerror(int err)
{
	switch (err) {
	case DKIMSA_OK:
		return "success";
	case DKIMSA_ENOMEM:
		return "out of memory";
	case DKIMSA_EINVAL:
		return "invalid argument";
	case DKIMSA_ESYNTAX:
		return "syntax error";
	case DKIMSA_EIO:
		return "input/output error";
	case DKIMSA_EKEY:
		return "unusable key";
	case DKIMSA_ECRYPTO:
		return "cryptographic operation failed";
	case DKIMSA_ESTATE:
		return "call out of order";
	case DKIMSA_EDNS:
		return "DNS resolver could not start";
	case DKIMSA_ENOTFOUND:
		return "not found";
	case DKIMSA_EMULTIPLE:
		return "more than one found";
	case DKIMSA_ENOSEAL:
		return "ARC sealing was not enabled for this message";
	}
	return "unknown error";
}

static const char *const err_res_names[] = {
    [DKIMSA_RES_NONE] = "none",		  [DKIMSA_RES_PASS] = "pass",
    [DKIMSA_RES_FAIL] = "fail",		  [DKIMSA_RES_NEUTRAL] = "neutral",
    [DKIMSA_RES_POLICY] = "policy",	  [DKIMSA_RES_TEMPERROR] = "temperror",
    [DKIMSA_RES_PERMERROR] = "permerror", [DKIMSA_RES_SOFTFAIL] = "softfail",
    [DKIMSA_RES_DISCARD] = "discard",	  [DKIMSA_RES_UNKNOWN] = "unknown",
    [DKIMSA_RES_NXDOMAIN] = "nxdomain",
};

const char *
dkimsa_res_name(int res)
{
	if (res < 0 ||
	    (size_t)res >= sizeof(err_res_names) / sizeof(err_res_names[0]))
		return "permerror";
	return err_res_names[res];
}

static const char *const err_alg_names[] = {
    [DKIMSA_ALG_NONE] = NULL,
    [DKIMSA_ALG_RSA_SHA256] = "rsa-sha256",
    [DKIMSA_ALG_ED25519_SHA256] = "ed25519-sha256",
    [DKIMSA_ALG_RSA_SHA1] = "rsa-sha1",
};

const char *
dkimsa_alg_name(int alg)
{
	if (alg <= 0 ||
	    (size_t)alg >= sizeof(err_alg_names) / sizeof(err_alg_names[0]))
		return NULL;
	return err_alg_names[alg];
}

int
dkimsa_alg_from_name(const char *name)
{
	size_t i;

	for (i = 1; i < sizeof(err_alg_names) / sizeof(err_alg_names[0]); i++)
		if (strcmp(name, err_alg_names[i]) == 0)
			return (int)i;
	return DKIMSA_ALG_NONE;
}
