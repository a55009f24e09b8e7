/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa.h - the one public header of libdkimsa.
 *
 * libdkimsa signs and verifies DKIM (RFC 6376, RFC 8463, RFC 8301), checks
 * SPF (RFC 7208) and Sender ID (RFC 4406/4407), evaluates ADSP (RFC 5617)
 * and formats Authentication-Results (RFC 8601).  ARC chains (RFC 8617)
 * are validated and sealed by dkimsa_arc.  DNS goes through an
 * embedded libunbound context owned by the library handle.
 *
 * Threading: a dkimsa_lib handle is created and configured by one thread,
 * then shared read-only by any number of threads (its DNS cache is shared
 * and internally locked).  A dkimsa_key is immutable after loading and may
 * be shared; it is reference counted.  Per-message objects (dkimsa_sign,
 * dkimsa_verify, dkimsa_arc, dkimsa_body) belong to one thread at a time;
 * objects sharing a dkimsa_body, to the same thread at a time.
 *
 * Memory: every object has a _new/_free pair.  Strings returned through a
 * "char **" out parameter belong to the caller (free()); strings inside a
 * result structure belong to the object that returned it and live until
 * that object is freed.
 *
 * Errors: functions return 0 (DKIMSA_OK) or a negative DKIMSA_E* code;
 * dkimsa_strerror() names it.  The library never exits and never logs on
 * its own; it reports through the log callback set on the handle.
 */
#ifndef DKIMSA_H
#define DKIMSA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- error codes ---- */
#define DKIMSA_OK 0
#define DKIMSA_ENOMEM (-1)     /* out of memory */
#define DKIMSA_EINVAL (-2)     /* bad argument or option value */
#define DKIMSA_ESYNTAX (-3)    /* input does not follow the grammar */
#define DKIMSA_EIO (-4)	       /* file could not be read */
#define DKIMSA_EKEY (-5)       /* key unusable (type, size, format) */
#define DKIMSA_ECRYPTO (-6)    /* OpenSSL failed */
#define DKIMSA_ESTATE (-7)     /* call out of order */
#define DKIMSA_EDNS (-8)       /* DNS layer could not start */
#define DKIMSA_ENOTFOUND (-9)  /* no such item */
#define DKIMSA_EMULTIPLE (-10) /* one item wanted, several found */
#define DKIMSA_ENOSEAL (-11)   /* ARC: sealing was not enabled */

const char *dkimsa_strerror(int err);

/* The library's version, e.g. "0.1.0" (the dkimsa release it comes with). */
const char *dkimsa_version(void);

/*
 * A domain name as DNS and the checks see it: name (NUL-terminated UTF-8)
 * with its U-labels turned into A-labels (IDNA2008 after the UTS #46
 * non-transitional mapping, RFC 8616), into out (outlen bytes with the
 * NUL); an all-ASCII name is copied as it is.  0, or DKIMSA_ESYNTAX with
 * why (a static string) when it is not a valid internationalised name or
 * does not fit; DKIMSA_EINVAL for NULLs.  For configuration that names
 * domains in U-labels (hostlist's DMARCIgnoreList, InternalHosts, ...).
 */
int dkimsa_domain_alabels(const char *name, char *out, size_t outlen,
			  const char **why);

/* ---- RFC 8601 result words ---- */
enum dkimsa_res {
	DKIMSA_RES_NONE = 0,
	DKIMSA_RES_PASS,
	DKIMSA_RES_FAIL,
	DKIMSA_RES_NEUTRAL,
	DKIMSA_RES_POLICY,
	DKIMSA_RES_TEMPERROR,
	DKIMSA_RES_PERMERROR,
	DKIMSA_RES_SOFTFAIL, /* SPF and Sender ID only */
	DKIMSA_RES_DISCARD,  /* ADSP only */
	DKIMSA_RES_UNKNOWN,  /* ADSP only */
	DKIMSA_RES_NXDOMAIN, /* ADSP only */
};
/* "pass", "fail", ... as used in Authentication-Results. */
const char *dkimsa_res_name(int res);

/* ---- algorithms and canonicalisations ---- */
enum dkimsa_alg {
	DKIMSA_ALG_NONE = 0,
	DKIMSA_ALG_RSA_SHA256,
	DKIMSA_ALG_ED25519_SHA256,
	DKIMSA_ALG_RSA_SHA1, /* recognised for verification; never passes */
};
/* "rsa-sha256" etc.; NULL for an unknown value. */
const char *dkimsa_alg_name(int alg);
/* DKIMSA_ALG_NONE when the name is not known. */
int dkimsa_alg_from_name(const char *name);

enum dkimsa_canon { DKIMSA_CANON_SIMPLE = 0, DKIMSA_CANON_RELAXED = 1 };

/* ---- library handle ---- */
typedef struct dkimsa_lib dkimsa_lib;

/* Log levels follow syslog's numbers (3 error, 4 warning, 6 info, 7 debug). */
typedef void (*dkimsa_log_fn)(void *arg, int level, const char *msg);

dkimsa_lib *dkimsa_lib_new(void);
void dkimsa_lib_free(dkimsa_lib *lib);
void dkimsa_lib_set_log(dkimsa_lib *lib, dkimsa_log_fn fn, void *arg);
/*
 * Options by name, before the first use of the handle by a message:
 *   MinimumKeyBits            RSA keys shorter than this never pass (1024)
 *   MaximumSignaturesToVerify signatures evaluated per message (10)
 *   TrustAnchorFile           DNSSEC trust anchor (Debian's root key when
 *                             /usr/share/dns/root.key exists; "none" = off)
 *   Nameservers               forward to "addr[@port][,addr[@port]...]"
 *                             (default: full recursion)
 *   UnboundConfigFile         an unbound.conf read once at start
 *   DNSTimeout                seconds allowed per query (10), less
 *                             under a deadline (dkimsa_dns_deadline_set)
 * Returns DKIMSA_EINVAL for an unknown name or a bad value, with the reason
 * in errbuf when errbuf is not NULL.
 */
int dkimsa_lib_set_option(dkimsa_lib *lib, const char *name, const char *value,
			  char *errbuf, size_t errlen);
/*
 * Creates the DNS context now (otherwise it is created on first use).  A
 * broken trust anchor or unbound config file is reported here.
 */
int dkimsa_lib_start_dns(dkimsa_lib *lib, char *errbuf, size_t errlen);

