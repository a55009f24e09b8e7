/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkim_test.c - DKIM sign and verify through the public API: the RFC 8463
 * Appendix A message, the RFC 6376 empty-body hashes (errata 1384),
 * round trips for every canonicalisation pair and both algorithms, and a
 * table of negative cases (changed header or body, dropped header,
 * expiry, rsa-sha1, short keys, revoked and broken keys, every tag of the
 * signature broken in turn), each with the expected result and reason.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include "dkimsa.h"
#include "t.h"

#define NOW 1700000000LL

/* ---- message helpers ---- */

struct keymap {
	const char *name; /* selector._domainkey.domain */
	const char *txt;  /* record, or NULL for NXDOMAIN */
	int outcome;
};

static struct keymap keys[8];

static int
key_fn(void *arg, const char *domain, const char *selector, char **txt,
       int *secure)
{
	char name[300];
	size_t i;

	(void)arg;
	*secure = 0;
	snprintf(name, sizeof(name), "%s._domainkey.%s", selector, domain);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && keys[i].name; i++) {
		if (strcmp(keys[i].name, name) != 0)
			continue;
		if (keys[i].outcome != DKIMSA_LOOKUP_OK)
			return keys[i].outcome;
		*txt = strdup(keys[i].txt);
		return DKIMSA_LOOKUP_OK;
	}
	return DKIMSA_LOOKUP_NXDOMAIN;
}

/* Splits msg (CRLF or LF) into fields and body and feeds a verifier. */
static dkimsa_verify *
verify_text(const char *msg, long long now)
{
	dkimsa_verify *v;
	const char *p = msg, *start = msg, *body;

	body = strstr(msg, "\r\n\r\n");
	body = body ? body + 4 : msg + strlen(msg);
	if (dkimsa_verify_new(NULL, &v) != 0)
		return NULL;
	dkimsa_verify_set_key_fn(v, key_fn, NULL);
	dkimsa_verify_set_time(v, now);
	while (p < body - 2) {
		const char *eol = strstr(p, "\r\n");

		if (eol[2] != ' ' && eol[2] != '\t') {
			dkimsa_verify_header(v, start, (size_t)(eol - start));
			start = eol + 2;
		}
		p = eol + 2;
	}
	dkimsa_verify_eoh(v);
	dkimsa_verify_body(v, body, strlen(body));
	dkimsa_verify_finish(v);
	return v;
}

