/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf.h - the public SPF / Sender ID checks (dkimsa_spf_check) on a given
 * dns_ctx, for tests and tools that bring their own resolver.
 *
 * Memory: *out is freed with dkimsa_spf_result_free().
 */
#ifndef DKIMSA_SPF_H
#define DKIMSA_SPF_H

#include "dkimsa.h"
#include "dns.h"

/*
 * dkimsa_spf_check() on ctx.  default_exp (may be NULL) becomes the
 * explanation of a fail without exp=.
 */
int spf_check_ctx(dns_ctx *ctx, const dkimsa_spf_req *req, int identity,
		  const char *default_exp, dkimsa_spf_result **out);

#endif
