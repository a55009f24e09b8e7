/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_verify.c - whole-message DKIM verification (RFC 6376 section 6,
 * verify.c with hdr.c, canon.c, sig.c, keyrec.c, crypto.c) of a hostile
 * message, keys from the library's fake DNS backend (fixed records: the
 * RFC 8463 keys, revoked, broken, SERVFAIL, timeout, bogus), then the
 * A-R formatting and ADSP of every result.  Second, the same message is
 * signed (Ed25519, the canonicalisations chosen by the input size) and
 * our own signature must verify: signer and verifier agree on every
 * header block and body, in any chunking.
 *
 * Input: a message, CRLF or LF, headers, empty line, body.
 */
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "fuzz.h"

#define NOW 1528000000LL

static const char verify_zone[] =
    "brisbane._domainkey.football.example.com TXT v=DKIM1; k=ed25519; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "test._domainkey.football.example.com TXT v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5"
    "qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1"
    "Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/"
    "K4w3QIDAQAB\n"
    "old._domainkey.example.com TXT v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDJY5H60jtPRhRKslTodO7O2RHbDvz0eL"
    "PWIJGJLbZTqONCk+KohPzvXCcA5xBLl6ierexjV1h3f67eeiM6KWydegF4WrZA6eGADSiL"
    "Xi7FeaEyG3clwoeL9rCiRhXioayTStm/1O/uC5iy4nSCdC9hbIMUyAXM5XgY15AapP1vBQ"
    "IDAQAB\n"
    "ed._domainkey.rt.example TXT v=DKIM1; k=ed25519; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "revoked._domainkey.example.com TXT v=DKIM1; p=\n"
    "bad._domainkey.example.com TXT v=DKIM1; k=rsa; p=AAAA!!\n"
    "sec._domainkey.example.com TXT v=DKIM1; k=ed25519; t=s; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "sec._domainkey.example.com SECURE\n"
    "servfail._domainkey.example.com SERVFAIL\n"
    "slow._domainkey.example.com TIMEOUT\n"
    "bogus._domainkey.example.com BOGUS\n"
    "football.example.com A 192.0.2.1\n"
    "_adsp._domainkey.football.example.com TXT dkim=all\n"
    "_adsp._domainkey.example.com TXT dkim=discardable\n";

static const char verify_seed[] =
    "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

static dkimsa_lib *verify_lib;
static dkimsa_key *verify_key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[200];

	(void)argc;
	(void)argv;
	verify_lib = dkimsa_lib_new();
	if (verify_lib == NULL ||
	    dkimsa_lib_set_fake_dns(verify_lib, verify_zone, err,
				    sizeof(err)) != 0 ||
	    dkimsa_key_parse(verify_seed, sizeof(verify_seed) - 1, &verify_key,
			     err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_verify: set-up failed\n");
		abort();
	}
	return 0;
}

static int
verify_field(void *arg, const char *field, size_t len)
{
	return dkimsa_verify_header(arg, field, len) == DKIMSA_ENOMEM;
}

static int
sign_field(void *arg, const char *field, size_t len)
{
	return dkimsa_sign_header(arg, field, len) == DKIMSA_ENOMEM;
}

/* Body bytes in chunks of `step` bytes (0: all at once). */
static void
verify_body(dkimsa_verify *v, dkimsa_sign *s, const uint8_t *body, size_t len,
	    size_t step)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = step == 0 || len - off < step ? len - off : step;
		if (v != NULL)
			dkimsa_verify_body(v, body + off, n);
		if (s != NULL)
			dkimsa_sign_body(s, body + off, n);
	}
}

static void
verify_report(dkimsa_verify *v)
{
	char *ar, reason[200];
	int i, n = dkimsa_verify_count(v);

	for (i = 0; i < n; i++) {
		const dkimsa_sigresult *r = dkimsa_verify_result(v, i);

		FUZZ_CHECK(r != NULL && r->reason != NULL);
		FUZZ_CHECK(r->domain && r->selector && r->auid && r->b);
		if (dkimsa_ar_format_dkim(r, &ar) == 0)
			free(ar);
	}
	if (n > 0)
		(void)dkimsa_adsp_check(verify_lib, "football.example.com", v,
					reason, sizeof(reason));
	else
		(void)dkimsa_adsp_check(verify_lib, "example.com", NULL, reason,
					sizeof(reason));
}

/* The message as received: every signature, every key outcome. */
static void
verify_received(const uint8_t *data, size_t size)
{
	dkimsa_verify *v;
	size_t body;

	if (dkimsa_verify_new(verify_lib, &v) != 0)
		return;
	dkimsa_verify_set_time(v, NOW);
	body = fuzz_msg_fields(data, size, verify_field, v);
	if (dkimsa_verify_eoh(v) == 0) {
		verify_body(v, NULL, data + body, size - body, size % 61);
		if (dkimsa_verify_finish(v) == 0)
			verify_report(v);
	}
	dkimsa_verify_free(v);
}

/* Our own signature over the message must verify. */
static void
verify_roundtrip(const uint8_t *data, size_t size)
{
	dkimsa_sign_opts o;
	dkimsa_sign *s;
	dkimsa_verify *v;
	const dkimsa_sigresult *r;
	char *field = NULL;
	size_t body;

	memset(&o, 0, sizeof(o));
	o.domain = "rt.example";
	o.selector = "ed";
	o.key = verify_key;
	o.header_canon = size & 1;
	o.body_canon = (size >> 1) & 1;
	o.now = NOW;
	o.body_limit = -1;
	if (dkimsa_sign_new(&o, &s) != 0)
		return;
	body = fuzz_msg_fields(data, size, sign_field, s);
	verify_body(NULL, s, data + body, size - body, 0);
	if (dkimsa_sign_finish(s, &field) != 0) {
		dkimsa_sign_free(s);
		return;
	}
	dkimsa_sign_free(s);
	if (dkimsa_verify_new(verify_lib, &v) == 0) {
		dkimsa_verify_set_time(v, NOW);
		dkimsa_verify_header(v, field, strlen(field));
		fuzz_msg_fields(data, size, verify_field, v);
		dkimsa_verify_eoh(v);
		verify_body(v, NULL, data + body, size - body, 1 + size % 7);
		dkimsa_verify_finish(v);
		/* signatures are evaluated in field order: ours is first */
		FUZZ_CHECK(dkimsa_verify_count(v) >= 1);
		r = dkimsa_verify_result(v, 0);
		FUZZ_CHECK(strcmp(r->domain, "rt.example") == 0);
		if (r->result != DKIMSA_RES_PASS)
			fprintf(stderr, "our signature: %s (%s)\n%s\n",
				dkimsa_res_name(r->result), r->reason, field);
		FUZZ_CHECK(r->result == DKIMSA_RES_PASS);
		dkimsa_verify_free(v);
	}
	free(field);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	verify_received(data, size);
	verify_roundtrip(data, size);
	return 0;
}
