/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarchist_test.c - the DMARC history line (libdkimsa/dmarchist.c): what
 * the writer writes the reader reads back, hostile values never break the
 * line, and one row per way a line is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "dmarchist.h"
#include "t.h"

static void
full_rec(struct dmarchist_rec *r)
{
	dmarchist_init(r);
	r->time = 1764115200;
	dmarchist_set(r->job, sizeof(r->job), "4dXyZ1abc");
	dmarchist_set(r->ip, sizeof(r->ip), "2001:db8::25");
	dmarchist_set(r->header_from, DMARCHIST_NAME, "news.example.com");
	dmarchist_set(r->env_from, DMARCHIST_NAME, "bounce.example.com");
	dmarchist_set(r->env_to, DMARCHIST_NAME, "example.net");
	dmarchist_set(r->policy_domain, DMARCHIST_NAME, "example.com");
	r->p = DMARCHIST_P_REJECT;
	r->sp = DMARCHIST_P_QUARANTINE;
	r->np = DMARCHIST_P_NONE;
	r->adkim = 's';
	r->testing = 'y';
	r->psd = 'n';
	dmarchist_set(r->fo, sizeof(r->fo), "0:d");
	dmarchist_set(r->rua[0], DMARCHIST_NAME, "mailto:d@example.com!10m");
	dmarchist_set(r->rua[1], DMARCHIST_NAME, "mailto:x@rep.example,net");
	r->nrua = 2;
	dmarchist_set(r->spf_domain, DMARCHIST_NAME, "bounce.example.com");
	r->spf = DKIMSA_RES_SOFTFAIL;
	dmarchist_set(r->dkim[0].domain, DMARCHIST_NAME, "example.com");
	dmarchist_set(r->dkim[0].selector, DMARCHIST_NAME, "s1");
	r->dkim[0].result = DKIMSA_RES_PASS;
	dmarchist_set(r->dkim[1].domain, DMARCHIST_NAME, "other.example");
	dmarchist_set(r->dkim[1].selector, DMARCHIST_NAME, "");
	r->dkim[1].result = DKIMSA_RES_PERMERROR;
	r->ndkim = 2;
	r->dmarc = DKIMSA_RES_PASS;
	r->dkim_aligned = 1;
	r->disp = DMARCHIST_D_QUARANTINE;
	r->reason = DMARCHIST_R_POLICY_TEST_MODE;
	dmarchist_set(r->comment, DMARCHIST_NAME, "t=y");
}

static int
same(const struct dmarchist_rec *a, const struct dmarchist_rec *b)
{
	/* flat records: compare field by field through a second format */
	char *la = NULL, *lb = NULL;
	size_t na, nb;
	int eq;

	if (dmarchist_format(a, &la, &na) != 0 ||
	    dmarchist_format(b, &lb, &nb) != 0)
		eq = 0;
	else
		eq = na == nb && memcmp(la, lb, na) == 0;
	free(la);
	free(lb);
	return eq;
}

static void
test_round_trip(void)
{
	struct dmarchist_rec r, back;
	char *line = NULL, err[200] = "";
	size_t len;
	int rc;

	full_rec(&r);
	rc = dmarchist_format(&r, &line, &len);
	t_ok(rc == 0 && line != NULL && len == strlen(line) &&
		 line[len - 1] == '\n' && strchr(line, '\n') == line + len - 1,
	     "writer gives one line ending in a newline", "rc %d", rc);
	rc = dmarchist_parse(line, len, &back, err, sizeof(err));
	t_ok(rc == 0, "reader takes back what the writer wrote", "%s", err);
	t_ok(rc == 0 && same(&r, &back) && back.time == r.time &&
		 back.p == DMARCHIST_P_REJECT && back.np == DMARCHIST_P_NONE &&
		 back.adkim == 's' && back.aspf == 'r' && back.testing == 'y' &&
		 back.psd == 'n' && back.nrua == 2 && back.ndkim == 2 &&
		 back.dkim[1].result == DKIMSA_RES_PERMERROR &&
		 back.spf == DKIMSA_RES_SOFTFAIL &&
		 strcmp(back.rua[1], "mailto:x@rep.example,net") == 0,
	     "every field survives the round trip", "%s", line);
	t_ok(strstr(line, "eol=1\n") != NULL,
	     "the line ends with eol=1 (a torn line lacks it)", "%s", line);
	free(line);
}

/* Hostile bytes in every string field: still one line, read back equal. */
static void
test_hostile_values(void)
{
	static const char *const vals[] = {
	    "a b=c",	     "x\ny",	    "x\r\nX-Evil: 1",
	    "100%",	     "%41",	    "a,b,c",
	    "<tag>&amp;\"'", "caf\xc3\xa9", "\xff\xfe\x01\x7f",
	    "eol=1",
	};
	struct dmarchist_rec r, back;
	char *line, err[200], name[80];
	size_t i, len;
	int ok;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		full_rec(&r);
		dmarchist_set(r.header_from, DMARCHIST_NAME, vals[i]);
		dmarchist_set(r.comment, DMARCHIST_NAME, vals[i]);
		dmarchist_set(r.dkim[0].selector, DMARCHIST_NAME, vals[i]);
		dmarchist_set(r.rua[0], DMARCHIST_NAME, vals[i]);
		dmarchist_set(r.job, sizeof(r.job), vals[i]);
		line = NULL;
		ok = dmarchist_format(&r, &line, &len) == 0;
		ok = ok && strchr(line, '\n') == line + len - 1 &&
		     strchr(line, '\r') == NULL;
		ok = ok &&
		     dmarchist_parse(line, len, &back, err, sizeof(err)) == 0 &&
		     strcmp(back.header_from, vals[i]) == 0 &&
		     strcmp(back.comment, vals[i]) == 0 &&
		     strcmp(back.dkim[0].selector, vals[i]) == 0 &&
		     strcmp(back.rua[0], vals[i]) == 0 && same(&r, &back);
		snprintf(name, sizeof(name),
			 "hostile value %zu kept inside its "
			 "field",
			 i);
		t_ok(ok, name, "%s", line ? line : "(no line)");
		free(line);
	}
}