/*
 * One DNS time budget for work that spans threads, such as the checks of
 * one message.  dkimsa_dns_deadline_new() gives the moment DNSTimeout
 * from now (milliseconds of CLOCK_MONOTONIC; 0 when lib has no DNS).
 * dkimsa_dns_deadline_set() gives the calling thread a deadline: from
 * then on no DNS answer it waits for is awaited past that moment (the
 * query is a timeout), and no query is sent once it has passed.  Set the
 * same value in every thread working for the message; 0 removes it, and
 * each query waits up to DNSTimeout again.  _get() returns the calling
 * thread's deadline (0: none).
 */
long long dkimsa_dns_deadline_new(dkimsa_lib *lib);
void dkimsa_dns_deadline_set(long long deadline);
long long dkimsa_dns_deadline_get(void);
/*
 * Cache-only DNS for the calling thread, so work whose answers are all
 * cached can run where it is without waiting on the network.  With on = 1
 * a query the cache cannot answer is not sent: it ends at once as a
 * timeout and the thread remembers the miss.  on = 0 returns to normal
 * and returns 1 when a query missed since cache-only began (the results
 * of that work are then incomplete and must be computed again), else 0.
 */
int dkimsa_dns_cache_only(int on);

/* ---- statistics (for a monitoring front end such as the milter's) ---- */
/* The outcome of one DNS lookup. */
enum dkimsa_dns_outcome {
	DKIMSA_DNS_ANSWER = 0, /* records of the type */
	DKIMSA_DNS_NXDOMAIN,   /* no such name */
	DKIMSA_DNS_NODATA,     /* the name, but no records of the type */
	DKIMSA_DNS_SERVFAIL,   /* server failure or refusal */
	DKIMSA_DNS_TIMEOUT,    /* no answer within the time allowed */
	DKIMSA_DNS_BOGUS,      /* DNSSEC validation failed */
	DKIMSA_DNS_ERROR,      /* anything else (out of memory) */
};
/*
 * One DNS lookup answered: type is the RR type number (1 A, 12 PTR, 15 MX,
 * 16 TXT, 28 AAAA, 99 SPF), outcome an enum dkimsa_dns_outcome, cached 1
 * when the library's answer cache answered it (nothing was sent), usec
 * the time from sending to the answer (0 when cached).
 */
typedef struct dkimsa_dns_stat {
	int type;
	int outcome;
	int cached;
	unsigned long usec;
} dkimsa_dns_stat;
typedef void (*dkimsa_stats_fn)(void *arg, const dkimsa_dns_stat *st);
/*
 * fn is called once per DNS lookup answered by the resolver or the answer
 * cache, in the thread that waited for it (so it must be quick and
 * thread-safe); not for lookups never sent (a bad name, the query budget
 * or the deadline spent) nor for cancelled ones.  Set it, like options,
 * before the first use of the handle.  The library keeps no counts.
 */
void dkimsa_lib_set_stats(dkimsa_lib *lib, dkimsa_stats_fn fn, void *arg);

/* ---- private keys ---- */
typedef struct dkimsa_key dkimsa_key;

/*
 * Parses a private key: PEM (PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE
 * KEY") for RSA or Ed25519, or for Ed25519 the base64 32-byte seed that
 * dkimpy uses.  err gets a reason on failure.  An RSA key shorter than
 * 1024 bits is refused (DKIMSA_EKEY): signers MUST NOT use one (RFC 8301
 * section 3.2), and these keys are for signing.
 */
int dkimsa_key_parse(const void *data, size_t len, dkimsa_key **out, char *err,
		     size_t errlen);
int dkimsa_key_load(const char *path, dkimsa_key **out, char *err,
		    size_t errlen);
/* DKIMSA_ALG_RSA_SHA256 or DKIMSA_ALG_ED25519_SHA256 */
int dkimsa_key_alg(const dkimsa_key *key);
unsigned dkimsa_key_bits(const dkimsa_key *key);
/* The key record text for DNS: "v=DKIM1; k=rsa; p=..." (caller frees). */
int dkimsa_key_record(const dkimsa_key *key, char **out);
/* Adds a reference; dkimsa_key_free drops one. */
dkimsa_key *dkimsa_key_ref(dkimsa_key *key);
void dkimsa_key_free(dkimsa_key *key);

/* ---- signing (RFC 6376 section 5) ---- */
typedef struct dkimsa_sign dkimsa_sign;

typedef struct dkimsa_sign_opts {
	const char *domain;   /* d= (required) */
	const char *selector; /* s= (required) */
	dkimsa_key *key;      /* required; the signer takes a reference */
	int header_canon;     /* enum dkimsa_canon */
	int body_canon;	      /* enum dkimsa_canon */
	/* Colon-separated header names to sign; NULL = the default list. */
	const char *sign_headers;
	/*
	 * Colon-separated names signed once more than they occur, so no
	 * instance can be added; NULL = "from", "" = none.
	 */
	const char *oversign_headers;
	const char *auid;     /* i=, NULL = none; written in
				 dkim-quoted-printable (";" "=" and
				 others as =XX) */
	long long now;	      /* t=; 0 = the current time */
	long long expire;     /* x= is t= plus this many seconds; 0 = none */
	long long body_limit; /* l=; negative = none (the default) */
} dkimsa_sign_opts;

/* The default SignHeaders list, colon separated. */
extern const char dkimsa_default_sign_headers[];

int dkimsa_sign_new(const dkimsa_sign_opts *opts, dkimsa_sign **out);
/*
 * One complete header field as it appears in the message, "Name: value",
 * continuation lines included, with or without the final line end (CRLF or
 * bare LF; bare LFs are treated as CRLF).
 */
int dkimsa_sign_header(dkimsa_sign *s, const char *field, size_t len);
/* Body bytes in chunks of any size; bare LF is treated as CRLF. */
int dkimsa_sign_body(dkimsa_sign *s, const void *data, size_t len);
/*
 * Computes the signature.  *out gets the whole header field
 * "DKIM-Signature: v=1; ..." folded with CRLF TAB so that no line exceeds
 * 78 characters, without a final CRLF (caller frees).
 */
int dkimsa_sign_finish(dkimsa_sign *s, char **out);
/* The signer's algorithm, an enum dkimsa_alg (its key's). */
int dkimsa_sign_alg(const dkimsa_sign *s);
void dkimsa_sign_free(dkimsa_sign *s);

/* ---- verifying (RFC 6376 section 6) ---- */
typedef struct dkimsa_verify dkimsa_verify;

