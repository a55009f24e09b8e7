/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-verify - verify every DKIM signature of a message read on stdin
 * and print one line per signature, then the ARC chain's arc= line when
 * the message has ARC fields or --arc is given (see dkimsa-verify(1)).
 * Keys come from files given with -K, or from DNS through the library.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "msgfile.h"
#include "pipeline.h"

struct keyfile {
	const char *name; /* "sel._domainkey.example.com" */
	const char *path;
};

struct keyfiles {
	struct keyfile *v;
	size_t n;
};

static void
usage(void)
{
	fprintf(stderr, "usage: dkimsa-verify [-K NAME=FILE ...] [--now EPOCH] "
			"[--arc] [--trust-anchor FILE]\n"
			"                     [--nameserver ADDR[@PORT] ...] "
			"[--unbound-conf FILE]\n"
			"                     [--client-ip ADDR [--helo NAME] "
			"[--mail-from ADDR]]\n"
			"                     [--dns-timeout SECONDS]\n");
	exit(2);
}

/* TXT text from a file: quoted strings are joined, else the trimmed text. */
static char *
read_record(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *out, *p, *q;
	long n;
	int quoted = 0;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (out = calloc(1, (size_t)n + 1)) == NULL) {
		if (fp)
			fclose(fp);
		return NULL;
	}
	n = (long)fread(out, 1, (size_t)n, fp);
	fclose(fp);
	out[n] = '\0';
	if (strchr(out, '"') != NULL) {
		for (p = q = out; *p; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (quoted)
				*q++ = *p;
		}
		*q = '\0';
		return out;
	}
	while (n > 0 && strchr(" \t\r\n", out[n - 1]))
		out[--n] = '\0';
	return out;
}

static int
key_from_files(void *arg, const char *domain, const char *selector, char **txt,
	       int *secure)
{
	const struct keyfiles *kf = arg;
	size_t i, sl = strlen(selector);

	(void)secure; /* not from DNS: stays -1 */
	for (i = 0; i < kf->n; i++) {
		const char *n = kf->v[i].name;

		if (strncasecmp(n, selector, sl) == 0 &&
		    strncasecmp(n + sl, "._domainkey.", 12) == 0 &&
		    strcasecmp(n + sl + 12, domain) == 0) {
			*txt = read_record(kf->v[i].path);
			if (*txt == NULL) {
				fprintf(stderr, "dkimsa-verify: %s: %s\n",
					kf->v[i].path, strerror(errno));
				return DKIMSA_LOOKUP_TEMPFAIL;
			}
			return DKIMSA_LOOKUP_OK;
		}
	}
	return DKIMSA_LOOKUP_NXDOMAIN;
}

static void
print_result(const dkimsa_sigresult *r)
{
	const char *alg = dkimsa_alg_name(r->alg);
	char b[9];

	snprintf(b, sizeof(b), "%s", r->b);
	printf("dkim=%s", dkimsa_res_name(r->result));
	if (*r->domain)
		printf(" header.d=%s", r->domain);
	if (*r->selector)
		printf(" header.s=%s", r->selector);
	if (alg != NULL)
		printf(" header.a=%s", alg);
	if (*r->b)
		printf(" header.b=%s", b);
	printf(" (");
	if (r->key_bits > 0)
		printf("%u-bit key; ", r->key_bits);
	if (r->key_secure == 1)
		printf("secure key; ");
	else if (r->key_secure == 0)
		printf("unprotected key; ");
	printf("%s)\n", r->reason);
}

/*
 * RFC 5617 over DNS for the From: domain (keys from DNS only).  The From
 * is read by the library's RFC 5322 parser; one that does not hold
 * exactly one mailbox is reported, never guessed at.
 */
static void
print_adsp(dkimsa_lib *lib, const dkimsa_verify *v, const struct msgfile *m)
{
	char *from = NULL, why[256];
	const char *f = NULL;
	size_t i, len = 0;
	int rc;

	for (i = 0; i < m->nfields && f == NULL; i++)
		if (m->fields[i].len >= 5 &&
		    strncasecmp(m->fields[i].text, "From:", 5) == 0) {
			f = m->fields[i].text + 5;
			len = m->fields[i].len - 5;
		}
	if (f == NULL) {
		printf("dkim-adsp=none (no author address)\n");
		return;
	}
	rc = dkimsa_rfc5322_mailbox(f, len, &from);
	if (rc != 0) {
		printf("dkim-adsp=permerror (From: %s)\n",
		       rc == DKIMSA_EMULTIPLE ? "more than one mailbox"
		       : rc == DKIMSA_ESYNTAX ? "no valid mailbox"
					      : dkimsa_strerror(rc));
		return;
	}
	printf("dkim-adsp=%s header.from=%s",
	       dkimsa_res_name(dkimsa_adsp_check(lib, strrchr(from, '@') + 1, v,
						 why, sizeof(why))),
	       from);
	printf(" (%s)\n", why[0] ? why : "no reason given");
	free(from);
}

