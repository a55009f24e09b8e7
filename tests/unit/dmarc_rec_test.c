/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_rec_test.c - dmarc_rec.c: the DMARC Policy Record of RFC 9989
 * sections 4.7 and 4.8.  Each row is a record and the dump of what was
 * taken from it; NULL means "not a DMARC record" (discarded, 4.10 step 2).
 * Dump: p sp np (- when absent, ! when invalid), adkim aspf t psd fo,
 * the rua and ruf URIs, the number of ignored tags, and what section
 * 4.10.1 makes of an invalid p/sp/np ("pol=ok", "pol=none" when a valid
 * rua makes it p=none, "pol=skip" when DMARC is not applied).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "dmarc_rec.h"
#include "t.h"

static const char *
pname(int p, int bad)
{
	if (bad)
		return "!";
	return p == DKIMSA_DMARC_P_UNSET ? "-" : dkimsa_dmarc_policy_name(p);
}

static void
dump(const struct dmarc_rec *r, buf *b)
{
	static const char *pol[] = {"skip", "none", "ok"};
	size_t i;

	buf_printf(b, "p=%s sp=%s np=%s adkim=%c aspf=%c t=%c psd=%c fo=%s",
		   pname(r->p, r->p_bad), pname(r->sp, r->sp_bad),
		   pname(r->np, r->np_bad), r->adkim_strict ? 's' : 'r',
		   r->aspf_strict ? 's' : 'r', r->testing ? 'y' : 'n',
		   r->psd == 1	 ? 'y'
		   : r->psd == 0 ? 'n'
				 : 'u',
		   r->fo);
	for (i = 0; i < r->nrua; i++)
		buf_printf(b, " rua=%s", r->rua[i]);
	for (i = 0; i < r->nruf; i++)
		buf_printf(b, " ruf=%s", r->ruf[i]);
	buf_printf(b, " ign=%d pol=%s", r->ignored,
		   pol[dmarc_rec_invalid_policy(r) == -1  ? 2
		       : dmarc_rec_invalid_policy(r) == 1 ? 1
							  : 0]);
}

#define DEF " adkim=r aspf=r t=n psd=u fo="

