/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-sign - sign a message read on stdin and write it to stdout with
 * the DKIM-Signature field added at the top, or with --arc the next ARC
 * set (arcseal.c) (see dkimsa-sign(1)).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcseal.h"
#include "dkimsa.h"
#include "msgfile.h"

static void
usage(void)
{
	fprintf(
	    stderr,
	    "usage: dkimsa-sign -d DOMAIN -s SELECTOR -k KEYFILE "
	    "[-a rsa-sha256|ed25519-sha256]\n"
	    "                   [-c HEADER/BODY] [-H h1:h2:...] "
	    "[-i AUID] [-x SECONDS]\n"
	    "       dkimsa-sign --arc -d DOMAIN -s SELECTOR -k KEYFILE "
	    "--authserv-id ID\n"
	    "                   [--results TEXT] [--cv pass|fail] "
	    "[-H h1:h2:...] [--now EPOCH]\n"
	    "                   [--unbound-conf FILE] [--trust-anchor FILE] "
	    "[--nameserver ADDR[@PORT] ...]\n");
	exit(2);
}

static int
canon_word(const char *w, size_t n)
{
	if (n == 6 && strncmp(w, "simple", 6) == 0)
		return DKIMSA_CANON_SIMPLE;
	if (n == 7 && strncmp(w, "relaxed", 7) == 0)
		return DKIMSA_CANON_RELAXED;
	return -1;
}

/* -c HEADER[/BODY]; BODY defaults to simple as in RFC 6376 c=. */
static void
parse_canon(const char *arg, dkimsa_sign_opts *o)
{
	const char *slash = strchr(arg, '/');
	size_t hl = slash ? (size_t)(slash - arg) : strlen(arg);

	o->header_canon = canon_word(arg, hl);
	o->body_canon = slash ? canon_word(slash + 1, strlen(slash + 1))
			      : DKIMSA_CANON_SIMPLE;
	if (o->header_canon < 0 || o->body_canon < 0) {
		fprintf(stderr,
			"dkimsa-sign: -c %s: use simple or relaxed, "
			"e.g. relaxed/relaxed\n",
			arg);
		exit(2);
	}
}

static int
sign_message(const dkimsa_sign_opts *o, const struct msgfile *m)
{
	dkimsa_sign *s = NULL;
	char *field = NULL;
	size_t i;
	int rc = dkimsa_sign_new(o, &s);

	for (i = 0; rc == 0 && i < m->nfields; i++)
		rc = dkimsa_sign_header(s, m->fields[i].text, m->fields[i].len);
	if (rc == 0)
		rc = dkimsa_sign_body(s, m->data + m->body, m->len - m->body);
	if (rc == 0)
		rc = dkimsa_sign_finish(s, &field);
	dkimsa_sign_free(s);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-sign: cannot sign: %s%s\n",
			dkimsa_strerror(rc),
			rc == DKIMSA_ESYNTAX ? " (the message has no From "
					       "field, or From is not in -H)"
					     : "");
		return 1;
	}
	arcseal_put(field, m->crlf);
	free(field);
	if (fwrite(m->data, 1, m->len, stdout) != m->len || fflush(stdout))
		return 1;
	return 0;
}

/* DNS options for --arc (keys of the chain to validate). */
struct dnsopts {
	const char *anchor, *conf;
	char ns[1024];
};