/*
 * The ARC chain (RFC 8617 5.2): "arc=pass header.oldest-pass=N
 * [smtp.remote-ip=IP] (reason)", printed when the message has ARC fields
 * or always is set.  Returns 1 on an error of the library.
 */
static int
print_arc(dkimsa_lib *lib, struct keyfiles *kf, long long now,
	  const struct msgfile *m, int always)
{
	const dkimsa_arc_result *r;
	dkimsa_arc *a = NULL;
	size_t i;
	int rc, has = 0;

	for (i = 0; i < m->nfields; i++)
		has |= m->fields[i].len >= 4 &&
		       strncasecmp(m->fields[i].text, "arc-", 4) == 0;
	if (!has && !always)
		return 0;
	rc = dkimsa_arc_new(lib, &a);
	if (rc == 0 && kf->n > 0)
		dkimsa_arc_set_key_fn(a, key_from_files, kf);
	if (rc == 0)
		dkimsa_arc_set_time(a, now);
	for (i = 0; rc == 0 && i < m->nfields; i++)
		rc = dkimsa_arc_header(a, m->fields[i].text, m->fields[i].len);
	if (rc == 0)
		rc = dkimsa_arc_eoh(a);
	if (rc == 0)
		rc = dkimsa_arc_body(a, m->data + m->body, m->len - m->body);
	if (rc == 0)
		rc = dkimsa_arc_finish(a);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-verify: arc: %s\n",
			dkimsa_strerror(rc));
		dkimsa_arc_free(a);
		return 1;
	}
	r = dkimsa_arc_get_result(a);
	printf("arc=%s", dkimsa_res_name(r->result));
	if (r->result == DKIMSA_RES_PASS)
		printf(" header.oldest-pass=%d", r->oldest_pass);
	if (*r->remote_ip)
		printf(" smtp.remote-ip=%s", r->remote_ip);
	if (r->result == DKIMSA_RES_PASS)
		printf(" (sealer %s; oldest-pass sealer %s; %s)\n", r->sealer,
		       r->oldest_pass_sealer, r->reason);
	else if (r->failed_instance > 0)
		printf(" (i=%d: %s)\n", r->failed_instance, r->reason);
	else
		printf(" (%s)\n", r->reason);
	dkimsa_arc_free(a);
	return 0;
}

static int
verify_message(dkimsa_lib *lib, struct keyfiles *kf,
	       const struct pipeline_opts *po, const struct msgfile *m, int arc)
{
	dkimsa_verify *v = NULL;
	size_t i;
	int rc, n;

	rc = dkimsa_verify_new(lib, &v);
	if (rc == 0 && kf->n > 0)
		dkimsa_verify_set_key_fn(v, key_from_files, kf);
	if (rc == 0)
		dkimsa_verify_set_time(v, po->now);
	for (i = 0; rc == 0 && i < m->nfields; i++)
		rc = dkimsa_verify_header(v, m->fields[i].text,
					  m->fields[i].len);
	if (rc == 0)
		rc = dkimsa_verify_eoh(v);
	if (rc == 0)
		rc = dkimsa_verify_body(v, m->data + m->body, m->len - m->body);
	if (rc == 0)
		rc = dkimsa_verify_finish(v);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-verify: %s\n", dkimsa_strerror(rc));
		dkimsa_verify_free(v);
		return 1;
	}
	if (po->client_ip != NULL) { /* receiver mode: SPF, DKIM, DMARC */
		rc = pipeline_print(lib, po, v, m);
		dkimsa_verify_free(v);
		if (print_arc(lib, kf, po->now, m, arc) != 0)
			rc = 1;
		return fflush(stdout) ? 1 : rc;
	}
	n = dkimsa_verify_count(v);
	if (n == 0)
		printf("dkim=none\n");
	for (i = 0; i < (size_t)n; i++)
		print_result(dkimsa_verify_result(v, (int)i));
	if (kf->n == 0)
		print_adsp(lib, v, m);
	dkimsa_verify_free(v);
	if (print_arc(lib, kf, po->now, m, arc) != 0)
		return 1;
	return fflush(stdout) ? 1 : 0;
}