/* Key lookup outcomes, for lookup callbacks. */
enum dkimsa_lookup {
	DKIMSA_LOOKUP_OK = 0,	/* *txt set (caller of the callback frees) */
	DKIMSA_LOOKUP_NXDOMAIN, /* no such name */
	DKIMSA_LOOKUP_NODATA,	/* name exists, no TXT */
	DKIMSA_LOOKUP_TEMPFAIL, /* SERVFAIL, timeout: try later */
	DKIMSA_LOOKUP_BOGUS,	/* DNSSEC validation failed */
};
/*
 * Fetches the TXT record of "selector._domainkey.domain": multi-string
 * records concatenated.  *secure is 1 when the answer was DNSSEC-validated.
 * Returns enum dkimsa_lookup.
 */
typedef int (*dkimsa_key_fn)(void *arg, const char *domain,
			     const char *selector, char **txt, int *secure);

/*
 * Why a signature got its result, for programs (the reason is for
 * people).  Every change of a result sets both together (verify.c's
 * verify_set()); the RFC 6376 section 6.1 step that failed decides.
 */
enum dkimsa_cause {
	DKIMSA_CAUSE_NONE = 0,	   /* pass, or not evaluated (neutral) */
	DKIMSA_CAUSE_SIG_SYNTAX,   /* the DKIM-Signature breaks the grammar
				      or the rules of 3.5 (missing or
				      duplicate tag, i= outside d=, From not
				      signed, an l= longer than the body) */
	DKIMSA_CAUSE_SIG_EXPIRED,  /* x= is in the past (6.1.1) */
	DKIMSA_CAUSE_KEY_NXDOMAIN, /* the key's name does not exist */
	DKIMSA_CAUSE_KEY_NODATA,   /* the name exists but has no TXT */
	DKIMSA_CAUSE_DNS_TEMP,	   /* SERVFAIL, timeout, no DNS: try later */
	DKIMSA_CAUSE_DNSSEC_BOGUS, /* the key answer failed DNSSEC */
	DKIMSA_CAUSE_KEY_SYNTAX,   /* the key record does not parse, or p=
				      is not a public key */
	DKIMSA_CAUSE_KEY_REVOKED,  /* empty p= */
	DKIMSA_CAUSE_KEY_MISMATCH, /* the record's k=, h=, s= or t=s rule
				      out this signature (6.1.2) */
	DKIMSA_CAUSE_POLICY,	   /* RFC 8301: rsa-sha1, or an RSA key below
				      MinimumKeyBits (result policy) */
	DKIMSA_CAUSE_BODY_HASH,	   /* bh= does not match the body (6.1.3) */
	DKIMSA_CAUSE_HEADER_SIG,   /* b= does not verify (6.1.3) */
	DKIMSA_CAUSE_CRYPTO,	   /* hashing or verifying failed inside
				      the library (OpenSSL, memory) */
};

typedef struct dkimsa_sigresult {
	int result;	      /* enum dkimsa_res */
	int cause;	      /* enum dkimsa_cause */
	const char *reason;   /* human-readable, never NULL */
	const char *domain;   /* d=, "" when unparsable */
	const char *selector; /* s= */
	const char *auid;     /* i= decoded from dkim-quoted-printable
				 (default "@" d=) */
	int alg;	      /* enum dkimsa_alg */
	const char *b;	      /* b= without white space */
	unsigned key_bits;    /* 0 when no key was loaded */
	int key_secure;	      /* the key record: 1 DNSSEC-secure, 0 not;
				 -1 when no record was fetched */
	int testing;	      /* key has t=y */
	long long body_limit; /* l=, -1 when absent */
	long long body_seen;  /* canonical body bytes seen */
	int header_canon, body_canon;
} dkimsa_sigresult;

/* lib may be NULL: default limits, and keys only through the callback. */
int dkimsa_verify_new(dkimsa_lib *lib, dkimsa_verify **out);
/* Without a callback, keys are looked up through the library's DNS. */
void dkimsa_verify_set_key_fn(dkimsa_verify *v, dkimsa_key_fn fn, void *arg);
/* Clock for t= and x= checks; 0 = the current time. */
void dkimsa_verify_set_time(dkimsa_verify *v, long long now);
int dkimsa_verify_header(dkimsa_verify *v, const char *field, size_t len);
/* End of headers: signatures are parsed and body hashes set up. */
int dkimsa_verify_eoh(dkimsa_verify *v);
int dkimsa_verify_body(dkimsa_verify *v, const void *data, size_t len);
/* Fetches keys and evaluates every signature. */
int dkimsa_verify_finish(dkimsa_verify *v);
/*
 * 1 when dkimsa_verify_finish would not wait for DNS: after end of
 * headers, every key query already has its answer (from the cache), or
 * there is no key to ask for; 0 otherwise (and with a key callback).
 */
int dkimsa_verify_keys_ready(const dkimsa_verify *v);
/* Number of signatures evaluated (0: the message is unsigned). */
int dkimsa_verify_count(const dkimsa_verify *v);
const dkimsa_sigresult *dkimsa_verify_result(const dkimsa_verify *v, int i);
void dkimsa_verify_free(dkimsa_verify *v);

/* ---- RFC 5322 addresses ---- */
/*
 * The one address parser of the library (libdkimsa/rfc5322.c), for the
 * From, Sender and Resent-* fields: RFC 5322 sections 3.2 and 3.4 with
 * the obsolete forms of section 4.4 and RFC 6532's UTF-8.  The milter,
 * Sender ID's PRA, ADSP's author domain and dkimsa-verify all use it.
 * A value is parsed as a whole: one error anywhere makes it malformed, so
 * a caller never gets a mailbox that only looked like one.
 */

/* Lexical tokens (RFC 5322 section 3.2), CFWS skipped between them. */
enum dkimsa_rfc5322_token_type {
	DKIMSA_TOK_END = 0, /* end of the text */
	DKIMSA_TOK_ATOM,    /* 1*atext */
	DKIMSA_TOK_QUOTED,  /* quoted-string, the quotes included */
	DKIMSA_TOK_LITERAL, /* domain-literal, the brackets included */
	DKIMSA_TOK_SPECIAL, /* one of < > : ; @ , . */
	DKIMSA_TOK_ERROR,   /* an unbalanced comment, an unterminated
			       quoted-string or literal, a control
			       character, NUL, or a stray ) ] \ */
};

typedef struct dkimsa_rfc5322_token {
	int type;	  /* enum dkimsa_rfc5322_token_type */
	const char *text; /* the token in the caller's text (no NUL) */
	size_t len;	  /* its length in bytes */
	int cfws_before;  /* 1 when white space or a comment preceded it */
} dkimsa_rfc5322_token;

