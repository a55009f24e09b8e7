/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa_test.h - what libdkimsa offers its own tests and fuzz harnesses
 * only: answering DNS lookups from a table instead of libunbound.  Not
 * installed; programs that use libdkimsa include dkimsa.h alone.
 */
#ifndef DKIMSA_TEST_H
#define DKIMSA_TEST_H

#include "dkimsa.h"

/*
 * For tests: answers every lookup of the handle from a table instead of
 * libunbound (format: dns_ctx_new_fake in libdkimsa/dns.h; one line
 * "NAME TYPE VALUE" per record, TYPE A AAAA MX PTR TXT SPF, or the flags
 * TIMEOUT SERVFAIL BOGUS SECURE with no value).  Call before any lookup;
 * DKIMSA_ESTATE once the DNS has started, DKIMSA_EINVAL for a bad table
 * (reason in errbuf).
 */
int dkimsa_lib_set_fake_dns(dkimsa_lib *lib, const char *table, char *errbuf,
			    size_t errlen);

#endif
