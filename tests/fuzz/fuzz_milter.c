/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_milter.c - the milter's connection, header and body path
 * (milter/callbacks.c, msg.c, policy.c, signpath.c, verifypath.c,
 * reply.c) driven as libmilter drives it, without libmilter: the smfi_*
 * calls the callbacks make are answered here.  The run-time state comes
 * from a fixed dkimsa.conf (milter/rt.c) with an inline Ed25519 key and
 * the library's fake DNS (SPF, Sender ID, DKIM keys, ADSP).
 *
 * Every header the milter adds or changes must be one well-formed field
 * value (no CR or NUL, each LF followed by white space, under libmilter's
 * 64 KiB packet), our A-R must carry our authserv-id, and every reply is
 * a 4xx or 5xx code with a matching enhanced status.
 *
 * Input: one byte of flags (bit 0: the client is 127.0.0.1, an internal
 * host, else 192.0.2.1; bit 1: SMTP AUTH; bit 2: the MTA sends header
 * values with their leading space; bit 3: no HELO), the MAIL FROM
 * argument up to a LF, the HELO name up to a LF, then the message
 * (headers, empty line, body).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "callbacks.h"
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "fuzz.h"
#include "rt.h"

#define AUTHSERV_ID "mx.example.org"

static const char milter_conf[] =
    "Mode sv\n"
    "Syslog no\n"
    "Domain example.com,example.org\n"
    "Selector ed\n"
    "SignatureAlgorithm ed25519-sha256\n"
    "KeyFile QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=\n"
    "RequireSafeKeys no\n"
    "InternalHosts csl:127.0.0.1,::1\n"
    "AuthservID " AUTHSERV_ID "\n"
    "Canonicalization relaxed/simple\n"
    "OversignHeaders From\n"
    "SPF yes\n"
    "SenderID yes\n"
    "ADSP yes\n"
    "ReceivedSPFHeader yes\n"
    "AlwaysAddARHeader yes\n"
    "DNSTimeout 1\n";

static const char milter_zone[] =
    "example.com TXT v=spf1 ip4:192.0.2.0/24 -all\n"
    "example.com TXT spf2.0/pra ip4:192.0.2.0/24 -all\n"
    "example.net TXT v=spf1 include:example.com ?all exp=exp.example.net\n"
    "exp.example.net TXT %{i} is not allowed for %{s}\n"
    "example.org A 192.0.2.1\n"
    "_adsp._domainkey.example.org TXT dkim=discardable\n"
    "ed._domainkey.example.com TXT v=DKIM1; k=ed25519; "
    "p=25lf4lFp0UHKubu6krqgH58uHs599MsqwFGQ83/MH50=\n"
    "fail.example SERVFAIL\n"
    "slow.example TIMEOUT\n";

/* ---- the part of libmilter the callbacks use ---- */

struct smfi_str {
	void *priv;
	int auth;
};

void *
smfi_getpriv(SMFICTX *ctx)
{
	return ctx->priv;
}

int
smfi_setpriv(SMFICTX *ctx, void *priv)
{
	ctx->priv = priv;
	return MI_SUCCESS;
}

char *
smfi_getsymval(SMFICTX *ctx, char *name)
{
	if (strcmp(name, "i") == 0)
		return "4ABCDE1234";
	if (strcmp(name, "{auth_authen}") == 0 ||
	    strcmp(name, "auth_authen") == 0)
		return ctx->auth ? "user" : NULL;
	if (strcmp(name, "{daemon_name}") == 0 ||
	    strcmp(name, "daemon_name") == 0)
		return "smtpd";
	return NULL;
}

int
smfi_setreply(SMFICTX *ctx, char *rcode, char *xcode, char *message)
{
	(void)ctx;
	FUZZ_CHECK(rcode != NULL && (rcode[0] == '4' || rcode[0] == '5'));
	FUZZ_CHECK(strlen(rcode) == 3);
	FUZZ_CHECK(xcode == NULL || xcode[0] == rcode[0]);
	FUZZ_CHECK(message == NULL || strpbrk(message, "\r\n") == NULL);
	return MI_SUCCESS;
}

/* One field value as libmilter sends it to the MTA. */
static void
milter_value_ok(const char *name, const char *value)
{
	const char *p;

	FUZZ_CHECK(name != NULL && name[0] != '\0');
	FUZZ_CHECK(strpbrk(name, ": \t\r\n") == NULL);
	FUZZ_CHECK(strlen(name) + strlen(value) < 65000);
	for (p = value; *p; p++) {
		FUZZ_CHECK(*p != '\r');
		if (*p == '\n')
			FUZZ_CHECK(p[1] == ' ' || p[1] == '\t');
	}
	if (strcmp(name, "Authentication-Results") == 0)
		FUZZ_CHECK(
		    dkimsa_ar_is_ours(value, strlen(value), AUTHSERV_ID) == 1);
}

int
smfi_insheader(SMFICTX *ctx, int idx, char *name, char *value)
{
	(void)ctx;
	FUZZ_CHECK(idx >= 0);
	milter_value_ok(name, value);
	return MI_SUCCESS;
}