/*
 * Skips CFWS (white space, folds and nested comments) in s[0..len) from
 * pos; returns the position after it, or (size_t)-1 when a comment does
 * not end.
 */
size_t dkimsa_rfc5322_cfws(const char *s, size_t len, size_t pos);
/*
 * Skips CFWS at *pos and reads one token into tok; *pos moves past it
 * (not on DKIMSA_TOK_ERROR).  Returns tok->type.
 */
int dkimsa_rfc5322_next_token(const char *s, size_t len, size_t *pos,
			      dkimsa_rfc5322_token *tok);

/* One mailbox of a parsed list; the strings belong to the list. */
typedef struct dkimsa_mailbox {
	/* addr-spec "local@domain" without CFWS: the local-part as a
	 * dot-atom when it is one, else as one quoted-string ("a b"@x);
	 * the domain as written (case kept) */
	char *addr;
	char *local;  /* the local-part as in addr */
	char *domain; /* the domain as in addr: dot-atom or [literal] */
	int in_group; /* 1 when the mailbox was inside a group */
} dkimsa_mailbox;

/*
 * Parses a field value (the text after the colon, folds allowed) as an
 * address-list: mailboxes and groups, empty elements allowed.  Returns 0
 * with *out (NULL when *n is 0) and *n set, every mailbox in order;
 * DKIMSA_ESYNTAX when the value does not follow the grammar;
 * DKIMSA_ENOMEM.  Free the list with dkimsa_mailbox_list_free().
 */
int dkimsa_rfc5322_address_list(const char *value, size_t len,
				dkimsa_mailbox **out, size_t *n);
void dkimsa_mailbox_list_free(dkimsa_mailbox *list, size_t n);
/*
 * A field value that must hold exactly one mailbox (a From for signing,
 * ADSP and DMARC, a Sender, the PRA).  The value is a mailbox-list (no
 * groups).  Returns 0 with *out = "local@domain" as in
 * dkimsa_mailbox.addr (caller frees); DKIMSA_EMULTIPLE when it holds more
 * than one mailbox; DKIMSA_ESYNTAX when it holds none or is malformed;
 * DKIMSA_ENOMEM.
 */
int dkimsa_rfc5322_mailbox(const char *value, size_t len, char **out);

/* ---- ADSP (RFC 5617) ---- */
/*
 * RFC 5617 Author Domain Signing Practices (historic).  The result is an
 * enum dkimsa_res: NONE (no ADSP record), PASS (a valid signature whose
 * d= equals the author domain, case-insensitively), UNKNOWN (dkim=unknown
 * or a reserved value), FAIL (dkim=all), DISCARD (dkim=discardable),
 * NXDOMAIN (the author domain does not exist, section 4.3), TEMPERROR
 * (SERVFAIL, REFUSED, timeout, DNS could not start), PERMERROR (more than
 * one ADSP record, a DNSSEC-bogus answer, or an author domain that cannot
 * be queried).  TXT records not starting with "dkim=" are ignored.
 *
 * The two queries (author domain A, _adsp._domainkey TXT) are started by
 * dkimsa_adsp_start, so they run while the message is received;
 * dkimsa_adsp_finish collects them (and returns PASS without waiting when
 * an author domain signature passed).
 */
typedef struct dkimsa_adsp dkimsa_adsp;

typedef struct dkimsa_adsp_sig {
	const char *domain; /* the signature's d= */
	int result;	    /* enum dkimsa_res of that signature */
} dkimsa_adsp_sig;

int dkimsa_adsp_start(dkimsa_lib *lib, const char *author_domain,
		      dkimsa_adsp **out);
/*
 * Returns the enum dkimsa_res; *reason (may be NULL) gets text owned by
 * a, valid until dkimsa_adsp_free.  Call once.
 */
int dkimsa_adsp_finish(dkimsa_adsp *a, const dkimsa_adsp_sig *sigs,
		       size_t nsigs, const char **reason);
void dkimsa_adsp_free(dkimsa_adsp *a);
/*
 * One call after dkimsa_verify_finish (v NULL: the message was unsigned):
 * start + finish over v's results.  reason (may be NULL) gets the text.
 */
int dkimsa_adsp_check(dkimsa_lib *lib, const char *author_domain,
		      const dkimsa_verify *v, char *reason, size_t reasonlen);

/* ---- SPF (RFC 7208) and Sender ID (RFC 4406, RFC 4407) ---- */
/*
 * SPF (RFC 7208) checks the MAIL FROM or the HELO identity of a client
 * address; Sender ID (RFC 4406) checks MAIL FROM (mfrom scope) or the
 * Purported Responsible Address (RFC 4407) of the header block (pra).
 * A check runs in the caller's thread and blocks on the library's DNS.
 * It is bounded: RFC 7208 limits (10 DNS terms, 2 void lookups, 10 MX /
 * PTR names), at most 150 queries, each query at most DNSTimeout (or
 * until the calling thread's DNS deadline), and
 * no query is started 20 s after the check began (temperror instead).
 * Any number of threads may run checks on one dkimsa_lib at once.
 */
enum dkimsa_spf_identity {
	DKIMSA_SPF_MAILFROM =
	    1,		  /* SPF of MAIL FROM (postmaster@HELO if null) */
	DKIMSA_SPF_HELO,  /* SPF of the HELO name on its own */
	DKIMSA_SID_MFROM, /* Sender ID, mfrom scope */
	DKIMSA_SID_PRA,	  /* Sender ID, pra scope */
};

typedef struct dkimsa_spf_req {
	const char *client_ip; /* "192.0.2.1" or "2001:db8::1" (required) */
	const char *helo;      /* HELO/EHLO argument; NULL = none */
	const char
	    *mail_from; /* address without <>; NULL or "" = null sender */
	/* DKIMSA_SID_PRA: the header block ("Name: value" lines, CRLF or LF,
	 * folded lines allowed), or `pra`, a mailbox used as the PRA. */
	const char *headers;
	size_t headers_len;
	const char *pra;
	const char *receiver; /* this host (%{r}, receiver=); NULL = unknown */
	long long now;	      /* %{t}; 0 = the current time */
} dkimsa_spf_req;