static const struct {
	const char *name, *txt, *want;
} rows[] = {
    /* the version tag (4.7 "v") */
    {"minimal-record-p-reject", "v=DMARC1; p=reject",
     "p=reject sp=- np=-" DEF " ign=0 pol=ok"},
    {"version-only-means-p-absent", "v=DMARC1",
     "p=- sp=- np=-" DEF " ign=0 pol=ok"},
    {"version-with-final-semicolon", "v=DMARC1;",
     "p=- sp=- np=-" DEF " ign=0 pol=ok"},
    {"wsp-around-equals-and-semicolons", "v = DMARC1 ;\tp = quarantine ; ",
     "p=quarantine sp=- np=-" DEF " ign=0 pol=ok"},
    {"version-value-is-case-sensitive", "v=dmarc1; p=reject", NULL},
    {"version-must-be-first", "p=reject; v=DMARC1", NULL},
    {"version-dmarc2-is-not-dmarc", "v=DMARC2; p=reject", NULL},
    {"version-with-suffix-is-not-dmarc", "v=DMARC1x; p=reject", NULL},
    {"version-needs-separator", "v=DMARC1 p=reject", NULL},
    {"spf-record-is-not-dmarc", "v=spf1 -all", NULL},
    {"empty-text-is-not-dmarc", "", NULL},
    {"version-tag-name-any-case", "V=DMARC1; p=none",
     "p=none sp=- np=-" DEF " ign=0 pol=ok"},
    /* p, sp, np (dmarc-request) */
    {"all-three-policies", "v=DMARC1; p=reject; sp=quarantine; np=none",
     "p=reject sp=quarantine np=none" DEF " ign=0 pol=ok"},
    {"policy-words-any-case", "v=DMARC1; p=Reject; sp=QUARANTINE",
     "p=reject sp=quarantine np=-" DEF " ign=0 pol=ok"},
    {"invalid-p-without-rua-skips-dmarc", "v=DMARC1; p=block",
     "p=! sp=- np=-" DEF " ign=1 pol=skip"},
    {"invalid-p-with-valid-rua-is-p-none",
     "v=DMARC1; p=block; rua=mailto:agg@example.com",
     "p=! sp=- np=-" DEF " rua=mailto:agg@example.com ign=1 pol=none"},
    {"invalid-sp-with-rua-is-p-none",
     "v=DMARC1; p=reject; sp=yes; rua=mailto:a@example.com",
     "p=reject sp=! np=-" DEF " rua=mailto:a@example.com ign=1 pol=none"},
    {"invalid-np-without-rua-skips-dmarc", "v=DMARC1; p=reject; np=drop",
     "p=reject sp=- np=!" DEF " ign=1 pol=skip"},
    {"empty-p-is-invalid", "v=DMARC1; p=; rua=mailto:a@example.com",
     "p=! sp=- np=-" DEF " rua=mailto:a@example.com ign=1 pol=none"},
    {"invalid-p-with-only-bad-rua-skips", "v=DMARC1; p=bad; rua=not a uri",
     "p=! sp=- np=-" DEF " ign=2 pol=skip"},
    /* adkim aspf t psd fo */
    {"strict-alignment-both", "v=DMARC1; p=none; adkim=s; aspf=s",
     "p=none sp=- np=- adkim=s aspf=s t=n psd=u fo= ign=0 pol=ok"},
    {"bad-adkim-keeps-relaxed", "v=DMARC1; p=none; adkim=x; aspf=strict",
     "p=none sp=- np=-" DEF " ign=2 pol=ok"},
    {"testing-t-y", "v=DMARC1; p=reject; t=y",
     "p=reject sp=- np=- adkim=r aspf=r t=y psd=u fo= ign=0 pol=ok"},
    {"testing-t-n", "v=DMARC1; p=reject; t=n",
     "p=reject sp=- np=-" DEF " ign=0 pol=ok"},
    {"bad-t-ignored", "v=DMARC1; p=reject; t=yes",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"psd-y", "v=DMARC1; p=reject; psd=y",
     "p=reject sp=- np=- adkim=r aspf=r t=n psd=y fo= ign=0 pol=ok"},
    {"psd-n", "v=DMARC1; p=none; psd=n",
     "p=none sp=- np=- adkim=r aspf=r t=n psd=n fo= ign=0 pol=ok"},
    {"psd-u-is-default", "v=DMARC1; p=none; psd=u",
     "p=none sp=- np=-" DEF " ign=0 pol=ok"},
    {"bad-psd-ignored", "v=DMARC1; p=none; psd=maybe",
     "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    {"fo-list", "v=DMARC1; p=none; fo=1:d:s",
     "p=none sp=- np=- adkim=r aspf=r t=n psd=u fo=1:d:s ign=0 pol=ok"},
    {"fo-0-and-1-exclusive", "v=DMARC1; p=none; fo=0:1",
     "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    {"fo-repeated-d-invalid", "v=DMARC1; p=none; fo=d:d",
     "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    {"fo-trailing-colon-invalid",
     "v=DMARC1; p=none; fo=0:", "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    /* rua ruf (dmarc-urilist) */
    {"two-rua-with-wsp",
     "v=DMARC1; p=none; rua=mailto:a@x.example , "
     "mailto:b@y.example",
     "p=none sp=- np=-" DEF " rua=mailto:a@x.example rua=mailto:b@y.example "
     "ign=0 pol=ok"},
    {"obsolete-size-suffix-dropped",
     "v=DMARC1; p=none; rua=mailto:a@x.example!10m",
     "p=none sp=- np=-" DEF " rua=mailto:a@x.example ign=0 pol=ok"},
    {"bad-size-suffix-drops-uri", "v=DMARC1; p=none; rua=mailto:a@x!big",
     "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    {"bad-uri-dropped-good-kept",
     "v=DMARC1; p=none; rua=nouri, https://r.example/agg",
     "p=none sp=- np=-" DEF " rua=https://r.example/agg ign=1 pol=ok"},
    {"ruf-kept", "v=DMARC1; p=none; ruf=mailto:f@x.example",
     "p=none sp=- np=-" DEF " ruf=mailto:f@x.example ign=0 pol=ok"},
    {"percent-encoded-uri", "v=DMARC1; p=none; rua=mailto:a%2Cb@x.example",
     "p=none sp=- np=-" DEF " rua=mailto:a%2Cb@x.example ign=0 pol=ok"},
    {"bad-percent-encoding", "v=DMARC1; p=none; rua=mailto:a%zz@x.example",
     "p=none sp=- np=-" DEF " ign=1 pol=ok"},
    /* removed, unknown, repeated, broken tags */
    {"removed-pct-ignored", "v=DMARC1; p=reject; pct=0",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"removed-rf-ri-ignored", "v=DMARC1; p=reject; rf=afrf; ri=3600",
     "p=reject sp=- np=-" DEF " ign=2 pol=ok"},
    {"unknown-tag-ignored", "v=DMARC1; p=reject; future=1; x=y",
     "p=reject sp=- np=-" DEF " ign=2 pol=ok"},
    {"repeated-tag-first-counts", "v=DMARC1; p=reject; p=none",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"tag-without-equals-ignored", "v=DMARC1; p=reject; garbage",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"empty-elements-skipped", "v=DMARC1;; p=reject;;",
     "p=reject sp=- np=-" DEF " ign=0 pol=ok"},
    {"tag-name-with-digit-ignored", "v=DMARC1; p=reject; a1=b",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"control-byte-in-value-ignored", "v=DMARC1; p=reject; fo=\0011",
     "p=reject sp=- np=-" DEF " ign=1 pol=ok"},
    {"tag-names-any-case", "v=DMARC1; P=reject; ADKIM=s",
     "p=reject sp=- np=- adkim=s aspf=r t=n psd=u fo= ign=0 pol=ok"},
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dmarc_rec r;
		char why[200];
		int rc, isd;
		buf b;

		buf_init(&b);
		isd = dmarc_rec_is_dmarc(rows[i].txt, strlen(rows[i].txt));
		rc = dmarc_rec_parse(rows[i].txt, strlen(rows[i].txt), &r, why,
				     sizeof(why));
		if (rows[i].want == NULL) {
			t_ok(rc == DKIMSA_ESYNTAX && !isd, rows[i].name,
			     "rc %d is_dmarc %d", rc, isd);
		} else if (rc != 0 || !isd) {
			t_ok(0, rows[i].name, "rc %d is_dmarc %d (%s)", rc, isd,
			     why);
		} else {
			dump(&r, &b);
			buf_addc(&b, '\0');
			t_streq(b.data, rows[i].want, rows[i].name);
			dmarc_rec_free(&r);
		}
		buf_free(&b);
	}
	t_ok(dmarc_rec_uri_ok("mailto:a@b", 10) &&
		 !dmarc_rec_uri_ok("mailto:", 7) &&
		 !dmarc_rec_uri_ok("1x:a", 4) && !dmarc_rec_uri_ok("a b:c", 5),
	     "uri-grammar-scheme-colon-rest", "%s", "a URI check failed");
	return t_exit();
}
