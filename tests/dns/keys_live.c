/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keys_live.c - DKIM verification with keys fetched through the real
 * libunbound from the harness zones ("lib_test --live DIR", run by
 * tests/dns/keys.sh).  Messages are signed with tests/data/keys/rsa2048.pem
 * and rsa4096.pem, whose public halves dkim.zone.in publishes in
 * secure.test (signed), insecure.test and bogus.test (tampered key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "t.h"

int lib_live_main(const char *dir);

struct key_row {
	const char *label;
	const char *domain, *selector, *keyfile;
	int result;	/* wanted enum dkimsa_res; -1: anything but pass */
	int key_secure; /* wanted (-1: no key record fetched); -2: do not
			   check */
};

static const struct key_row key_rows[] = {
    {"verify-secure-zone-pass-secure", "secure.test", "sel2048", "rsa2048.pem",
     DKIMSA_RES_PASS, 1},
    {"verify-insecure-zone-pass-insecure", "insecure.test", "sel2048",
     "rsa2048.pem", DKIMSA_RES_PASS, 0},
    {"verify-tampered-zone-never-pass", "bogus.test", "sel2048", "rsa2048.pem",
     -1, -1},
    {"verify-missing-key-permerror", "secure.test", "missing", "rsa2048.pem",
     DKIMSA_RES_PERMERROR, -1},
    {"verify-key-name-without-txt-permerror", "secure.test", "nokey",
     "rsa2048.pem", DKIMSA_RES_PERMERROR, -1},
    {"verify-timed-out-key-temperror", "silent.test", "sel2048", "rsa2048.pem",
     DKIMSA_RES_TEMPERROR, -2},
    {"verify-refused-key-temperror", "refused.test", "sel2048", "rsa2048.pem",
     DKIMSA_RES_TEMPERROR, -2},
    {"verify-4096-bit-key-pass", "secure.test", "sel4096", "rsa4096.pem",
     DKIMSA_RES_PASS, 1},
    {"verify-key-among-several-txt-pass", "insecure.test", "multi",
     "rsa2048.pem", DKIMSA_RES_PASS, 0},
};

static const char *const msg_headers[] = {
    "From: Alice <alice@example.org>\r\n",
    "To: bob@example.net\r\n",
    "Subject: keys over DNS\r\n",
    "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n",
};
static const char msg_body[] = "Hello over loopback DNS.\r\n";

/* Signs the message; returns the DKIM-Signature field or NULL. */
static char *
sign_msg(const struct key_row *r, const char *keydir)
{
	char path[700], err[300];
	dkimsa_key *key = NULL;
	dkimsa_sign *s = NULL;
	char *sig = NULL;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", keydir, r->keyfile);
	if (dkimsa_key_load(path, &key, err, sizeof(err)) != 0) {
		printf("# %s: %s\n", path, err);
		return NULL;
	}
	dkimsa_sign_opts o = {.domain = r->domain,
			      .selector = r->selector,
			      .key = key,
			      .header_canon = DKIMSA_CANON_RELAXED,
			      .body_canon = DKIMSA_CANON_RELAXED,
			      .body_limit = -1};
	if (dkimsa_sign_new(&o, &s) == 0) {
		for (i = 0; i < sizeof(msg_headers) / sizeof(msg_headers[0]);
		     i++)
			dkimsa_sign_header(s, msg_headers[i],
					   strlen(msg_headers[i]));
		dkimsa_sign_body(s, msg_body, strlen(msg_body));
		if (dkimsa_sign_finish(s, &sig) != 0)
			sig = NULL;
	}
	dkimsa_sign_free(s);
	dkimsa_key_free(key);
	return sig;
}

static void
verify_row(dkimsa_lib *lib, const struct key_row *r, const char *keydir)
{
	char *sig = sign_msg(r, keydir);
	dkimsa_verify *v = NULL;
	const dkimsa_sigresult *res = NULL;
	size_t i;
	int ok;

	if (sig != NULL && dkimsa_verify_new(lib, &v) == 0) {
		dkimsa_verify_header(v, sig, strlen(sig));
		for (i = 0; i < sizeof(msg_headers) / sizeof(msg_headers[0]);
		     i++)
			dkimsa_verify_header(v, msg_headers[i],
					     strlen(msg_headers[i]));
		dkimsa_verify_eoh(v);
		dkimsa_verify_body(v, msg_body, strlen(msg_body));
		dkimsa_verify_finish(v);
		if (dkimsa_verify_count(v) == 1)
			res = dkimsa_verify_result(v, 0);
	}
	ok = res != NULL &&
	     (r->result < 0 ? res->result != DKIMSA_RES_PASS
			    : res->result == r->result) &&
	     (r->key_secure == -2 || res->key_secure == r->key_secure);
	t_ok(ok, r->label, "%s (%s) key_secure %d",
	     res ? dkimsa_res_name(res->result) : "no result",
	     res ? res->reason : "signing failed", res ? res->key_secure : -9);
	dkimsa_verify_free(v);
	free(sig);
}

int
lib_live_main(const char *dir)
{
	const char *src = getenv("top_srcdir");
	char conf[600], keydir[600], err[600] = "";
	dkimsa_lib *lib = dkimsa_lib_new();
	size_t i;
	int rc;

	snprintf(conf, sizeof(conf), "%s/unbound.conf", dir);
	snprintf(keydir, sizeof(keydir), "%s/tests/data/keys", src ? src : ".");
	rc = dkimsa_lib_set_option(lib, "UnboundConfigFile", conf, err,
				   sizeof(err));
	if (rc == 0)
		rc = dkimsa_lib_set_option(lib, "TrustAnchorFile", "none", err,
					   sizeof(err));
	if (rc == 0)
		rc = dkimsa_lib_set_option(lib, "DNSTimeout", "0.3", err,
					   sizeof(err));
	if (t_ok(rc == 0 && dkimsa_lib_start_dns(lib, err, sizeof(err)) == 0,
		 "live-keys-dns-starts", "%s", err))
		for (i = 0; i < sizeof(key_rows) / sizeof(key_rows[0]); i++)
			verify_row(lib, &key_rows[i], keydir);
	dkimsa_lib_free(lib);
	return t_exit();
}