static int
arc_main(struct arcseal_opts *so, const struct dnsopts *d,
	 const struct msgfile *m)
{
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[512];
	int rc;

	if (lib == NULL) {
		fprintf(stderr, "dkimsa-sign: out of memory\n");
		return 1;
	}
	if ((d->anchor &&
	     dkimsa_lib_set_option(lib, "TrustAnchorFile", d->anchor, err,
				   sizeof(err)) != 0) ||
	    (d->ns[0] && dkimsa_lib_set_option(lib, "Nameservers", d->ns, err,
					       sizeof(err)) != 0) ||
	    (d->conf && dkimsa_lib_set_option(lib, "UnboundConfigFile", d->conf,
					      err, sizeof(err)) != 0)) {
		fprintf(stderr, "dkimsa-sign: %s\n", err);
		dkimsa_lib_free(lib);
		return 2;
	}
	rc = arcseal_message(lib, so, m);
	dkimsa_lib_free(lib);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"arc", no_argument, NULL, 'A'},
	    {"authserv-id", required_argument, NULL, 'I'},
	    {"results", required_argument, NULL, 'R'},
	    {"cv", required_argument, NULL, 'V'},
	    {"now", required_argument, NULL, 'N'},
	    {"trust-anchor", required_argument, NULL, 'T'},
	    {"nameserver", required_argument, NULL, 'S'},
	    {"unbound-conf", required_argument, NULL, 'U'},
	    {NULL, 0, NULL, 0},
	};
	struct arcseal_opts so;
	struct dnsopts dns;
	int arc = 0;
	dkimsa_sign_opts o;
	const char *keyfile = NULL, *alg = NULL;
	struct msgfile m;
	char err[256];
	int c, rc;

	memset(&o, 0, sizeof(o));
	memset(&so, 0, sizeof(so));
	memset(&dns, 0, sizeof(dns));
	o.header_canon = o.body_canon = DKIMSA_CANON_RELAXED;
	o.body_limit = -1;
	while ((c = getopt_long(argc, argv, "d:s:k:a:c:H:i:x:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'A':
			arc = 1;
			break;
		case 'I':
			so.authserv_id = optarg;
			break;
		case 'R':
			so.results = optarg;
			break;
		case 'V':
			if (strcmp(optarg, "pass") != 0 &&
			    strcmp(optarg, "fail") != 0)
				usage();
			so.cv = optarg;
			break;
		case 'N':
			so.now = o.now = strtoll(optarg, NULL, 10);
			if (o.now <= 0)
				usage();
			break;
		case 'T':
			dns.anchor = optarg;
			break;
		case 'U':
			dns.conf = optarg;
			break;
		case 'S':
			if (strlen(dns.ns) + strlen(optarg) + 2 >
			    sizeof(dns.ns))
				usage();
			if (dns.ns[0] != '\0')
				strcat(dns.ns, ",");
			strcat(dns.ns, optarg);
			break;
		case 'd':
			o.domain = optarg;
			break;
		case 's':
			o.selector = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'a':
			alg = optarg;
			break;
		case 'c':
			parse_canon(optarg, &o);
			break;
		case 'H':
			o.sign_headers = optarg;
			break;
		case 'i':
			o.auid = optarg;
			break;
		case 'x':
			o.expire = strtoll(optarg, NULL, 10);
			if (o.expire <= 0) {
				fprintf(stderr,
					"dkimsa-sign: -x %s: need a "
					"positive number of seconds\n",
					optarg);
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	if (o.domain == NULL || o.selector == NULL || keyfile == NULL ||
	    optind != argc || (arc && so.authserv_id == NULL))
		usage();
	if (dkimsa_key_load(keyfile, &o.key, err, sizeof(err)) != 0) {
		fprintf(stderr, "dkimsa-sign: %s\n", err);
		return 1;
	}
	if (alg != NULL && dkimsa_alg_from_name(alg) != dkimsa_key_alg(o.key)) {
		fprintf(stderr,
			"dkimsa-sign: -a %s does not match the key in "
			"%s (%s)\n",
			alg, keyfile, dkimsa_alg_name(dkimsa_key_alg(o.key)));
		dkimsa_key_free(o.key);
		return 2;
	}
	if (msgfile_read(stdin, &m) != 0) {
		fprintf(stderr, "dkimsa-sign: reading stdin: %s\n",
			strerror(errno));
		dkimsa_key_free(o.key);
		return 1;
	}
	if (arc) {
		so.domain = o.domain;
		so.selector = o.selector;
		so.key = o.key;
		so.headers = o.sign_headers;
		rc = arc_main(&so, &dns, &m);
	} else {
		rc = sign_message(&o, &m);
	}
	msgfile_free(&m);
	dkimsa_key_free(o.key);
	return rc;
}