/* Every string belongs to the result and lives until it is freed. */
typedef struct dkimsa_spf_result {
	int result;		 /* enum dkimsa_res: NONE, PASS, FAIL, SOFTFAIL,
				    NEUTRAL, TEMPERROR or PERMERROR */
	int identity;		 /* enum dkimsa_spf_identity */
	const char *sender;	 /* identity checked, "local@domain"; the HELO
				    name for DKIMSA_SPF_HELO; "" if none; for
				    a PRA permerror the unfolded value of the
				    field that failed */
	const char *domain;	 /* domain whose policy was checked, or "" */
	const char *header;	 /* DKIMSA_SID_PRA: field of the PRA (for a
				    permerror the field that failed, "From"
				    when there is none), or "" */
	const char *explanation; /* fail: the domain's exp= text, or NULL */
	const char *mechanism;	 /* the matching mechanism, or NULL */
	const char *reason;	 /* human readable, never NULL */
	const char *client_ip;	 /* the request's values, for formatting */
	const char *helo;	 /* "" when none */
	const char *mail_from;	 /* "" for the null sender */
	const char *receiver;	 /* "unknown" when none */
	int dns_queries;	 /* DNS queries made */
} dkimsa_spf_result;

/*
 * Runs one check.  Returns 0 with *out set (the outcome, temperror and
 * permerror included, is in the result), DKIMSA_EINVAL for a bad client
 * address or identity, DKIMSA_EDNS when the resolver cannot start, or
 * DKIMSA_ENOMEM.  For DKIMSA_SID_PRA an ill-formed header block (RFC 4407
 * step 7) gives permerror.
 */
int dkimsa_spf_check(dkimsa_lib *lib, const dkimsa_spf_req *req, int identity,
		     dkimsa_spf_result **out);
/* The same, for DKIMSA_SID_MFROM and DKIMSA_SID_PRA only. */
int dkimsa_sid_check(dkimsa_lib *lib, const dkimsa_spf_req *req, int scope,
		     dkimsa_spf_result **out);
void dkimsa_spf_result_free(dkimsa_spf_result *r);
/*
 * The whole RFC 7208 section 9.1 field, "Received-SPF: pass (...)
 * receiver=...; client-ip=...; ...", folded with CRLF TAB, no final CRLF
 * (caller frees).
 */
int dkimsa_spf_received(const dkimsa_spf_result *r, char **out);
/*
 * The RFC 8601 resinfo: "spf=pass smtp.mailfrom=user@example.com",
 * "spf=none smtp.helo=mx.example.com", "sender-id=fail
 * header.from=user@example.com" (pra: header. and the name of the field
 * the PRA came from, or of the field that made it a permerror, with that
 * field's value) or "sender-id=pass smtp.mailfrom=..." (mfrom).  Values
 * go through the A-R formatter (see dkimsa_ar_new).  Caller frees.
 */
int dkimsa_spf_authres(const dkimsa_spf_result *r, char **out);
/*
 * The IPv4 and IPv6 addresses of a host name through the library's DNS
 * (A and AAAA queried together), for tools that accept a name in place of
 * an address.  *out gets a NULL-terminated array of strings (free each,
 * then the array); DKIMSA_ENOTFOUND when the name has none, DKIMSA_EDNS
 * when DNS fails.
 */
int dkimsa_spf_host_addrs(dkimsa_lib *lib, const char *host, char ***out);

/* ---- DMARC (RFC 9989) ---- */
/*
 * DMARC (RFC 9989) turns the SPF and DKIM results of a message into a
 * verdict on its RFC5322.From domain (the Author Domain).  The policy
 * record is found by the DNS Tree Walk of section 4.10 (at most 8 TXT
 * queries per walk, long names shortened to 7 labels, a psd=y or psd=n
 * record stops it); no public suffix list is used.  The Organizational
 * Domains needed for relaxed alignment come from the same walk (4.10.2),
 * started at the Author Domain and at each authenticated identifier.
 * np= applies when the Author Domain does not exist (NXDOMAIN, section
 * 3.2.13); t=y lowers the disposition one step (reject -> quarantine,
 * quarantine -> none; section 4.7).  A check runs in the caller's thread
 * on the library's DNS (cache, DNSSEC, the thread's DNS deadline).
 *
 * Result words reuse enum dkimsa_res: PASS (an aligned identifier
 * passed), FAIL (a policy record applies, nothing aligned passed), NONE
 * (no policy record, or a record to be ignored per section 4.10.1),
 * TEMPERROR (a DNS query failed or timed out), PERMERROR (the From field
 * cannot be parsed or holds no domain, several From fields or several
 * author domains with no failing one, or a DNSSEC-bogus answer: never a
 * pass).
 */
enum dkimsa_dmarc_policy {
	DKIMSA_DMARC_P_UNSET = 0, /* no policy (no record) */
	DKIMSA_DMARC_P_NONE,
	DKIMSA_DMARC_P_QUARANTINE,
	DKIMSA_DMARC_P_REJECT,
};
/* "none", "quarantine", "reject"; "" for DKIMSA_DMARC_P_UNSET. */
const char *dkimsa_dmarc_policy_name(int p);

/* One DKIM signature's outcome, as the DMARC check sees it. */
typedef struct dkimsa_dmarc_dkim {
	const char *domain;   /* d= */
	const char *selector; /* s= */
	int result;	      /* enum dkimsa_res */
} dkimsa_dmarc_dkim;

typedef struct dkimsa_dmarc_req {
	/* Raw value of the From field (after the colon), or NULL when the
	 * message has none.  When the message has several From fields the
	 * caller passes all their values joined by "," (from_count > 1). */
	const char *from_header;
	int from_count;	       /* number of From fields in the header */
	const char *mail_from; /* RFC5321.MailFrom without <>, ""/NULL = null */
	const char *helo;      /* SPF's domain when mail_from is null */
	int spf_result;	       /* enum dkimsa_res of the MAIL FROM check
				  (postmaster@HELO for the null sender) */
	const char *spf_domain; /* domain SPF evaluated; NULL = the domain of
				   mail_from, or helo when it is null */
	const dkimsa_dmarc_dkim *dkim; /* every signature evaluated */
	size_t ndkim;
	long long now; /* 0 = current time */
} dkimsa_dmarc_req;

