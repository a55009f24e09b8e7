/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_arc.c - ARC chain validation (RFC 8617 5.2: arc.c, arc_aar.c,
 * arc_chain.c, arc_keys.c on sig.c, tagl.c, canon.c, dkimhash.c,
 * keyrec.c, crypto.c) of a hostile message, keys from the library's fake
 * DNS (the ARC suite's 1024-bit key at dummy._domainkey.example.org, a
 * revoked, a broken and a SERVFAIL record), then the A-R resinfo of the
 * result.  Second, the message is sealed (Ed25519) and validated again
 * with our set on top: a chain that passed or had no set must now pass,
 * one that failed must fail (our set says cv=fail), and a refused seal
 * is only refused for a chain ending in cv=fail or holding 50 sets.
 *
 * Each field is also read by dkimsa_arc_seal_domain (i= within 1-50, d=
 * within the buffer).
 * Input: a message, CRLF or LF, headers, empty line, body.
 */
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "fuzz.h"

#define NOW 1700000000LL

static const char arc_zone[] =
    "dummy._domainkey.example.org TXT v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5"
    "qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1"
    "Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/"
    "K4w3QIDAQAB\n"
    "ed._domainkey.rt.example TXT v=DKIM1; k=ed25519; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "revoked._domainkey.example.org TXT v=DKIM1; p=\n"
    "bad._domainkey.example.org TXT v=DKIM1; k=rsa; p=AAAA!!\n"
    "servfail._domainkey.example.org SERVFAIL\n";

static const char arc_seed[] = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

static dkimsa_lib *arc_lib;
static dkimsa_key *arc_key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[200];

	(void)argc;
	(void)argv;
	arc_lib = dkimsa_lib_new();
	if (arc_lib == NULL ||
	    dkimsa_lib_set_fake_dns(arc_lib, arc_zone, err, sizeof(err)) != 0 ||
	    dkimsa_key_parse(arc_seed, sizeof(arc_seed) - 1, &arc_key, err,
			     sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_arc: set-up failed\n");
		abort();
	}
	return 0;
}

static int
arc_field(void *arg, const char *field, size_t len)
{
	char d[64];
	int inst = 0;

	/* each field also as an ARC-Seal read for its i= and d= */
	if (dkimsa_arc_seal_domain(field, len, &inst, d, sizeof(d)) == 0)
		FUZZ_CHECK(inst >= 1 && inst <= 50 && strlen(d) < sizeof(d));
	return dkimsa_arc_header(arg, field, len) == DKIMSA_ENOMEM;
}

/* Validates; extra (up to 3 fields, NULL-ended) go on top. */
static dkimsa_arc *
arc_run(const uint8_t *data, size_t size, char *const *extra, int *rc)
{
	dkimsa_arc *a;
	size_t body, off, n, step = 1 + size % 53;

	*rc = dkimsa_arc_new(arc_lib, &a);
	if (*rc != 0)
		return NULL;
	dkimsa_arc_set_time(a, NOW);
	dkimsa_arc_set_sealing(a, 1);
	for (; extra != NULL && *extra != NULL; extra++)
		dkimsa_arc_header(a, *extra, strlen(*extra));
	body = fuzz_msg_fields(data, size, arc_field, a);
	*rc = dkimsa_arc_eoh(a);
	FUZZ_CHECK(*rc != 0 || dkimsa_arc_keys_ready(a) == 0 ||
		   dkimsa_arc_keys_ready(a) == 1);
	for (off = body; *rc == 0 && off < size; off += n) {
		n = size - off < step ? size - off : step;
		*rc = dkimsa_arc_body(a, data + off, n);
	}
	if (*rc == 0)
		*rc = dkimsa_arc_finish(a);
	return a;
}

static void
arc_report(const dkimsa_arc_result *r)
{
	dkimsa_ar *ar;
	char *out;

	FUZZ_CHECK(r->reason != NULL && r->sealer != NULL &&
		   r->oldest_pass_sealer != NULL && r->remote_ip != NULL);
	FUZZ_CHECK(r->instances >= 0 && r->instances <= 50);
	FUZZ_CHECK(r->result == DKIMSA_RES_NONE ||
		   r->result == DKIMSA_RES_PASS ||
		   r->result == DKIMSA_RES_FAIL);
	if (dkimsa_ar_new("mx.example", &ar) != 0)
		return;
	dkimsa_ar_add_arc(ar, r);
	if (dkimsa_ar_finish(ar, &out) == 0) {
		FUZZ_CHECK(strchr(out, '\n') == NULL ||
			   strstr(out, "\r\n\t") != NULL);
		free(out);
	}
	dkimsa_ar_free(ar);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dkimsa_arc_seal_opts o;
	const dkimsa_arc_result *r;
	char *f[4] = {NULL, NULL, NULL, NULL};
	dkimsa_arc *a, *b;
	int rc, before;

	a = arc_run(data, size, NULL, &rc);
	if (a == NULL || rc != 0) {
		dkimsa_arc_free(a);
		return 0;
	}
	r = dkimsa_arc_get_result(a);
	arc_report(r);
	before = r->result;
	memset(&o, 0, sizeof(o));
	o.domain = "rt.example";
	o.selector = "ed";
	o.key = arc_key;
	o.authserv_id = "mx.rt.example";
	o.results = "dkim=pass header.d=example.org";
	o.t = NOW;
	rc = dkimsa_arc_seal(a, &o, &f[2], &f[1], &f[0]);
	if (rc == DKIMSA_ESTATE)
		FUZZ_CHECK(before == DKIMSA_RES_FAIL);
	dkimsa_arc_free(a);
	if (rc != 0)
		return 0;
	b = arc_run(data, size, f, &rc);
	if (b != NULL && rc == 0) {
		r = dkimsa_arc_get_result(b);
		arc_report(r);
		if (r->result != (before == DKIMSA_RES_FAIL ? DKIMSA_RES_FAIL
							    : DKIMSA_RES_PASS))
			fprintf(stderr, "before %d, after our seal %d (%s)\n",
				before, r->result, r->reason);
		FUZZ_CHECK(r->result == (before == DKIMSA_RES_FAIL
					     ? DKIMSA_RES_FAIL
					     : DKIMSA_RES_PASS));
	}
	dkimsa_arc_free(b);
	free(f[0]);
	free(f[1]);
	free(f[2]);
	return 0;
}
