/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arfmt.c - formats one Authentication-Results field per input row
 * through the library's real code, for tests/authres/hostile.py, which
 * parses every field back with a real A-R parser (python3-authres).
 *
 * Input (stdin), one row a line: KIND TAB LABEL TAB VALUE, the value with
 * \r \n \t \\ and \xHH escapes.  KIND says what the value is and which
 * code runs:
 *   from      a From: value: dkimsa_rfc5322_mailbox(), then the milter's
 *             dkim-adsp resinfo (header.from, or the reason as a comment)
 *   helo      the HELO name: dkimsa_spf_check(), identity HELO
 *   mailfrom  MAIL FROM: dkimsa_spf_check(), identity MAIL FROM
 *   pra       a header block: dkimsa_sid_check(), scope PRA
 *   tag       a DKIM-Signature value: dkimsa_verify_*() on a message
 *   comment   a reason text: a dkim=fail resinfo carrying it
 *   many      a reason text: 150 dkim=fail resinfos carrying it
 * DNS is a fake table with no records (every check is none).  Output per
 * row: "ROW LABEL\n", the byte count, "\n", the field value
 * (authserv-id mx.example.jp) and "\n".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "dkimsa_test.h"

static size_t
unescape(const char *s, char *out)
{
	size_t o = 0;
	unsigned x;

	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			out[o++] = *s;
			continue;
		}
		switch (*++s) {
		case 'r':
			out[o++] = '\r';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'x':
			if (sscanf(s + 1, "%2x", &x) == 1) {
				out[o++] = (char)x;
				s += 2;
			}
			break;
		default:
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return o;
}

static void
add_from(dkimsa_ar *ar, const char *v, size_t len)
{
	char *addr = NULL;
	int rc = dkimsa_rfc5322_mailbox(v, len, &addr);

	/* as milter/verifypath.c: the author, or why there is none */
	dkimsa_ar_method(ar, "dkim-adsp",
			 rc == 0 ? DKIMSA_RES_PASS : DKIMSA_RES_PERMERROR);
	if (rc == 0)
		dkimsa_ar_prop(ar, "header", "from", addr);
	else
		dkimsa_ar_comment(ar, rc == DKIMSA_EMULTIPLE
					  ? "From: more than one mailbox"
					  : "From: no valid mailbox");
	free(addr);
}

static void
add_spf(dkimsa_lib *lib, dkimsa_ar *ar, const char *kind, const char *v,
	size_t len)
{
	dkimsa_spf_req req;
	dkimsa_spf_result *r = NULL;
	int rc;

	memset(&req, 0, sizeof(req));
	req.client_ip = "192.0.2.1";
	req.receiver = "mx.example.jp";
	req.helo = "helo.example.net";
	if (strcmp(kind, "helo") == 0) {
		req.helo = v;
		rc = dkimsa_spf_check(lib, &req, DKIMSA_SPF_HELO, &r);
	} else if (strcmp(kind, "mailfrom") == 0) {
		req.mail_from = v;
		rc = dkimsa_spf_check(lib, &req, DKIMSA_SPF_MAILFROM, &r);
	} else {
		req.headers = v;
		req.headers_len = len;
		rc = dkimsa_sid_check(lib, &req, DKIMSA_SID_PRA, &r);
	}
	if (rc == 0)
		dkimsa_ar_add_spf(ar, r);
	else
		fprintf(stderr, "arfmt: check: %s\n", dkimsa_strerror(rc));
	dkimsa_spf_result_free(r);
}

static void
add_tag(dkimsa_ar *ar, const char *v, size_t len)
{
	static const char from[] = "From: a@example.com";
	dkimsa_verify *dv;
	char *field = malloc(len + 20);
	int i;

	if (field == NULL || dkimsa_verify_new(NULL, &dv) != 0) {
		free(field);
		return;
	}
	memcpy(field, "DKIM-Signature: ", 16);
	memcpy(field + 16, v, len);
	dkimsa_verify_header(dv, field, len + 16);
	dkimsa_verify_header(dv, from, sizeof(from) - 1);
	dkimsa_verify_eoh(dv);
	dkimsa_verify_body(dv, "body\r\n", 6);
	dkimsa_verify_finish(dv);
	for (i = 0; i < dkimsa_verify_count(dv); i++)
		dkimsa_ar_add_dkim(ar, dkimsa_verify_result(dv, i));
	dkimsa_verify_free(dv);
	free(field);
}

static void
add_comment(dkimsa_ar *ar, const char *v, int times)
{
	dkimsa_sigresult r;
	int i;

	memset(&r, 0, sizeof(r));
	r.result = DKIMSA_RES_FAIL;
	r.reason = v;
	r.domain = "example.com";
	r.selector = "sel";
	r.auid = "";
	r.alg = DKIMSA_ALG_RSA_SHA256;
	r.b = "";
	r.key_secure = -1;
	for (i = 0; i < times; i++)
		dkimsa_ar_add_dkim(ar, &r);
}

int
main(void)
{
	static char line[200000], value[200000];
	char err[200], *out, *kind, *label, *raw;
	dkimsa_lib *lib = dkimsa_lib_new();
	dkimsa_ar *ar;
	size_t len;

	if (lib == NULL ||
	    dkimsa_lib_set_fake_dns(lib, "unused.invalid A 192.0.2.9", err,
				    sizeof(err)) != 0) {
		fprintf(stderr, "arfmt: fake DNS: %s\n", lib ? err : "no lib");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		kind = strtok(line, "\t");
		label = strtok(NULL, "\t");
		raw = strtok(NULL, "");
		if (kind == NULL || label == NULL)
			continue;
		len = unescape(raw ? raw : "", value);
		if (dkimsa_ar_new("mx.example.jp", &ar) != 0)
			return 1;
		if (strcmp(kind, "from") == 0)
			add_from(ar, value, len);
		else if (strcmp(kind, "tag") == 0)
			add_tag(ar, value, len);
		else if (strcmp(kind, "comment") == 0)
			add_comment(ar, value, 1);
		else if (strcmp(kind, "many") == 0)
			add_comment(ar, value, 150);
		else
			add_spf(lib, ar, kind, value, len);
		if (dkimsa_ar_finish(ar, &out) != 0)
			return 1;
		printf("ROW %s\n%zu\n%s\n", label, strlen(out), out);
		free(out);
		dkimsa_ar_free(ar);
	}
	dkimsa_lib_free(lib);
	return fflush(stdout) != 0;
}