/* Every string belongs to the result and lives until it is freed. */
typedef struct dkimsa_dmarc_result {
	int result;	 /* enum dkimsa_res: PASS FAIL NONE TEMPERROR
			    PERMERROR */
	int policy;	 /* enum dkimsa_dmarc_policy: the published policy
			    that applies (p, sp or np; p=none for a record
			    whose p/sp/np is invalid but has a valid rua) */
	int disposition; /* enum dkimsa_dmarc_policy: what to do: the
			    policy lowered by t=y on FAIL, NONE otherwise
			    (UNSET when no record applies) */
	const char *from_domain;   /* RFC5322.From domain, "" if none */
	const char *policy_domain; /* domain whose record was used, "" */
	const char *org_domain;	   /* Organizational Domain of from_domain
				      (4.10.2), "" when not determined */
	const char *record;	   /* raw record text, "" if none */
	int p, sp, np; /* as published, DKIMSA_DMARC_P_UNSET if absent or
			  invalid */
	int adkim_strict, aspf_strict, testing,
	    psd;		/* psd: 'y'=1 'n'=0 'u' or absent=-1 */
	const char *const *rua; /* NULL-terminated list of rua URIs (any
				   "!size" suffix removed) */
	size_t nrua;
	const char *fo;		 /* "" when absent or invalid */
	int spf_aligned;	 /* 1 when SPF passed and aligned */
	int dkim_aligned;	 /* 1 when some passing DKIM sig aligned */
	const char *dkim_domain; /* d= of the aligned passing sig, or "" */
	int secure;		 /* the policy record was DNSSEC-validated */
	const char *reason;	 /* human readable, never NULL */
	/* Added after the first contract: */
	const char *const *ruf; /* NULL-terminated list of ruf URIs */
	size_t nruf;
	int dnssec_bogus; /* a DMARC answer failed DNSSEC (permerror):
			       the milter's On-Security applies */
	int nonexistent;  /* the Author Domain does not exist (np) */
	int dns_queries;  /* DNS queries made (cache hits included) */
} dkimsa_dmarc_result;

/*
 * Runs the check of RFC 9989 section 5.3 for one message.  Returns 0 with
 * *out set (every outcome, errors included, is in the result),
 * DKIMSA_EINVAL for a NULL request, or DKIMSA_ENOMEM.  lib's DNS is
 * started on first use; when it cannot start the result is TEMPERROR.
 */
int dkimsa_dmarc_check(dkimsa_lib *lib, const dkimsa_dmarc_req *req,
		       dkimsa_dmarc_result **out);
void dkimsa_dmarc_result_free(dkimsa_dmarc_result *r);

/* ---- ARC (RFC 8617) ---- */
/*
 * One object takes the message once (headers, eoh, body chunks, finish),
 * then gives the chain result (RFC 8617 section 5.2) and, on request, the
 * three fields of the next ARC set (section 5.1).  It reuses the DKIM
 * parts of the library: the tag-list parser, canonicalisation, hashing,
 * keys from the same key callback or the library's DNS, and the
 * MinimumKeyBits / RFC 8301 rules (an rsa-sha1 or short-key seal fails).
 *
 * Validation, in the RFC's order: no ARC field gives none; more than 50
 * ARC sets, a highest ARC-Seal with cv=fail, or a broken structure (a
 * field that does not parse, an instance missing, repeated or outside
 * 1..50, a set without its three fields, cv= other than none at i=1 and
 * pass above, an AMS h= naming ARC-Seal) gives fail; then the AMS of the
 * highest set, the AMSs below it for oldest-pass (unless turned off),
 * and every ARC-Seal from the highest down; the first that does not
 * verify gives fail with its instance.  Work is bounded: at most 150 ARC fields are parsed, at most
 * one key lookup per distinct selector and domain.
 */
typedef struct dkimsa_arc dkimsa_arc;

typedef struct dkimsa_arc_result {
	int result;	     /* enum dkimsa_res: NONE, PASS, FAIL (chain) */
	int instances;	     /* number of ARC sets found (0 = none; the
			       highest instance seen) */
	int failed_instance; /* instance that failed, 0 when none or when
				the failure is not one set's (structure) */
	int oldest_pass;     /* RFC 8617 5.2 oldest-pass: the lowest
				instance whose AMS and every AMS above it
				verify, 0 when all of them do (and when the
				chain did not pass); -1 when a passing
				chain's was not determined
				(dkimsa_arc_set_oldest_pass) */
	const char *sealer;  /* d= of the latest ARC-Seal, "" when none */
	const char *oldest_pass_sealer; /* d= of the ARC-Seal at oldest_pass
					   (at instance 1 when oldest_pass
					   is 0), "" unless the chain passed
					   and oldest-pass was determined */
	const char *reason;		/* human readable, never NULL */
	const char *remote_ip; /* smtp.remote-ip from the latest AAR, or "" */
} dkimsa_arc_result;

/* lib may be NULL (default limits, keys only through the callback). */
int dkimsa_arc_new(dkimsa_lib *lib, dkimsa_arc **out);
/* key_fn as for DKIM (selector._domainkey.domain TXT). */
void dkimsa_arc_set_key_fn(dkimsa_arc *a, dkimsa_key_fn fn, void *arg);
/* Clock for x= checks and the sealing t=; 0 = the current time. */
void dkimsa_arc_set_time(dkimsa_arc *a, long long now);
/*
 * Whether the caller may seal (dkimsa_arc_seal) this message; off by
 * default.  Sealing needs our own relaxed body hash, computed only when
 * this is on (shared with an AMS of the chain that has the same c=,
 * no l= and SHA-256).  Before dkimsa_arc_eoh, else DKIMSA_ESTATE.
 */
int dkimsa_arc_set_sealing(dkimsa_arc *a, int on);
/*
 * Whether to determine oldest-pass (RFC 8617 5.2 step 5; on by
 * default): it verifies every earlier ARC-Message-Signature, one more
 * signature verification per set below the latest, and changes nothing
 * in the chain's result.  Off: oldest_pass is -1, oldest_pass_sealer "",
 * and only the keys and body hash of the latest AMS are fetched and
 * computed.  Before dkimsa_arc_eoh, else DKIMSA_ESTATE.
 */
int dkimsa_arc_set_oldest_pass(dkimsa_arc *a, int on);
/* One whole header field, as dkimsa_verify_header. */
int dkimsa_arc_header(dkimsa_arc *a, const char *field, size_t len);
/* End of headers: the ARC fields are parsed, key queries started. */
int dkimsa_arc_eoh(dkimsa_arc *a);
int dkimsa_arc_body(dkimsa_arc *a, const void *data, size_t len);
/* Validates the chain (fetches the keys). */
int dkimsa_arc_finish(dkimsa_arc *a);
/*
 * 1 when dkimsa_arc_finish would not wait for DNS (as
 * dkimsa_verify_keys_ready): after end of headers and before finish,
 * every key lookup the chain needs (the AMS and ARC-Seal selectors and
 * domains) already has its answer, from the cache, or there is none to
 * make (no ARC sets, a chain failed on its structure); 0 otherwise, and
 * always with a key callback.
 */