static void
test_long_value_cut(void)
{
	struct dmarchist_rec r;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dmarchist_init(&r);
	dmarchist_set(r.header_from, DMARCHIST_NAME, big);
	t_ok(strlen(r.header_from) == DMARCHIST_NAME - 1,
	     "dmarchist_set cuts a value to its field", "%zu",
	     strlen(r.header_from));
}

#define BASE "v=1 time=1 ip=192.0.2.1 hfrom=example.com dmarc=fail disp=none"
static const struct {
	const char *name, *line;
	int ok;
} rows[] = {
    {"the smallest line is read", BASE " eol=1", 1},
    {"a newline at the end is fine", BASE " eol=1\n", 1},
    {"an unknown key is skipped", BASE " future=x%20y eol=1", 1},
    {"a line without v=1 is refused", "time=1 ip=192.0.2.1 eol=1", 0},
    {"v=2 is refused", "v=2 time=1 eol=1", 0},
    {"missing eol=1 (torn line) is refused", BASE, 0},
    {"eol=1 not last is refused", "v=1 eol=1 time=1", 0},
    {"missing ip= is refused", "v=1 time=1 hfrom=a dmarc=fail disp=none eol=1",
     0},
    {"missing dmarc= is refused",
     "v=1 time=1 ip=192.0.2.1 hfrom=a disp=none eol=1", 0},
    {"an ip that is not an address is refused",
     "v=1 time=1 ip=192.0.2.300 hfrom=a dmarc=fail disp=none eol=1", 0},
    {"an ip with markup is refused",
     "v=1 time=1 ip=%3Cx%3E hfrom=a dmarc=fail disp=none eol=1", 0},
    {"a duplicate key is refused", BASE " hfrom=b.example eol=1", 0},
    {"a bad escape is refused", BASE " comment=%zz eol=1", 0},
    {"a cut escape is refused", BASE " comment=ab%4 eol=1", 0},
    {"an escaped NUL is refused", BASE " comment=a%00b eol=1", 0},
    {"a bare byte the writer encodes is refused", BASE " comment=a<b eol=1", 0},
    {"two spaces are refused", BASE "  eol=1", 0},
    {"a tab is refused", BASE "\teol=1", 0},
    {"a field without = is refused", BASE " junk eol=1", 0},
    {"an unknown policy word is refused", BASE " p=discard eol=1", 0},
    {"an unknown result word is refused",
     "v=1 time=1 ip=192.0.2.1 hfrom=a dmarc=softfail disp=none eol=1", 0},
    {"an unknown disposition is refused",
     "v=1 time=1 ip=192.0.2.1 hfrom=a dmarc=fail disp=discard eol=1", 0},
    {"an unknown override reason is refused",
     BASE " reason=sampled_out "
	  "eol=1",
     0},
    {"a dkim= without its result is refused", BASE " dkim=a.example,s eol=1",
     0},
    {"a dkim= with a bad result is refused",
     BASE " dkim=a.example,s,softfail eol=1", 0},
    {"a dkim= with an empty domain is refused", BASE " dkim=,s,pass eol=1", 0},
    {"a time that is not digits is refused",
     "v=1 time=-1 ip=192.0.2.1 hfrom=a dmarc=fail disp=none eol=1", 0},
    {"adkim=x is refused", BASE " adkim=x eol=1", 0},
    {"an empty line is refused", "", 0},
};

static void
test_rows(void)
{
	struct dmarchist_rec r;
	char err[200];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		rc = dmarchist_parse(rows[i].line, strlen(rows[i].line), &r,
				     err, sizeof(err));
		t_ok((rc == 0) == rows[i].ok &&
			 (rows[i].ok || (rc == DKIMSA_ESYNTAX && err[0])),
		     rows[i].name, "rc %d (%s) for \"%s\"", rc, err,
		     rows[i].line);
	}
}

static void
test_too_many(void)
{
	char line[8192];
	struct dmarchist_rec r;
	char err[200];
	size_t i, n;

	n = (size_t)snprintf(line, sizeof(line), "%s", BASE);
	for (i = 0; i <= DMARCHIST_MAXDKIM; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      " dkim=d%zu.example,s,pass", i);
	snprintf(line + n, sizeof(line) - n, " eol=1");
	t_ok(dmarchist_parse(line, strlen(line), &r, err, sizeof(err)) ==
		 DKIMSA_ESYNTAX,
	     "more dkim= than a record holds is refused", "%s", err);
}

int
main(void)
{
	test_round_trip();
	test_hostile_values();
	test_long_value_cut();
	test_rows();
	test_too_many();
	return t_exit();
}