int
smfi_addheader(SMFICTX *ctx, char *name, char *value)
{
	return smfi_insheader(ctx, 0, name, value);
}

int
smfi_chgheader(SMFICTX *ctx, char *name, int idx, char *value)
{
	(void)ctx;
	FUZZ_CHECK(idx >= 1);
	if (value != NULL)
		milter_value_ok(name, value);
	return MI_SUCCESS;
}

int
smfi_quarantine(SMFICTX *ctx, char *reason)
{
	(void)ctx;
	FUZZ_CHECK(reason != NULL && strpbrk(reason, "\r\n") == NULL);
	return MI_SUCCESS;
}

int
smfi_progress(SMFICTX *ctx)
{
	(void)ctx;
	return MI_SUCCESS;
}

/* ---- set-up ---- */

static void
milter_err(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "fuzz_milter: %s\n", msg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path;
	struct rt *rt = NULL;
	char err[300];

	(void)argc;
	(void)argv;
	path = fuzz_file((const uint8_t *)milter_conf, sizeof(milter_conf) - 1);
	if (path == NULL ||
	    rt_load(path, getuid(), 0, &rt, milter_err, NULL) != 0 ||
	    dkimsa_lib_set_fake_dns(rt->lib, milter_zone, err, sizeof(err)) !=
		0) {
		fprintf(stderr, "fuzz_milter: set-up failed\n");
		abort();
	}
	rt_install(rt);
	return 0;
}

/* ---- one connection, one message ---- */

struct milter_run {
	SMFICTX *ctx;
	int leadspc;
};

/* A field as libmilter passes it: name, and the value after the colon
 * (without its leading space unless negotiated) with CRLF folds as LF. */
static int
milter_field(void *arg, const char *field, size_t len)
{
	struct milter_run *r = arg;
	const char *colon = memchr(field, ':', len);
	char *name, *value, *q;
	size_t i, nl;

	if (colon == NULL || colon == field || memchr(field, '\0', len))
		return 0; /* an MTA passes no such line as a header */
	nl = (size_t)(colon - field);
	name = fuzz_strdup((const uint8_t *)field, nl);
	value = malloc(len - nl);
	if (name != NULL && value != NULL) {
		i = nl + 1;
		if (!r->leadspc && i < len && field[i] == ' ')
			i++;
		for (q = value; i < len; i++)
			if (!(field[i] == '\r' && i + 1 < len &&
			      field[i + 1] == '\n'))
				*q++ = field[i];
		*q = '\0';
		callbacks_desc.xxfi_header(r->ctx, name, value);
	}
	free(name);
	free(value);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smfi_str ctx;
	struct milter_run run;
	struct sockaddr_in sin;
	unsigned long f0, f1, f2, f3;
	const uint8_t *rest, *msg;
	size_t restlen, msglen, flen, hlen, body, off, n;
	char *from, *helo, *argv[2];
	sfsistat st;

	if (size < 1)
		return 0;
	flen = fuzz_split(data + 1, size - 1, '\n', &rest, &restlen);
	hlen = fuzz_split(rest, restlen, '\n', &msg, &msglen);
	from = fuzz_strdup(data + 1, flen);
	helo = fuzz_strdup(rest, hlen);
	if (from == NULL || helo == NULL)
		goto out;
	memset(&ctx, 0, sizeof(ctx));
	ctx.auth = (data[0] & 2) != 0;
	run.ctx = &ctx;
	run.leadspc = (data[0] & 4) != 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, (data[0] & 1) ? "127.0.0.1" : "192.0.2.1",
		  &sin.sin_addr);

	callbacks_desc.xxfi_negotiate(
	    &ctx, SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	    SMFIP_NORCPT | SMFIP_NODATA | SMFIP_NOUNKNOWN | SMFIP_NR_HELO |
		SMFIP_NR_HDR | SMFIP_NR_BODY |
		(run.leadspc ? SMFIP_HDR_LEADSPC : 0),
	    0, 0, &f0, &f1, &f2, &f3);
	st = callbacks_desc.xxfi_connect(&ctx, "client.example",
					 (struct sockaddr *)&sin);
	if (st != SMFIS_CONTINUE)
		goto close;
	if (!(data[0] & 8))
		callbacks_desc.xxfi_helo(&ctx, helo);
	argv[0] = from;
	argv[1] = NULL;
	if (callbacks_desc.xxfi_envfrom(&ctx, argv) != SMFIS_CONTINUE)
		goto close;
	body = fuzz_msg_fields(msg, msglen, milter_field, &run);
	if (callbacks_desc.xxfi_eoh(&ctx) != SMFIS_CONTINUE)
		goto close;
	for (off = body; off < msglen; off += n) {
		n = msglen - off < 65535 ? msglen - off : 65535;
		if (n > 1000 && (data[0] & 16))
			n = 1000;
		callbacks_desc.xxfi_body(&ctx, (unsigned char *)msg + off, n);
	}
	callbacks_desc.xxfi_eom(&ctx);
close:
	callbacks_desc.xxfi_close(&ctx);
out:
	free(from);
	free(helo);
	return 0;
}