int dkimsa_arc_keys_ready(const dkimsa_arc *a);
/* The result; valid until dkimsa_arc_free (NULL before finish). */
const dkimsa_arc_result *dkimsa_arc_get_result(const dkimsa_arc *a);

typedef struct dkimsa_arc_seal_opts {
	const char *domain, *selector; /* d=, s= of AMS and AS */
	dkimsa_key *key;	       /* rsa or ed25519 private key */
	const char *authserv_id;       /* for the AAR */
	const char *results;	       /* our A-R resinfo after the
					  authserv-id (e.g. "dkim=pass
					  header.d=x; spf=..."), copied into
					  the AAR; NULL or "" = "none" */
	const char *const *headers;    /* AMS h= list (NULL-terminated);
					  NULL = the library default */
	long long t;		       /* t=; 0 = now */
	/*
	 * cv= to write instead of our own validation's: "pass" or "fail",
	 * the status our inbound side found before the message was changed
	 * (a list footer breaks the latest AMS); NULL = ours.  Ignored for
	 * the first set (always none).
	 */
	const char *cv;
} dkimsa_arc_seal_opts;

/*
 * After dkimsa_arc_finish: makes the next set (i = instances + 1, cv=
 * from the validation: none for the first set, pass/fail otherwise).
 * *aar, *ams, *as are complete fields "Name: value" without CRLF, folded
 * with CRLF TAB, caller frees; the caller adds them above the others.
 * A chain that failed our validation is sealed with cv=fail.  Returns
 * DKIMSA_ESTATE before finish, when 50 sets exist already, or when the
 * highest ARC-Seal already says cv=fail (RFC 8617 5.1.2: nothing is added
 * after a failed chain was sealed); DKIMSA_ENOSEAL when sealing was not
 * enabled before the body (dkimsa_arc_set_sealing); DKIMSA_EINVAL for
 * bad options (the authserv-id or results not fit for a header, a bad
 * domain or selector).
 */
int dkimsa_arc_seal(dkimsa_arc *a, const dkimsa_arc_seal_opts *o, char **aar,
		    char **ams, char **as);
void dkimsa_arc_free(dkimsa_arc *a);

/* ---- one message's body hashes, shared ---- */
/*
 * A message that is DKIM-signed and ARC-sealed, or verified and sealed,
 * needs the same body hash (RFC 6376 3.7: the same body canonicalisation,
 * l= and digest) more than once: the DKIM-Signature's bh= and the AMS's,
 * or a signature's and the seal's.  A dkimsa_body computes each distinct
 * one once.  Attach it to the message's signers, verifier and ARC object
 * before their body starts (a signer any time before its body, the
 * verifier and the ARC object before their end of headers), then give
 * the body to dkimsa_body_update once instead of to each object: their
 * _body functions then answer DKIMSA_ESTATE.  The results are the same as
 * without it, byte for byte.  Memory: one canonicaliser and digest state
 * per distinct hash, the body is never copied.  Each attached object holds
 * a reference, so the objects and the dkimsa_body may be freed in any
 * order; like them it belongs to one thread at a time.
 */
typedef struct dkimsa_body dkimsa_body;

int dkimsa_body_new(dkimsa_body **out);
/*
 * Body bytes in chunks of any size, as dkimsa_sign_body.  DKIMSA_ESTATE
 * after a hash was taken (an attached object finished).
 */
int dkimsa_body_update(dkimsa_body *b, const void *data, size_t len);
/* Drops the caller's reference. */
void dkimsa_body_free(dkimsa_body *b);
/*
 * Attach b: from now on s's body hash is b's.  DKIMSA_ESTATE when s has
 * had body bytes, finished or is attached already, or when b has had body
 * bytes and no hash of s's kind yet.
 */
int dkimsa_sign_set_body(dkimsa_sign *s, dkimsa_body *b);
/* The same for the verifier; before dkimsa_verify_eoh. */
int dkimsa_verify_set_body(dkimsa_verify *v, dkimsa_body *b);
/* The same for the ARC object; before dkimsa_arc_eoh. */
int dkimsa_arc_set_body(dkimsa_arc *a, dkimsa_body *b);

/* ---- Authentication-Results (RFC 8601) ---- */

/*
 * 1 when an Authentication-Results field value (the text after the colon)
 * names authserv_id as its authserv-id (case-insensitive): such a field in
 * an incoming message is a forgery of our verdict and must be removed.
 */
int dkimsa_ar_is_ours(const char *value, size_t len, const char *authserv_id);
/*
 * Writing an A-R: every value goes through one formatter (authres.c).  A
 * property value is written as a token or an address when it is a plain
 * one, else as a quoted-string; a value with a control character (CR, LF,
 * NUL, ...) or a byte above 0x7e, or longer than 256 bytes, is left out
 * and a comment "(ptype.property not shown: why)" stands in its place.
 * The field is 7-bit ASCII: an RFC 6532 (UTF-8) address is not shown.
 * Comment text has ( ) \ escaped, line ends and TAB turned into spaces,
 * other controls and 8-bit bytes into "?", and is cut after 256 bytes
 * with "...".  So nothing a sender wrote can end a resinfo (";") or start
 * a line.  Lines are folded with CRLF TAB between resinfos and before an
 * item that would take a line past 400 characters.  A resinfo that would
 * take the field past DKIMSA_AR_MAX bytes is left out and counted in a
 * final comment "(N more results not shown)".
 */
#define DKIMSA_AR_MAX 32768

typedef struct dkimsa_ar dkimsa_ar;

/* A new field for authserv_id (DKIMSA_EINVAL when it cannot be written). */
int dkimsa_ar_new(const char *authserv_id, dkimsa_ar **out);
void dkimsa_ar_free(dkimsa_ar *ar);
/*
 * Starts a resinfo "method=result" (result an enum dkimsa_res); method is
 * a registered method name such as "dkim", "spf", "sender-id",
 * "dkim-adsp" (DKIMSA_EINVAL when it is not a plain token).
 */
int dkimsa_ar_method(dkimsa_ar *ar, const char *method, int result);
/* Adds a comment to the current resinfo (DKIMSA_ESTATE when none). */
int dkimsa_ar_comment(dkimsa_ar *ar, const char *text);
/*
 * Adds "ptype.property=value" to the current resinfo, or the comment
 * that stands in for a value that cannot be written.
 */
int dkimsa_ar_prop(dkimsa_ar *ar, const char *ptype, const char *property,
		   const char *value);
