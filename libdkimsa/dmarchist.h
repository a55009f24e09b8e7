/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarchist.h - the DMARC history line: one line per evaluated message,
 * written by the milter (DMARCHistoryFile) and read by dkimsa-reports to
 * build RFC 9990 aggregate reports.  One format, one writer
 * (dmarchist_format), one reader (dmarchist_parse); internal header,
 * shared by milter/ and tools/reports/ (not installed).
 *
 * A line is "v=1" followed by space-separated key=value fields and a
 * newline.  Values are percent-encoded: every byte outside
 * [A-Za-z0-9.-_@:+/!] becomes %XX, so a value never holds a space, '=',
 * ',' or a line break, whatever the sender wrote.  "dkim" and "rua" may
 * repeat; every other key appears at most once.  Unknown keys are skipped
 * (a newer writer may add some).  Keys, in the order the writer uses:
 *   time   seconds since the epoch       job    queue id
 *   ip     client address (v4 or v6)     hfrom  RFC5322.From domain
 *   mfrom  RFC5321.MailFrom domain ("" for the null path)
 *   rcpt   an RFC5321.RcptTo domain      pdom   policy domain ("" none)
 *   odom   its Organizational Domain (RFC 9989 tree walk; "" unknown)
 *   p sp np  none|quarantine|reject|""   adkim aspf  r|s
 *   t      y|n (testing)                 psd    y|n|u
 *   fo     fo= as published              rua    one rua URI (repeats)
 *   spfd   domain SPF checked            spfs   mfrom|helo
 *   spf    SPF result (RFC 8601 word)
 *   dkim   d,s,result  (repeats; d and s encoded, so ',' is a separator)
 *   dmarc  pass|fail|none|temperror|permerror
 *   dkima spfa  pass|fail (DMARC alignment of each)
 *   disp   none|pass|quarantine|reject (what was done)
 *   reason override type of RFC 9990 ("" none)   comment  its text
 *   eol    "1", always the last field: a line a short write cut (disk
 *          full) lacks it and is refused by the reader
 *
 * Memory: struct dmarchist_rec is flat (fixed arrays, nothing to free);
 * dmarchist_format returns a malloc'd line the caller frees.
 */
#ifndef DKIMSA_DMARCHIST_H
#define DKIMSA_DMARCHIST_H

#include <stddef.h>

#define DMARCHIST_NAME 256   /* a domain (253 octets) or selector + NUL */
#define DMARCHIST_MAXDKIM 32 /* signatures kept per message */
#define DMARCHIST_MAXRUA 8   /* rua URIs kept */
#define DMARCHIST_LINE_MAX 65536

/* Same values as enum dkimsa_dmarc_policy. */
enum dmarchist_pol {
	DMARCHIST_P_UNSET = 0,
	DMARCHIST_P_NONE,
	DMARCHIST_P_QUARANTINE,
	DMARCHIST_P_REJECT,
};

/* The disposition (RFC 9990 ActionDispositionType). */
enum dmarchist_disp {
	DMARCHIST_D_NONE = 0,
	DMARCHIST_D_PASS,
	DMARCHIST_D_QUARANTINE,
	DMARCHIST_D_REJECT,
};

/* Policy override types (RFC 9990 section 2.1.5). */
enum dmarchist_reason {
	DMARCHIST_R_NONE = 0,
	DMARCHIST_R_LOCAL_POLICY,
	DMARCHIST_R_MAILING_LIST,
	DMARCHIST_R_OTHER,
	DMARCHIST_R_POLICY_TEST_MODE,
	DMARCHIST_R_TRUSTED_FORWARDER,
};

struct dmarchist_dkim {
	char domain[DMARCHIST_NAME];
	char selector[DMARCHIST_NAME];
	int result; /* enum dkimsa_res */
};

struct dmarchist_rec {
	long long time;
	char job[64];
	char ip[64];
	char header_from[DMARCHIST_NAME];
	char env_from[DMARCHIST_NAME];
	char env_to[DMARCHIST_NAME];
	char policy_domain[DMARCHIST_NAME];
	char org_domain[DMARCHIST_NAME];
	int p, sp, np;	 /* enum dmarchist_pol */
	int adkim, aspf; /* 'r' or 's' */
	int testing;	 /* 'y' or 'n' */
	int psd;	 /* 'y', 'n' or 'u' */
	char fo[64];
	char rua[DMARCHIST_MAXRUA][DMARCHIST_NAME];
	size_t nrua;
	char spf_domain[DMARCHIST_NAME];
	int spf_helo; /* 1: SPF checked the HELO name */
	int spf;      /* enum dkimsa_res */
	struct dmarchist_dkim dkim[DMARCHIST_MAXDKIM];
	size_t ndkim;
	int dmarc;		       /* enum dkimsa_res */
	int dkim_aligned, spf_aligned; /* 1: pass */
	int disp;		       /* enum dmarchist_disp */
	int reason;		       /* enum dmarchist_reason */
	char comment[DMARCHIST_NAME];
};

/* An empty record: defaults (adkim=aspf='r', testing 'n', psd 'u'). */
void dmarchist_init(struct dmarchist_rec *r);
/*
 * Copies src into dst (size DMARCHIST_NAME or as given), cut to fit;
 * NULL gives "".  For filling a record.
 */
void dmarchist_set(char *dst, size_t size, const char *src);
/*
 * The line for r, newline included, NUL-terminated, in *out (caller
 * frees); its length in *len.  DKIMSA_ENOMEM.
 */
int dmarchist_format(const struct dmarchist_rec *r, char **out, size_t *len);
/*
 * Parses one line (without or with its newline) into r.  DKIMSA_ESYNTAX
 * with the reason in err for anything that is not a line this format
 * allows: missing v=1, time, ip, hfrom, dmarc or disp; a bad %XX; a value
 * too long; a duplicate key; a word outside its set; an ip that is not an
 * address.
 */
int dmarchist_parse(const char *line, size_t len, struct dmarchist_rec *r,
		    char *err, size_t errlen);

/* Words: "none", "quarantine", "reject" ("" for unset). */
const char *dmarchist_pol_name(int p);
const char *dmarchist_disp_name(int d);
/* "" for DMARCHIST_R_NONE, else the RFC 9990 word ("local_policy", ...). */
const char *dmarchist_reason_name(int reason);

#endif