/* Signs msg; returns "signature CRLF msg" (caller frees). */
static char *
sign_text(const char *msg, dkimsa_sign_opts *o)
{
	dkimsa_sign *s;
	const char *p = msg, *start = msg, *body;
	char *field = NULL, *out;

	body = strstr(msg, "\r\n\r\n");
	body = body ? body + 4 : msg + strlen(msg);
	if (dkimsa_sign_new(o, &s) != 0)
		return NULL;
	while (p < body - 2) {
		const char *eol = strstr(p, "\r\n");

		if (eol[2] != ' ' && eol[2] != '\t') {
			dkimsa_sign_header(s, start, (size_t)(eol - start));
			start = eol + 2;
		}
		p = eol + 2;
	}
	dkimsa_sign_body(s, body, strlen(body));
	if (dkimsa_sign_finish(s, &field) != 0) {
		dkimsa_sign_free(s);
		return NULL;
	}
	dkimsa_sign_free(s);
	out = malloc(strlen(field) + strlen(msg) + 3);
	sprintf(out, "%s\r\n%s", field, msg);
	free(field);
	return out;
}

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *d;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	d = calloc(1, (size_t)n + 1);
	if (fread(d, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	fclose(fp);
	return d;
}

/* LF to CRLF for fixture files stored with LF. */
static char *
crlf(const char *s)
{
	char *d = malloc(strlen(s) * 2 + 1), *q = d;

	for (; *s; s++) {
		if (*s == '\n' && (q == d || q[-1] != '\r'))
			*q++ = '\r';
		*q++ = *s;
	}
	*q = '\0';
	return d;
}

static dkimsa_key *
gen_key(const char *type, unsigned bits, char **record)
{
	EVP_PKEY *pk = bits ? EVP_PKEY_Q_keygen(NULL, NULL, type, (size_t)bits)
			    : EVP_PKEY_Q_keygen(NULL, NULL, type);
	BIO *bio = BIO_new(BIO_s_mem());
	dkimsa_key *k = NULL;
	char *pem, err[200];
	long n;

	PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(bio, &pem);
	if (dkimsa_key_parse(pem, (size_t)n, &k, err, sizeof(err)) != 0)
		printf("# key parse: %s\n", err);
	if (k != NULL)
		dkimsa_key_record(k, record);
	BIO_free(bio);
	EVP_PKEY_free(pk);
	return k;
}

static const char base_msg[] = "From: Alice <alice@example.com>\r\n"
			       "To: Bob <bob@example.net>\r\n"
			       "Subject: Lunch\r\n"
			       "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
			       "Message-ID: <lunch@example.com>\r\n"
			       "\r\n"
			       "See you at noon.\r\n"
			       "\r\n";

static char *rsa_rec, *ed_rec;
static dkimsa_key *rsa_key, *ed_key;

/*
 * tests/data/dkim/NAME.msg (CRLF) into *raw and the key record NAME.txt
 * into *txt, answered for SELECTOR._domainkey.example.com (both freed by
 * the caller after verifying).
 */
static void
fixture(const char *name, const char *selector, char **raw, char **txt)
{
	static char qname[300];
	const char *top = getenv("top_srcdir") ? getenv("top_srcdir") : "..";
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/data/dkim/%s.msg", top, name);
	*raw = read_file(path);
	snprintf(path, sizeof(path), "%s/tests/data/dkim/%s.txt", top, name);
	*txt = read_file(path);
	snprintf(qname, sizeof(qname), "%s._domainkey.example.com", selector);
	memset(keys, 0, sizeof(keys));
	keys[0].name = qname;
	keys[0].txt = *txt ? *txt : "";
}

static void
opts_for(dkimsa_sign_opts *o, dkimsa_key *k, int hc, int bc)
{
	memset(o, 0, sizeof(*o));
	o->domain = "example.com";
	o->selector = "sel";
	o->key = k;
	o->header_canon = hc;
	o->body_canon = bc;
	o->now = NOW;
	o->body_limit = -1;
}

static void
set_key(const char *txt, int outcome)
{
	memset(keys, 0, sizeof(keys));
	keys[0].name = "sel._domainkey.example.com";
	keys[0].txt = txt;
	keys[0].outcome = outcome;
}

/* Verifies text and checks the first result. */
static void
expect(const char *label, const char *text, long long now, int result,
       const char *reason)
{
	dkimsa_verify *v = verify_text(text, now);
	const dkimsa_sigresult *r = v ? dkimsa_verify_result(v, 0) : NULL;

	t_ok(r != NULL && r->result == result &&
		 strstr(r->reason, reason) != NULL,
	     label, "got %s (%s), want %s (%s)",
	     r ? dkimsa_res_name(r->result) : "no result", r ? r->reason : "",
	     dkimsa_res_name(result), reason);
	dkimsa_verify_free(v);
}

static char *
replace(const char *s, const char *find, const char *with)
{
	const char *at = strstr(s, find);
	char *out;

	if (at == NULL)
		return strdup("From: x\r\n\r\nfind failed\r\n");
	out = malloc(strlen(s) + strlen(with) + 1);
	memcpy(out, s, (size_t)(at - s));
	strcpy(out + (at - s), with);
	strcat(out, at + strlen(find));
	return out;
}

static void
test_rfc8463(void)
{
	char path[4096], *raw, *msg;
	dkimsa_verify *v;
	const dkimsa_sigresult *r0, *r1;

	snprintf(path, sizeof(path), "%s/tests/data/dkim/rfc8463.msg",
		 getenv("top_srcdir") ? getenv("top_srcdir") : "..");
	raw = read_file(path);
	if (!t_ok(raw != NULL, "RFC 8463 example message is readable", "%s",
		  path))
		return;
	msg = crlf(raw);
	memset(keys, 0, sizeof(keys));
	keys[0].name = "brisbane._domainkey.football.example.com";
	keys[0].txt = "v=DKIM1; k=ed25519; "
		      "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
	keys[1].name = "test._domainkey.football.example.com";
	keys[1].txt = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBg"
		      "QDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J1"
		      "6JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6"
		      "lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT"
		      "+l/K4w3QIDAQAB";
	v = verify_text(msg, NOW);
	r0 = dkimsa_verify_result(v, 0);
	r1 = dkimsa_verify_result(v, 1);
	t_ok(dkimsa_verify_count(v) == 2, "RFC 8463 example has two signatures",
	     "count %d", dkimsa_verify_count(v));
	t_ok(r0 && r0->result == DKIMSA_RES_PASS &&
		 r0->alg == DKIMSA_ALG_ED25519_SHA256,
	     "RFC 8463 ed25519-sha256 signature verifies", "%s",
	     r0 ? r0->reason : "none");
	t_ok(r1 && r1->result == DKIMSA_RES_PASS &&
		 r1->alg == DKIMSA_ALG_RSA_SHA256,
	     "RFC 8463 rsa-sha256 signature verifies", "%s",
	     r1 ? r1->reason : "none");
	dkimsa_verify_free(v);
	free(raw);
	free(msg);
}

static void
test_empty_body(void)
{
	static const struct {
		const char *label;
		int canon;
		const char *bh;
	} rows[] = {
	    {"empty body hash for simple is sha256 of CRLF (errata 1384)",
	     DKIMSA_CANON_SIMPLE,
	     "bh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="},
	    {"empty body hash for relaxed is sha256 of nothing (errata 1384)",
	     DKIMSA_CANON_RELAXED,
	     "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		dkimsa_sign_opts o;
		char *s;

		opts_for(&o, ed_key, DKIMSA_CANON_RELAXED, rows[i].canon);
		s = sign_text("From: a@example.com\r\n\r\n", &o);
		t_ok(s && strstr(s, rows[i].bh) != NULL, rows[i].label, "%s",
		     s ? s : "sign failed");
		free(s);
	}
}

static int
lines_fit(const char *s, const char *end)
{
	size_t col = 0;

	for (; s < end; s++) {
		if (*s == '\n') {
			col = 0;
			continue;
		}
		col += *s == '\t' ? 8 : 1;
		if (col > 79) /* 78 plus the CR */
			return 0;
	}
	return 1;
}

static void
test_round_trips(void)
{
	static const char *cn[] = {"simple", "relaxed"};
	int a, hc, bc;

	for (a = 0; a < 2; a++)
		for (hc = 0; hc < 2; hc++)
			for (bc = 0; bc < 2; bc++) {
				dkimsa_sign_opts o;
				char label[160], *s;

				opts_for(&o, a ? ed_key : rsa_key, hc, bc);
				set_key(a ? ed_rec : rsa_rec, DKIMSA_LOOKUP_OK);
				s = sign_text(base_msg, &o);
				snprintf(label, sizeof(label),
					 "signs and verifies %s %s/%s",
					 a ? "ed25519-sha256" : "rsa-sha256",
					 cn[hc], cn[bc]);
				expect(label, s ? s : "", NOW + 5,
				       DKIMSA_RES_PASS, "verified");
				snprintf(label, sizeof(label),
					 "signature lines fit in 78 columns "
					 "%s %s/%s",
					 a ? "ed25519" : "rsa", cn[hc], cn[bc]);
				t_ok(s && lines_fit(s, strstr(s, "From:")),
				     label, "%s", s ? s : "");
				free(s);
			}
}

/* Edits of a good relaxed/relaxed rsa-sha256 signed message. */
static const struct {
	const char *label, *find, *with;
	int result;
	const char *reason;
} edit_rows[] = {
    {"a changed header fails", "Subject: Lunch", "Subject: Lunch!",
     DKIMSA_RES_FAIL, "signature did not verify"},
    {"a changed body byte fails", "at noon", "at nooN", DKIMSA_RES_FAIL,
     "body hash did not verify"},
    {"a dropped signed header fails", "To: Bob <bob@example.net>\r\n", "",
     DKIMSA_RES_FAIL, "signature did not verify"},
    {"an added From header fails (From is over-signed)", "From: Alice",
     "From: Mallory <m@evil.example>\r\nFrom: Alice", DKIMSA_RES_FAIL,
     "signature did not verify"},
    {"broken v= is a permerror", "v=1;", "v=2;", DKIMSA_RES_PERMERROR,
     "unsupported version"},
    {"broken a= is a permerror", "a=rsa-sha256;", "a=rsa-md5;",
     DKIMSA_RES_PERMERROR, "unsupported algorithm"},
    {"broken c= is a permerror", "c=relaxed/relaxed;", "c=fancy/relaxed;",
     DKIMSA_RES_PERMERROR, "unknown canonicalization"},
    {"broken d= is a permerror", "d=example.com;", "d=exa..mple.com;",
     DKIMSA_RES_PERMERROR, "bad domain"},
    {"broken s= is a permerror", "s=sel;", "s=se!l;", DKIMSA_RES_PERMERROR,
     "bad selector"},
    {"a folded bad tag value is quoted on one line (no CR)", "d=example.com;",
     "d=exa\r\n\tmple..com;", DKIMSA_RES_PERMERROR,
     "bad domain d=exa mple..com"},
    {"broken t= is a permerror", "t=1700000000;", "t=17000x0000;",
     DKIMSA_RES_PERMERROR, "bad number t="},
    {"broken bh= is a permerror", "bh=", "bh=!", DKIMSA_RES_PERMERROR,
     "bh= is not valid base64"},
    {"broken b= is a permerror", " b=", " b=!!", DKIMSA_RES_PERMERROR,
     "b= is not valid base64"},
    {"h= without From is a permerror",
     "h=from:from:", "h=", DKIMSA_RES_PERMERROR, "From is not signed"},
    {"i= outside d= is a permerror", "d=example.com;",
     "d=example.com; i=@evil.example;", DKIMSA_RES_PERMERROR, "i= domain"},
    {"x= before t= is a permerror", "t=1700000000;",
     "t=1700000000; x=1600000000;", DKIMSA_RES_PERMERROR, "x= is before t="},
    {"broken x= is a permerror", "t=1700000000;", "t=1700000000; x=soon;",
     DKIMSA_RES_PERMERROR, "bad number x="},
    {"broken l= is a permerror", "v=1;", "v=1; l=12a;", DKIMSA_RES_PERMERROR,
     "bad number l="},
    {"an unsupported q= is a permerror", "v=1;", "v=1; q=http;",
     DKIMSA_RES_PERMERROR, "unsupported query method"},
    {"a duplicate tag is a permerror", "s=sel;", "s=sel; s=sel;",
     DKIMSA_RES_PERMERROR, "duplicate tag"},
    {"a missing required tag is a permerror", "s=sel;", "",
     DKIMSA_RES_PERMERROR, "missing required tag s="},
    {"a bad tag list is a permerror", "v=1;", "v=1;; =x;", DKIMSA_RES_PERMERROR,
     "bad tag name"},
    {"a tag without = is a permerror", "v=1;", "v=1; novalue;",
     DKIMSA_RES_PERMERROR, "missing \"=\""},
    {"a control character in a value is a permerror", "v=1;", "v=1; z=a\001b;",
     DKIMSA_RES_PERMERROR, "invalid character"},
    {"unknown tags are ignored (the edit itself breaks the hash)", "v=1;",
     "v=1; zz=unknown;", DKIMSA_RES_FAIL, "signature did not verify"},
};

static void
test_edits(void)
{
	dkimsa_sign_opts o;
	char *good;
	size_t i;

	opts_for(&o, rsa_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_RELAXED);
	good = sign_text(base_msg, &o);
	set_key(rsa_rec, DKIMSA_LOOKUP_OK);
	for (i = 0; i < sizeof(edit_rows) / sizeof(edit_rows[0]); i++) {
		char *bad = replace(good, edit_rows[i].find, edit_rows[i].with);

		expect(edit_rows[i].label, bad, NOW + 5, edit_rows[i].result,
		       edit_rows[i].reason);
		free(bad);
	}
	free(good);
}

/* Key record variants for a good rsa-sha256 signature. */
static void
test_key_records(void)
{
	const char *p = strstr(rsa_rec, "p=");
	char revoked[] = "v=DKIM1; k=rsa; p=";
	char rec[4][2048];
	const struct {
		const char *label, *txt;
		int outcome, result;
		const char *reason;
	} rows[] = {
	    {"a revoked key is a permerror", revoked, DKIMSA_LOOKUP_OK,
	     DKIMSA_RES_PERMERROR, "key revoked"},
	    {"a key of the wrong type is a permerror", rec[0], DKIMSA_LOOKUP_OK,
	     DKIMSA_RES_PERMERROR, "key type"},
	    {"a key restricted to sha1 is a permerror", rec[1],
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR, "h= does not allow"},
	    {"a key for another service is a permerror", rec[2],
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR, "service type"},
	    {"a key in testing mode still passes, flagged", rec[3],
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PASS, "testing mode"},
	    {"a key record of garbage is a permerror", "this is no key",
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR, "key record"},
	    {"a key with bad base64 is a permerror", "v=DKIM1; p=AB!C",
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR, "not valid base64"},
	    {"a key with v=DKIM2 is a permerror", "v=DKIM2; p=AAAA",
	     DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR, "v= must be"},
	    {"a key that is not a public key is a permerror",
	     "v=DKIM1; p=AAAAAAAA", DKIMSA_LOOKUP_OK, DKIMSA_RES_PERMERROR,
	     "key record"},
	    {"a missing key is a permerror", NULL, DKIMSA_LOOKUP_NXDOMAIN,
	     DKIMSA_RES_PERMERROR, "no key"},
	    {"a key name without TXT is a permerror", NULL,
	     DKIMSA_LOOKUP_NODATA, DKIMSA_RES_PERMERROR, "no TXT"},
	    {"a key lookup that fails temporarily is a temperror", NULL,
	     DKIMSA_LOOKUP_TEMPFAIL, DKIMSA_RES_TEMPERROR, "temporarily"},
	    {"a DNSSEC-bogus key never passes", NULL, DKIMSA_LOOKUP_BOGUS,
	     DKIMSA_RES_PERMERROR, "bogus"},
	};
	dkimsa_sign_opts o;
	char *good;
	size_t i;

	snprintf(rec[0], sizeof(rec[0]), "v=DKIM1; k=ed25519; %s", p);
	snprintf(rec[1], sizeof(rec[1]), "v=DKIM1; h=sha1; %s", p);
	snprintf(rec[2], sizeof(rec[2]), "v=DKIM1; s=tlsrpt; %s", p);
	snprintf(rec[3], sizeof(rec[3]), "v=DKIM1; t=y; %s", p);
	opts_for(&o, rsa_key, DKIMSA_CANON_SIMPLE, DKIMSA_CANON_SIMPLE);
	good = sign_text(base_msg, &o);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		set_key(rows[i].txt, rows[i].outcome);
		expect(rows[i].label, good, NOW + 5, rows[i].result,
		       rows[i].reason);
	}
	free(good);
	/* t=s: i= must not be a subdomain */
	snprintf(rec[0], sizeof(rec[0]), "v=DKIM1; t=s; %s", p);
	opts_for(&o, rsa_key, DKIMSA_CANON_SIMPLE, DKIMSA_CANON_SIMPLE);
	o.auid = "alice@mail.example.com";
	good = sign_text(base_msg, &o);
	set_key(rec[0], DKIMSA_LOOKUP_OK);
	expect("a t=s key refuses an i= in a subdomain", good, NOW + 5,
	       DKIMSA_RES_PERMERROR, "t=s");
	set_key(rsa_rec, DKIMSA_LOOKUP_OK);
	expect("an i= in a subdomain of d= passes", good, NOW + 5,
	       DKIMSA_RES_PASS, "verified");
	free(good);
}

static void
test_policy(void)
{
	dkimsa_sign_opts o;
	char *raw, *s;
	dkimsa_verify *v;
	const dkimsa_sigresult *r;

	opts_for(&o, rsa_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_SIMPLE);
	o.expire = 3600;
	s = sign_text(base_msg, &o);
	set_key(rsa_rec, DKIMSA_LOOKUP_OK);
	expect("a signature within its x= passes", s, NOW + 60, DKIMSA_RES_PASS,
	       "verified");
	expect("an expired x= is a permerror (RFC 6376 6.1.1)", s, NOW + 7200,
	       DKIMSA_RES_PERMERROR, "signature expired");
	free(s);

	/* dkimsa refuses to sign with a 512-bit key: dkimpy made this one */
	fixture("rsa512", "small", &raw, &s);
	expect("a 512-bit RSA key never passes (RFC 8301)", raw ? raw : "", NOW,
	       DKIMSA_RES_POLICY, "512-bit key is below the minimum");
	free(raw);
	free(s);

	fixture("rsa-sha1", "old", &raw, &s);
	expect("an rsa-sha1 signature never passes (RFC 8301)", raw ? raw : "",
	       NOW, DKIMSA_RES_POLICY, "RFC 8301");
	free(raw);
	free(s);

	/* l= : content after the signed length does not break the signature */
	opts_for(&o, ed_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_RELAXED);
	o.body_limit = 1000000;
	s = sign_text(base_msg, &o);
	raw = malloc(strlen(s) + 40);
	sprintf(raw, "%sAppended by a list.\r\n", s);
	set_key(ed_rec, DKIMSA_LOOKUP_OK);
	v = verify_text(raw, NOW);
	r = dkimsa_verify_result(v, 0);
	t_ok(r && r->result == DKIMSA_RES_PASS && r->body_limit == 18 &&
		 strstr(r->reason, "l=") != NULL,
	     "l= is honoured and reported", "%s l=%lld", r ? r->reason : "none",
	     r ? r->body_limit : -2);
	dkimsa_verify_free(v);
	free(raw);
	raw = replace(s, "l=18;", "l=19;");
	expect("an l= longer than the body is a permerror (RFC 6376 3.5)", raw,
	       NOW, DKIMSA_RES_PERMERROR, "l= is larger than the body");
	free(raw);
	free(s);
}

/* Verifies text and checks the first result's cause (enum dkimsa_cause). */
static void
expect_cause(const char *label, const char *text, long long now, int cause)
{
	dkimsa_verify *v = verify_text(text, now);
	const dkimsa_sigresult *r = v ? dkimsa_verify_result(v, 0) : NULL;

	t_ok(r != NULL && r->cause == cause, label,
	     "got cause %d (%s), want %d", r ? r->cause : -1,
	     r ? r->reason : "no result", cause);
	dkimsa_verify_free(v);
}

/* One row per cause: an edit of a good signature and the key answer. */
static void
test_causes(void)
{
	const char *p = strstr(rsa_rec, "p=");
	char mismatch[2048];
	const struct {
		const char *label, *find, *with, *txt;
		int outcome, cause;
	} rows[] = {
	    {"a pass has no cause", NULL, NULL, rsa_rec, DKIMSA_LOOKUP_OK,
	     DKIMSA_CAUSE_NONE},
	    {"a tag that breaks the grammar is a signature syntax cause",
	     "v=1;", "v=2;", rsa_rec, DKIMSA_LOOKUP_OK,
	     DKIMSA_CAUSE_SIG_SYNTAX},
	    {"a key name that does not exist is the key NXDOMAIN cause", NULL,
	     NULL, NULL, DKIMSA_LOOKUP_NXDOMAIN, DKIMSA_CAUSE_KEY_NXDOMAIN},
	    {"a key name without TXT is the key NODATA cause", NULL, NULL, NULL,
	     DKIMSA_LOOKUP_NODATA, DKIMSA_CAUSE_KEY_NODATA},
	    {"a key lookup that fails temporarily is the DNS temporary cause",
	     NULL, NULL, NULL, DKIMSA_LOOKUP_TEMPFAIL, DKIMSA_CAUSE_DNS_TEMP},
	    {"a DNSSEC-bogus key answer is the bogus cause", NULL, NULL, NULL,
	     DKIMSA_LOOKUP_BOGUS, DKIMSA_CAUSE_DNSSEC_BOGUS},
	    {"a key record of garbage is the key syntax cause", NULL, NULL,
	     "this is no key", DKIMSA_LOOKUP_OK, DKIMSA_CAUSE_KEY_SYNTAX},
	    {"a key that is not a public key is the key syntax cause", NULL,
	     NULL, "v=DKIM1; p=AAAAAAAA", DKIMSA_LOOKUP_OK,
	     DKIMSA_CAUSE_KEY_SYNTAX},
	    {"an empty p= is the revoked cause", NULL, NULL,
	     "v=DKIM1; k=rsa; p=", DKIMSA_LOOKUP_OK, DKIMSA_CAUSE_KEY_REVOKED},
	    {"a key of another type is the key mismatch cause", NULL, NULL,
	     mismatch, DKIMSA_LOOKUP_OK, DKIMSA_CAUSE_KEY_MISMATCH},
	    {"a changed body byte is the body hash cause", "at noon", "at nooN",
	     rsa_rec, DKIMSA_LOOKUP_OK, DKIMSA_CAUSE_BODY_HASH},
	    {"a changed header is the header signature cause", "Subject: Lunch",
	     "Subject: Lunch!", rsa_rec, DKIMSA_LOOKUP_OK,
	     DKIMSA_CAUSE_HEADER_SIG},
	};
	dkimsa_sign_opts o;
	char *good, *s, *raw;
	size_t i;

	snprintf(mismatch, sizeof(mismatch), "v=DKIM1; k=ed25519; %s", p);
	opts_for(&o, rsa_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_RELAXED);
	good = sign_text(base_msg, &o);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		s = rows[i].find ? replace(good, rows[i].find, rows[i].with)
				 : strdup(good);
		set_key(rows[i].txt, rows[i].outcome);
		expect_cause(rows[i].label, s, NOW + 5, rows[i].cause);
		free(s);
	}
	free(good);
	o.expire = 3600;
	s = sign_text(base_msg, &o);
	set_key(rsa_rec, DKIMSA_LOOKUP_OK);
	expect_cause("an x= in the past is the expired cause", s, NOW + 7200,
		     DKIMSA_CAUSE_SIG_EXPIRED);
	free(s);
	fixture("rsa512", "small", &raw, &s);
	expect_cause("a key below MinimumKeyBits is the policy cause",
		     raw ? raw : "", NOW, DKIMSA_CAUSE_POLICY);
	free(raw);
	free(s);
}