/* The resinfo of one DKIM result (see dkimsa_ar_format_dkim). */
int dkimsa_ar_add_dkim(dkimsa_ar *ar, const dkimsa_sigresult *r);
/* The resinfo of one SPF or Sender ID result (see dkimsa_spf_authres). */
int dkimsa_ar_add_spf(dkimsa_ar *ar, const dkimsa_spf_result *r);
/*
 * The resinfo of one DMARC result (RFC 9989 section 9.1):
 * "dmarc=fail (p=reject dis=reject) header.from=example.com
 * policy.dmarc=reject"; policy.dmarc (the disposition) only when a policy
 * record applies, header.from only when the From domain is known.
 */
int dkimsa_ar_add_dmarc(dkimsa_ar *ar, const dkimsa_dmarc_result *r);
/*
 * The resinfo of an ARC chain result (RFC 8617 section 10.2): "arc=pass
 * (reason) header.oldest-pass=N smtp.remote-ip=IP"; header.oldest-pass
 * only when the chain passed, smtp.remote-ip when the latest AAR gave one.
 */
int dkimsa_ar_add_arc(dkimsa_ar *ar, const dkimsa_arc_result *r);
/*
 * The field value, " authserv-id;\r\n\tresinfo;\r\n\tresinfo" (or
 * " authserv-id; none" without results), no final CRLF; caller frees.
 * Call once, then dkimsa_ar_free().
 */
int dkimsa_ar_finish(dkimsa_ar *ar, char **out);
/*
 * The resinfo of one DKIM result, e.g. "dkim=pass (2048-bit key; secure)
 * header.d=example.com header.i=@example.com header.s=sel
 * header.a=rsa-sha256 header.b=AbCdEfGh" (caller frees).
 */
int dkimsa_ar_format_dkim(const dkimsa_sigresult *r, char **out);
/*
 * The resinfo of one DMARC result (see dkimsa_ar_add_dmarc), e.g.
 * "dmarc=fail (p=reject dis=reject) header.from=example.com
 * policy.dmarc=reject" (caller frees).
 */
int dkimsa_ar_format_dmarc(const dkimsa_dmarc_result *r, char **out);

/*
 * Reading an Authentication-Results value (RFC 8601 section 2.2,
 * authres_read.c) into its parts:
 *
 *   [CFWS] authserv-id [CFWS authres-version] ( "; none" / 1*resinfo )
 *   resinfo  = ";" method ["/" version] "=" result ["reason=" value]
 *              *( ptype "." property "=" pvalue )
 *
 * CFWS (white space, folds, comments) is allowed between all of them.
 * method, result, ptype and property are keywords (letters, digits,
 * "-"), returned lower-case; a value is returned unquoted (a
 * quoted-string's quotes, escapes and folds removed).  Two leniencies,
 * for fields real verifiers write: a pvalue may be any run of visible
 * characters other than ( ) ; " \ (base64 header.b= values hold "/",
 * "+", "="), and a bare "keyword=value" after the result (e.g.
 * "action=none") is kept as a property with ptype "".  More than
 * DKIMSA_AR_MAX_RESINFO results, more than DKIMSA_AR_MAX_PROPS
 * properties in one, or a value longer than 2 * DKIMSA_AR_MAX bytes is
 * not parsed.
 */
#define DKIMSA_AR_MAX_RESINFO 32
#define DKIMSA_AR_MAX_PROPS 16

typedef struct dkimsa_ar_property {
	const char *ptype;    /* "header", "smtp", "policy", ...; "" */
	const char *property; /* "d", "mailfrom", "from", ... */
	const char *value;    /* unquoted */
} dkimsa_ar_property;

typedef struct dkimsa_ar_resinfo {
	const char *method; /* "dkim", "spf", "dmarc", ... */
	int method_version; /* 0 when absent */
	const char *result; /* "pass", "fail", ... */
	const char *reason; /* the reason= value, or NULL */
	const dkimsa_ar_property *props;
	size_t nprops;
} dkimsa_ar_resinfo;

/* Every string belongs to the parsed value (dkimsa_ar_parsed_free). */
typedef struct dkimsa_ar_parsed {
	int instance;			  /* i= of an AAR; 0 for an A-R */
	const char *authserv_id;	  /* unquoted */
	int version;			  /* authres-version, 0 when absent */
	const dkimsa_ar_resinfo *resinfo; /* none for "; none" */
	size_t nresinfo;
} dkimsa_ar_parsed;

/*
 * Parses value (the text after "Authentication-Results:").  Returns 0
 * with *out set, DKIMSA_ESYNTAX (*out NULL, why says where) when it does
 * not follow the grammar or passes a limit, DKIMSA_ENOMEM.  why may be
 * NULL.
 */
int dkimsa_ar_parse(const char *value, size_t len, dkimsa_ar_parsed **out,
		    char *why, size_t wlen);
void dkimsa_ar_parsed_free(dkimsa_ar_parsed *p);
/* The value of ptype.property in a result (first one), or NULL. */
const char *dkimsa_ar_parsed_prop(const dkimsa_ar_resinfo *ri,
				  const char *ptype, const char *property);
/*
 * The same for an ARC-Authentication-Results value (RFC 8617 4.1.1:
 * "i=" instance ";" then an A-R value); instance is set.
 */
int dkimsa_arc_aar_parse(const char *value, size_t len, dkimsa_ar_parsed **out,
			 char *why, size_t wlen);
/*
 * Reads one whole "ARC-Seal: ..." field (CRLF folds) as the chain
 * validation does: its instance (i=) and its d= (lower-cased, into
 * domain).  0; DKIMSA_ESYNTAX when the field is not a valid ARC-Seal or
 * d= does not fit in dlen bytes; DKIMSA_EINVAL for NULLs;
 * DKIMSA_ENOMEM.  A receiver uses it to tell which sets its own sealing
 * domain claims to have sealed before the chain is validated.
 */
int dkimsa_arc_seal_domain(const char *field, size_t len, int *instance,
			   char *domain, size_t dlen);
/*
 * After dkimsa_arc_finish: the AAR of one instance of the chain, parsed
 * as dkimsa_arc_aar_parse does.  DKIMSA_ESTATE before finish,
 * DKIMSA_ENOTFOUND when the chain has no AAR at that instance.
 */
int dkimsa_arc_get_aar(const dkimsa_arc *a, int instance,
		       dkimsa_ar_parsed **out, char *why, size_t wlen);

#ifdef __cplusplus
}
#endif
#endif /* DKIMSA_H */
