/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-spfquery - SPF and Sender ID checks from the command line, in the
 * spirit of ENMA's sidfquery (see dkimsa-spfquery(1)):
 *
 *   dkimsa-spfquery [-s | -m | -p] [--helo NAME] [--headers FILE]
 *       [--explain] [--received-spf] [--receiver NAME]
 *       [--trust-anchor FILE] [--nameserver ADDR[@PORT]]
 *       [--unbound-conf FILE] SENDER IP|HOST [IP|HOST ...]
 *
 * One line "SENDER IP RESULT" per address; a host name checks each of its
 * addresses.  Exit status: 0 when every check ran, 1 when one could not
 * run (bad address, DNS not available), 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"

struct opts {
	int identity;
	const char *helo, *headers_file, *receiver;
	int explain, received;
	char *headers;
	size_t headers_len;
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: dkimsa-spfquery [-s | -m | -p] [--helo NAME] "
		"[--headers FILE] [--explain]\n"
		"       [--received-spf] [--receiver NAME] "
		"[--trust-anchor FILE]\n"
		"       [--nameserver ADDR[@PORT]] [--unbound-conf FILE] "
		"SENDER IP [IP ...]\n");
	exit(2);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - *len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, fp);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp) || buf == NULL) {
		free(buf);
		buf = NULL;
	} else {
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

static int
check_one(dkimsa_lib *lib, const struct opts *o, const char *sender,
	  const char *ip)
{
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	char *hdr;
	int rc;

	memset(&req, 0, sizeof(req));
	req.client_ip = ip;
	req.helo = o->helo;
	req.mail_from = strcmp(sender, "<>") == 0 ? "" : sender;
	req.receiver = o->receiver;
	if (o->identity == DKIMSA_SID_PRA && o->headers != NULL) {
		req.headers = o->headers;
		req.headers_len = o->headers_len;
	} else if (o->identity == DKIMSA_SID_PRA) {
		req.pra = sender;
	}
	rc = dkimsa_spf_check(lib, &req, o->identity, &r);
	if (rc != DKIMSA_OK) {
		fprintf(stderr, "dkimsa-spfquery: %s %s: %s\n", sender, ip,
			dkimsa_strerror(rc));
		return 1;
	}
	printf("%s %s %s\n", sender, ip, dkimsa_res_name(r->result));
	if (o->explain && r->explanation != NULL)
		printf("  explanation: %s\n", r->explanation);
	if (o->explain)
		printf("  reason: %s\n", r->reason);
	if (o->received && dkimsa_spf_received(r, &hdr) == DKIMSA_OK) {
		/* CRLF folding printed with the local line end */
		for (char *p = hdr; *p; p++)
			if (*p != '\r')
				putchar(*p);
		putchar('\n');
		free(hdr);
	}
	dkimsa_spf_result_free(r);
	return 0;
}

static int
is_address(const char *s)
{
	return strchr(s, ':') != NULL || strspn(s, "0123456789.") == strlen(s);
}

static int
check_target(dkimsa_lib *lib, const struct opts *o, const char *sender,
	     const char *target)
{
	char **addrs;
	int rc, bad = 0;
	size_t i;

	if (is_address(target))
		return check_one(lib, o, sender, target);
	rc = dkimsa_spf_host_addrs(lib, target, &addrs);
	if (rc != DKIMSA_OK) {
		fprintf(stderr, "dkimsa-spfquery: %s: %s\n", target,
			rc == DKIMSA_ENOTFOUND ? "no addresses"
					       : dkimsa_strerror(rc));
		return 1;
	}
	for (i = 0; addrs[i] != NULL; i++) {
		bad |= check_one(lib, o, sender, addrs[i]);
		free(addrs[i]);
	}
	free(addrs);
	return bad;
}

static void
set_option(dkimsa_lib *lib, const char *name, const char *value)
{
	char err[256] = "";

	if (dkimsa_lib_set_option(lib, name, value, err, sizeof(err)) !=
	    DKIMSA_OK) {
		fprintf(stderr, "dkimsa-spfquery: %s: %s\n", name,
			err[0] ? err : "invalid value");
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"helo", required_argument, NULL, 'H'},
	    {"headers", required_argument, NULL, 'F'},
	    {"explain", no_argument, NULL, 'e'},
	    {"received-spf", no_argument, NULL, 'R'},
	    {"receiver", required_argument, NULL, 'r'},
	    {"trust-anchor", required_argument, NULL, 'T'},
	    {"nameserver", required_argument, NULL, 'N'},
	    {"unbound-conf", required_argument, NULL, 'U'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {DKIMSA_SPF_MAILFROM, NULL, NULL, NULL, 0, 0, NULL, 0};
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[256];
	int c, i, bad = 0;

	if (lib == NULL) {
		fprintf(stderr, "dkimsa-spfquery: out of memory\n");
		return 1;
	}
	while ((c = getopt_long(argc, argv, "smp", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.identity = DKIMSA_SPF_MAILFROM;
			break;
		case 'm':
			o.identity = DKIMSA_SID_MFROM;
			break;
		case 'p':
			o.identity = DKIMSA_SID_PRA;
			break;
		case 'H':
			o.helo = optarg;
			break;
		case 'F':
			o.headers_file = optarg;
			break;
		case 'e':
			o.explain = 1;
			break;
		case 'R':
			o.received = 1;
			break;
		case 'r':
			o.receiver = optarg;
			break;
		case 'T':
			set_option(lib, "TrustAnchorFile", optarg);
			break;
		case 'N':
			set_option(lib, "Nameservers", optarg);
			break;
		case 'U':
			set_option(lib, "UnboundConfigFile", optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	if (o.headers_file != NULL &&
	    (o.headers = read_file(o.headers_file, &o.headers_len)) == NULL) {
		fprintf(stderr, "dkimsa-spfquery: %s: %s\n", o.headers_file,
			strerror(errno));
		dkimsa_lib_free(lib);
		return 1;
	}
	if (dkimsa_lib_start_dns(lib, err, sizeof(err)) != DKIMSA_OK) {
		fprintf(stderr, "dkimsa-spfquery: DNS: %s\n", err);
		bad = 1;
	}
	for (i = optind + 1; !bad && i < argc; i++)
		bad |= check_target(lib, &o, argv[optind], argv[i]);
	free(o.headers);
	dkimsa_lib_free(lib);
	return bad;
}