/* i= is dkim-quoted-printable (RFC 6376 3.5): decoded before its checks.
 * Rows edit the i= of a good signature, so the header signature fails
 * unless the edit itself is refused first. */
static void
test_auid_qp(void)
{
	static const struct {
		const char *label, *with;
		int result;
		const char *reason, *decoded;
	} rows[] = {
	    {"an i= in quoted-printable is decoded before the domain check",
	     "i=jlong=40example.com;", DKIMSA_RES_FAIL,
	     "signature did not verify", "jlong@example.com"},
	    {"a quoted-printable local-part is decoded",
	     "i=j=2Elong@mail.example.com;", DKIMSA_RES_FAIL,
	     "signature did not verify", "j.long@mail.example.com"},
	    {"a folded quoted-printable i= is decoded",
	     "i=jlong=40\r\n\texample.com;", DKIMSA_RES_FAIL,
	     "signature did not verify", "jlong@example.com"},
	    {"a fold inside a hex-octet of i= is a permerror",
	     "i=jlong=\r\n\t40example.com;", DKIMSA_RES_PERMERROR,
	     "bad identity", NULL},
	    {"a quoted-printable i= outside d= is a permerror",
	     "i=x=40evil.example;", DKIMSA_RES_PERMERROR, "i= domain", NULL},
	    {"a broken quoted-printable i= is a permerror",
	     "i=a=4G@example.com;", DKIMSA_RES_PERMERROR, "bad identity", NULL},
	    {"an i= that decodes to a line end is a permerror",
	     "i=a=0D=0Ab@example.com;", DKIMSA_RES_PERMERROR, "bad identity",
	     NULL},
	};
	dkimsa_sign_opts o;
	dkimsa_verify *v;
	const dkimsa_sigresult *r;
	char *good, *bad;
	size_t i;

	set_key(rsa_rec, DKIMSA_LOOKUP_OK);
	opts_for(&o, rsa_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_RELAXED);
	o.auid = "jlong@example.com";
	good = sign_text(base_msg, &o);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bad = replace(good, "i=jlong@example.com;", rows[i].with);
		v = verify_text(bad, NOW + 5);
		r = v ? dkimsa_verify_result(v, 0) : NULL;
		t_ok(r != NULL && r->result == rows[i].result &&
			 strstr(r->reason, rows[i].reason) != NULL &&
			 (rows[i].decoded == NULL ||
			  strcmp(r->auid, rows[i].decoded) == 0),
		     rows[i].label, "got %s (%s) i=%s",
		     r ? dkimsa_res_name(r->result) : "no result",
		     r ? r->reason : "", r ? r->auid : "");
		dkimsa_verify_free(v);
		free(bad);
	}
	free(good);
	/* the signer writes i= in quoted-printable too */
	o.auid = "j;l=ong@example.com";
	good = sign_text(base_msg, &o);
	v = verify_text(good ? good : "", NOW + 5);
	r = v ? dkimsa_verify_result(v, 0) : NULL;
	t_ok(good != NULL && strstr(good, "i=j=3Bl=3Dong@example.com;") &&
		 r != NULL && r->result == DKIMSA_RES_PASS &&
		 strcmp(r->auid, "j;l=ong@example.com") == 0,
	     "an i= with ; and = is signed in quoted-printable and verifies",
	     "%s i=%s", r ? r->reason : "", r ? r->auid : "");
	dkimsa_verify_free(v);
	free(good);
}