static void
add_keyfile(struct keyfiles *kf, char *arg)
{
	char *eq = strchr(arg, '=');
	struct keyfile *nv;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		fprintf(stderr,
			"dkimsa-verify: -K %s: use "
			"SELECTOR._domainkey.DOMAIN=FILE\n",
			arg);
		exit(2);
	}
	nv = realloc(kf->v, (kf->n + 1) * sizeof(*nv));
	if (nv == NULL) {
		perror("dkimsa-verify");
		exit(1);
	}
	*eq = '\0';
	kf->v = nv;
	kf->v[kf->n].name = arg;
	kf->v[kf->n].path = eq + 1;
	kf->n++;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"now", required_argument, NULL, 'N'},
	    {"trust-anchor", required_argument, NULL, 'T'},
	    {"nameserver", required_argument, NULL, 'S'},
	    {"unbound-conf", required_argument, NULL, 'U'},
	    {"client-ip", required_argument, NULL, 'C'},
	    {"helo", required_argument, NULL, 'H'},
	    {"mail-from", required_argument, NULL, 'M'},
	    {"dns-timeout", required_argument, NULL, 'D'},
	    {"arc", no_argument, NULL, 'A'},
	    {NULL, 0, NULL, 0},
	};
	struct keyfiles kf = {NULL, 0};
	const char *anchor = NULL, *conf = NULL, *timeout = NULL;
	struct pipeline_opts po = {NULL, NULL, NULL, 0};
	char ns[1024] = "", err[512];
	dkimsa_lib *lib;
	struct msgfile m;
	int c, rc, arc = 0;

	while ((c = getopt_long(argc, argv, "K:", longopts, NULL)) != -1) {
		switch (c) {
		case 'K':
			add_keyfile(&kf, optarg);
			break;
		case 'A':
			arc = 1;
			break;
		case 'N':
			po.now = strtoll(optarg, NULL, 10);
			if (po.now <= 0)
				usage();
			break;
		case 'C':
			po.client_ip = optarg;
			break;
		case 'H':
			po.helo = optarg;
			break;
		case 'M':
			po.mail_from = optarg;
			break;
		case 'D':
			timeout = optarg;
			break;
		case 'T':
			anchor = optarg;
			break;
		case 'U':
			conf = optarg;
			break;
		case 'S':
			if (strlen(ns) + strlen(optarg) + 2 > sizeof(ns))
				usage();
			if (ns[0] != '\0')
				strcat(ns, ",");
			strcat(ns, optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc ||
	    (po.client_ip == NULL && (po.helo || po.mail_from)) ||
	    (po.client_ip != NULL && kf.n > 0))
		usage();
	lib = dkimsa_lib_new();
	if (lib == NULL) {
		fprintf(stderr, "dkimsa-verify: out of memory\n");
		return 1;
	}
	if ((anchor && dkimsa_lib_set_option(lib, "TrustAnchorFile", anchor,
					     err, sizeof(err)) != 0) ||
	    (ns[0] && dkimsa_lib_set_option(lib, "Nameservers", ns, err,
					    sizeof(err)) != 0) ||
	    (conf && dkimsa_lib_set_option(lib, "UnboundConfigFile", conf, err,
					   sizeof(err)) != 0) ||
	    (timeout && dkimsa_lib_set_option(lib, "DNSTimeout", timeout, err,
					      sizeof(err)) != 0)) {
		fprintf(stderr, "dkimsa-verify: %s\n", err);
		dkimsa_lib_free(lib);
		return 2;
	}
	if (kf.n == 0 && dkimsa_lib_start_dns(lib, err, sizeof(err)) != 0) {
		fprintf(stderr, "dkimsa-verify: %s\n", err);
		dkimsa_lib_free(lib);
		return 1;
	}
	if (msgfile_read(stdin, &m) != 0) {
		fprintf(stderr, "dkimsa-verify: reading stdin: %s\n",
			strerror(errno));
		dkimsa_lib_free(lib);
		return 1;
	}
	rc = verify_message(lib, &kf, &po, &m, arc);
	msgfile_free(&m);
	dkimsa_lib_free(lib);
	free(kf.v);
	return rc;
}