static void
test_counts(void)
{
	dkimsa_sign_opts o;
	dkimsa_verify *v;
	char *msg = strdup(base_msg), *next;
	int i;

	v = verify_text(base_msg, NOW);
	t_ok(v && dkimsa_verify_count(v) == 0,
	     "an unsigned message has no results", "count %d",
	     v ? dkimsa_verify_count(v) : -1);
	dkimsa_verify_free(v);
	opts_for(&o, ed_key, DKIMSA_CANON_RELAXED, DKIMSA_CANON_RELAXED);
	for (i = 0; i < 12; i++) {
		next = sign_text(msg, &o);
		free(msg);
		msg = next;
	}
	set_key(ed_rec, DKIMSA_LOOKUP_OK);
	v = verify_text(msg, NOW);
	t_ok(v && dkimsa_verify_count(v) == 10,
	     "at most MaximumSignaturesToVerify (10) signatures are evaluated",
	     "count %d", v ? dkimsa_verify_count(v) : -1);
	t_ok(v && dkimsa_verify_result(v, 9)->result == DKIMSA_RES_PASS,
	     "each of several signatures verifies", "%s",
	     v ? dkimsa_verify_result(v, 9)->reason : "");
	dkimsa_verify_free(v);
	free(msg);
	v = verify_text("From: a@example.com\r\nDKIM-Signature: garbage\r\n"
			"\r\nbody\r\n",
			NOW);
	t_ok(v && dkimsa_verify_count(v) == 1 &&
		 dkimsa_verify_result(v, 0)->result == DKIMSA_RES_PERMERROR,
	     "a garbage signature is a permerror, not a crash", "count %d",
	     v ? dkimsa_verify_count(v) : -1);
	dkimsa_verify_free(v);
}

int
main(void)
{
	rsa_key = gen_key("RSA", 2048, &rsa_rec);
	ed_key = gen_key("ED25519", 0, &ed_rec);
	if (!t_ok(rsa_key && ed_key, "test keys load", "no key"))
		return t_exit();
	test_rfc8463();
	test_empty_body();
	test_round_trips();
	test_edits();
	test_key_records();
	test_policy();
	test_causes();
	test_auid_qp();
	test_counts();
	dkimsa_key_free(rsa_key);
	dkimsa_key_free(ed_key);
	free(rsa_rec);
	free(ed_rec);
	return t_exit();
}
