/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfg.c - the settings of dkimsa.conf as rows {name, type, default,
 * field, min, max, note}; one loop reads them.  File syntax as
 * OpenDKIM's: one "Key value" per line, "#" starts a comment, keys are
 * case-insensitive.
 *
 * Every key of OpenDKIM 2.11's opendkim.conf(5) has a row.  Those dkimsa
 * has no use for are T_IGNORED (one warning naming dkimsa-migration(7));
 * those whose silent loss would let through mail the old setup stopped,
 * or trust what it did not trust, are T_REFUSED (an error, with the
 * reason); T_REFUSED_IF is refused unless its value is the harmless one
 * in the default column ("no" for a boolean).  The library's own options
 * (T_LIB) are checked by libdkimsa, which declares their ranges.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "dkimsa.h"
#include "mlog.h"

enum cfg_type {
	T_STR,
	T_SECRET, /* a T_STR that cfg_dump does not print */
	T_BOOL,
	T_INT,
	T_ACTION,
	T_MODE,
	T_CANON,
	T_ALG,
	T_LIB,
	T_FACILITY,
	T_INCLUDE,
	T_IGNORED,
	T_REFUSED,
	T_REFUSED_IF,
};

struct cfg_row {
	const char *name;
	enum cfg_type type;
	const char *def; /* NULL: unset; T_REFUSED_IF: the harmless value */
	size_t off;
	long min, max;
	const char *note; /* T_IGNORED, T_REFUSED*: what to do instead */
};

#define S(name, field, def)                                                    \
	{                                                                      \
		name, T_STR, def, offsetof(struct cfg, field), 0, 0, NULL      \
	}
#define B(name, field, def)                                                    \
	{                                                                      \
		name, T_BOOL, def, offsetof(struct cfg, field), 0, 1, NULL     \
	}
#define I(name, field, def, lo, hi)                                            \
	{                                                                      \
		name, T_INT, def, offsetof(struct cfg, field), lo, hi, NULL    \
	}
#define A(name, field, def)                                                    \
	{                                                                      \
		name, T_ACTION, def, offsetof(struct cfg, field), 0, 0, NULL   \
	}
#define L(name, field)                                                         \
	{                                                                      \
		name, T_LIB, NULL, offsetof(struct cfg, field), 0, 0, NULL     \
	}
/* OpenDKIM keys: ignored with a warning, refused, refused unless ok. */
#define OW(name, note)                                                         \
	{                                                                      \
		name, T_IGNORED, NULL, 0, 0, 0, note                           \
	}
#define OR(name, note)                                                         \
	{                                                                      \
		name, T_REFUSED, NULL, 0, 0, 0, note                           \
	}
#define OI(name, ok, note)                                                     \
	{                                                                      \
		name, T_REFUSED_IF, ok, 0, 0, 0, note                          \
	}

#define NO_REPORTS "dkimsa sends no reports (RFC 6651)"
#define NO_STATS "dkimsa keeps no statistics database; see MetricsSocket"
#define NO_SASL                                                                \
	"SASL binds are not supported: use LDAPBindUser and LDAPBindPassword " \
	"(a simple bind) with LDAPUseTLS yes or an ldaps:// table"
#define NO_SASL_NAME "used only by SASL binds (LDAPAuthMechanism)"
#define NO_KEEPALIVE "a broken LDAP connection is reopened at the next lookup"
#define NO_SOFTSTART                                                           \
	"dsn: and ldap: tables connect when a lookup needs the server, so "    \
	"one that is down at start does not stop the milter"
#define NO_LUA                                                                 \
	"Lua policy scripts are not supported, and the decisions the "         \
	"script makes would be lost"
#define NO_VBR "VBR (RFC 5518) is not supported"
#define NO_L "dkimsa never signs with l="
#define NO_TMP "dkimsa writes no temporary files"

static const struct cfg_row cfg_rows[] = {
    {"Mode", T_MODE, "sv", offsetof(struct cfg, mode), 0, 0, NULL},
    S("Socket", socket, "inet:8891@127.0.0.1"),
    /* Prometheus /metrics (metrics_sock.h), checked by rt.c */
    S("MetricsSocket", metrics_socket, NULL),
    S("UserID", user_id, NULL),
    S("UMask", umask, "007"),
    S("PidFile", pid_file, NULL),
    B("Background", background, "yes"),
    B("Syslog", syslog, "yes"),
    {"SyslogFacility", T_FACILITY, "mail",
     offsetof(struct cfg, syslog_facility), 0, 0, NULL},
    S("SyslogName", syslog_name, "dkimsa"),
    B("SyslogSuccess", syslog_success, "yes"),
    B("LogWhy", log_why, "no"),
    B("AllowRoot", allow_root, "no"),
    I("WorkerThreads", worker_threads, "0", 0, 4096),
    S("Domain", domain, NULL),
    S("KeyFile", key_file, NULL),
    S("Selector", selector, NULL),
    S("KeyTable", key_table, NULL),
    S("SigningTable", signing_table, NULL),
    I("KeyCacheSize", key_cache_size, "4096", 1, 10000000),
    I("TableCacheTTL", table_cache_ttl, "10", 0, 86400),
    S("LDAPBindUser", ldap_bind_user, NULL),
    {"LDAPBindPassword", T_SECRET, NULL,
     offsetof(struct cfg, ldap_bind_password), 0, 0, NULL},
    B("LDAPUseTLS", ldap_use_tls, "no"),
    I("LDAPTimeout", ldap_timeout, "5", 1, 3600),
    B("MultipleSignatures", multiple_signatures, "no"),
    B("SubDomains", subdomains, "no"),
    B("RemoveOldSignatures", remove_old_signatures, "no"),
    I("SignatureTTL", signature_ttl, "0", 0, 315360000),
    {"Canonicalization", T_CANON, "relaxed/relaxed",
     offsetof(struct cfg, canonicalization), 0, 0, NULL},
    {"SignatureAlgorithm", T_ALG, "rsa-sha256",
     offsetof(struct cfg, signature_algorithm), 0, 0, NULL},
    S("SignHeaders", sign_headers, NULL),
    S("OversignHeaders", oversign_headers, "From"),
    S("SenderHeaders", sender_headers, "From"),
    B("RequireSafeKeys", require_safe_keys, "yes"),
    S("InternalHosts", internal_hosts, "csl:127.0.0.1,::1"),
    S("ExternalIgnoreList", external_ignore_list, NULL),
    S("PeerList", peer_list, NULL),
    S("MTA", mta, NULL),
    S("MacroList", macro_list, NULL),
    S("AuthservID", authserv_id, NULL),
    B("AlwaysAddARHeader", always_add_ar, "no"),
    L("MinimumKeyBits", minimum_key_bits),
    L("MaximumSignaturesToVerify", maximum_signatures),
    B("SPF", spf, "yes"),
    B("SenderID", sender_id, "yes"),
    B("ADSP", adsp, "yes"),
    B("ReceivedSPFHeader", received_spf_header, "no"),
    B("DMARC", dmarc, "yes"),
    S("DMARCIgnoreList", dmarc_ignore_list, NULL),
    S("TrustAnchorFile", trust_anchor_file, NULL),
    S("Nameservers", nameservers, NULL),
    S("UnboundConfigFile", unbound_config_file, NULL),
    /* OpenDKIM's name for the same file */
    S("ResolverConfiguration", unbound_config_file, NULL),
    L("DNSTimeout", dns_timeout),
    S("DMARCHistoryFile", dmarc_history_file, NULL),
    A("On-Default", on_default, "accept"),
    A("On-BadSignature", on_bad_signature, "accept"),
    A("On-DNSError", on_dns_error, "tempfail"),
    A("On-InternalError", on_internal_error, "tempfail"),
    A("On-KeyNotFound", on_key_not_found, "accept"),
    A("On-NoSignature", on_no_signature, "accept"),
    A("On-Security", on_security, "tempfail"),
    A("On-SignatureError", on_signature_error, "accept"),
    A("On-SPFFail", on_spf_fail, "accept"),
    A("On-SenderIDFail", on_sender_id_fail, "accept"),
    A("On-ADSPDiscard", on_adsp_discard, "accept"),
    A("On-DMARCReject", on_dmarc_reject, "reject"),
    A("On-DMARCQuarantine", on_dmarc_quarantine, "accept"),
    /* OpenDKIM's name for the same action */
    A("ADSPAction", on_adsp_discard, NULL),
    /* ARC (RFC 8617): sealing, and the sealers DMARC may trust */
    B("ARCSign", arc_sign, "no"),
    S("ARCSignMode", arc_sign_mode, "both"),
    S("ARCKey", arc_key, NULL),
    S("ARCTrustedSealers", arc_trusted_sealers, NULL),
    B("ARCOldestPass", arc_oldest_pass, "yes"),
    /* reads another file there, as OpenDKIM does (5 levels at most) */
    {"Include", T_INCLUDE, NULL, 0, 0, 0, NULL},
    /* OpenDKIM 2.11 keys dkimsa does without (dkimsa-migration(7)) */
    OW("AddAllSignatureResults", "all results are always reported"),
    OW("AllowSHA1Only", "rsa-sha1 never passes (RFC 8301)"),
    OW("AlwaysSignHeaders", "use OversignHeaders"),
    OW("AnonymousStatistics", NO_STATS),
    OW("AuthservIDWithJobID", "the authserv-id is AuthservID alone"),
    OW("AutoRestart", "use systemd's Restart="),
    OW("AutoRestartCount", "use systemd's StartLimitBurst="),
    OW("AutoRestartRate", "use systemd's StartLimitIntervalSec="),
    OW("BaseDirectory", "dkimsa needs absolute paths"),
    OW("BodyLengthDB", NO_L),
    OW("BodyLengths", NO_L),
    OW("BogusKey", "a key that fails DNSSEC never passes (On-Security)"),
    OW("BogusPolicy", "an ADSP record that fails DNSSEC is permerror"),
    OW("CaptureUnknownErrors", "internal errors follow On-InternalError"),
    OW("ClockDrift", "x= is checked without tolerance"),
    OW("DiagnosticDirectory", "dkimsa writes no z= diagnostics"),
    OW("Diagnostics", "dkimsa adds no z= tag"),
    OW("DisableADSP", "use ADSP no"),
    OW("DisableCryptoInit", "OpenSSL 3 needs no initialisation"),
    OW("DNSConnect", "libunbound chooses between UDP and TCP"),
    OW("DomainKeysCompat", "DomainKeys (RFC 4870) is not supported"),
    OW("DontSignMailTo", "mail to any recipient is signed"),
    OW("EnableCoredumps", "use systemd's LimitCORE="),
    OW("ExemptDomains", "use PeerList"),
    OW("FixCRLF", "bare LF is read as CRLF, as the MTA will write it"),
    OW("IdentityHeader", "use SigningTable's signer field for i="),
    OW("IdentityHeaderRemove", "there is no identity header"),
    OW("IgnoreMalformedMail", "malformed mail is verified as it is"),
    OW("InsecurePolicy", "ADSP records apply whether DNSSEC-signed or not"),
    OW("KeepAuthResults",
       "forged Authentication-Results naming us are always removed"),
    OW("KeepTemporaryFiles", NO_TMP),
    OW("LDAPAuthName", NO_SASL_NAME),
    OW("LDAPAuthRealm", NO_SASL_NAME),
    OW("LDAPAuthUser", NO_SASL_NAME),
    OW("LDAPDisableCache", "use TableCacheTTL 0"),
    OW("LDAPKeepaliveIdle", NO_KEEPALIVE),
    OW("LDAPKeepaliveInterval", NO_KEEPALIVE),
    OW("LDAPKeepaliveProbes", NO_KEEPALIVE),
    OW("LDAPSoftStart", NO_SOFTSTART),
    OW("LogResults", "SyslogSuccess logs one line per message"),
    OW("MaximumHeaders", "the header block's limit is fixed"),
    OW("MaximumSignedBytes", NO_L),
    OW("MilterDebug", "libmilter's debug level is not set"),
    OW("MTACommand", NO_REPORTS),
    OW("NoHeaderB", "header.b is always written"),
    OW("OmitHeaders", "use SignHeaders"),
    OW("On-PolicyError", "use On-ADSPDiscard"),
    OW("POPDBFile", "authenticated clients are signed (MacroList)"),
    OW("QueryCache", "libunbound caches every answer"),
    OW("ReplaceHeaders", "header rewriting is not supported"),
    OW("ReplaceRules", "header rewriting is not supported"),
    OW("ReportAddress", NO_REPORTS),
    OW("ReportBccAddress", NO_REPORTS),
    OW("RequestReports", NO_REPORTS),
    OW("ResignAll", "re-signing is not supported"),
    OW("ResignMailTo", "re-signing is not supported"),
    OW("ResolverTracing", "use LogWhy"),
    OW("SelectCanonicalizationHeader", "use Canonicalization"),
    OW("SendADSPReports", NO_REPORTS),
    OW("SenderMacro", "use SenderHeaders"),
    OW("SendReports", NO_REPORTS),
    OW("SMTPURI", NO_REPORTS),
    OW("SoftStart", NO_SOFTSTART),
    OW("SoftwareHeader", "dkimsa adds no DKIM-Filter field"),
    OW("Statistics", NO_STATS),
    OW("StatisticsName", NO_STATS),
    OW("StatisticsPolicyScript", NO_STATS),
    OW("StatisticsPrefix", NO_STATS),
    OW("StrictTestMode", "dkimsa has no test mode"),
    OW("TemporaryDirectory", NO_TMP),
    OW("TestDNSData", "dkimsa has no test mode"),
    OW("TestPublicKeys", "dkimsa has no test mode"),
    OW("UnprotectedPolicy", "ADSP records apply whether DNSSEC-signed or not"),
    OW("VBR-Certifiers", NO_VBR),
    OW("VBR-PurgeFields", NO_VBR),
    OW("VBR-TrustedCertifiers", NO_VBR),
    OW("VBR-TrustedCertifiersOnly", NO_VBR),
    OW("VBR-Type", NO_VBR),
    OW("WeakSyntaxChecks", "syntax errors are never overlooked"),
    OW("X-Header", "dkimsa adds no X-DKIM field"),
    /* OpenDKIM keys whose silent loss would weaken the checks */
    OI("ADSPNoSuchDomain", "no",
       "mail from nonexistent author domains would be accepted"),
    OR("ChangeRootDirectory",
       "the milter would run outside the chroot; use the systemd "
       "unit's RootDirectory= and sandboxing"),
    OR("FinalPolicyScript", NO_LUA),
    OI("InsecureKey", "none", "keys not protected by DNSSEC would pass"),
    OI("LDAPAuthMechanism", "simple", NO_SASL),
    OR("LocalADSP", "mail would be judged by the domains' weaker policies"),
    OR("Minimum", "partially signed messages would not fail"),
    OR("MustBeSigned", "signatures leaving those fields unsigned would pass"),
    OI("Quarantine", "no",
       "failing mail would be delivered; use On-BadSignature quarantine"),
    OR("RedirectFailuresTo", "failing mail would reach its recipients"),
    OI("RemoveARAll", "no",
       "Authentication-Results of the hosts named would stay"),
    OR("RemoveARFrom", "Authentication-Results of those hosts would stay"),
    OI("RequiredHeaders", "no",
       "messages with a malformed header block would be accepted"),
    OR("ScreenPolicyScript", NO_LUA),
    OR("SetupPolicyScript", NO_LUA),
    OI("StrictHeaders", "no",
       "messages with a malformed header block would be accepted"),
    OR("TrustSignaturesFrom",
       "third-party signatures would be trusted from every domain"),
    OI("UnprotectedKey", "none", "keys not protected by DNSSEC would pass"),
};

#define CFG_NROWS (sizeof(cfg_rows) / sizeof(cfg_rows[0]))

static int
cfg_has_field(enum cfg_type t)
{
	return t != T_IGNORED && t != T_REFUSED && t != T_REFUSED_IF &&
	       t != T_INCLUDE;
}

static int
cfg_is_string(enum cfg_type t)
{
	return cfg_has_field(t) && t != T_BOOL && t != T_INT && t != T_ACTION;
}

/* The first row storing into r's field (aliases share a field). */
static const struct cfg_row *
cfg_owner(const struct cfg_row *r)
{
	size_t i;

	for (i = 0; i < CFG_NROWS; i++)
		if (cfg_has_field(cfg_rows[i].type) &&
		    cfg_rows[i].off == r->off)
			return &cfg_rows[i];
	return r;
}

static const char *const cfg_actions[] = {
    [CFG_ACCEPT] = "accept",	     [CFG_REJECT] = "reject",
    [CFG_TEMPFAIL] = "tempfail",     [CFG_DISCARD] = "discard",
    [CFG_QUARANTINE] = "quarantine",
};

const char *
cfg_action_name(int action)
{
	if (action < 0 || action > CFG_QUARANTINE)
		return "accept";
	return cfg_actions[action];
}

static int
cfg_word(const char *v, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i] && strcasecmp(v, words[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const cfg_bools[] = {"no", "yes", "false", "true",
					"0",  "1",   "off",   "on"};

/*
 * A library option: libdkimsa checks the value against its own range
 * (one declaration, in lib.c); why gets its reason.
 */
static const char *
cfg_lib_check(const char *name, const char *v, char *why, size_t len)
{
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[400];
	int rc;

	if (lib == NULL)
		return "out of memory";
	rc = dkimsa_lib_set_option(lib, name, v, err, sizeof(err));
	dkimsa_lib_free(lib);
	if (rc == 0)
		return NULL;
	/* the library's text starts with the option's name */
	snprintf(why, len, "%s",
		 strncasecmp(err, name, strlen(name)) == 0 &&
			 err[strlen(name)] == ':'
		     ? err + strlen(name) + 2
		     : err);
	return why;
}

/* Sets one row from text; returns NULL or the reason it is bad. */
static const char *
cfg_set(struct cfg *c, const struct cfg_row *r, const char *v, char *why,
	size_t whylen)
{
	static const char *const canons[] = {
	    "simple",	      "relaxed",	"simple/simple",
	    "simple/relaxed", "relaxed/simple", "relaxed/relaxed"};
	static const char *const algs[] = {"rsa-sha256", "ed25519-sha256"};
	void *field = (char *)c + r->off;
	char *end, *dup;
	long n;
	int w;

	switch (r->type) {
	case T_BOOL:
		if ((w = cfg_word(v, cfg_bools, 8)) < 0)
			return "expected yes or no";
		*(int *)field = w % 2;
		return NULL;
	case T_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end || end == v || n < r->min || n > r->max)
			return "expected a number in range";
		*(int *)field = (int)n;
		return NULL;
	case T_ACTION:
		if ((w = cfg_word(v, cfg_actions, 5)) < 0)
			return "expected accept, reject, tempfail, discard or "
			       "quarantine";
		*(int *)field = w;
		return NULL;
	case T_MODE:
		if (strcmp(v, "s") && strcmp(v, "v") && strcmp(v, "sv") &&
		    strcmp(v, "vs"))
			return "expected s, v or sv";
		break;
	case T_CANON:
		if (cfg_word(v, canons, 6) < 0)
			return "expected simple or relaxed, e.g. "
			       "relaxed/relaxed";
		break;
	case T_ALG:
		if (cfg_word(v, algs, 2) < 0)
			return "expected rsa-sha256 or ed25519-sha256";
		break;
	case T_LIB:
		if (cfg_lib_check(r->name, v, why, whylen) != NULL)
			return why;
		break;
	case T_FACILITY:
		if (mlog_facility(v) < 0)
			return "expected a syslog facility: mail, daemon, "
			       "local0 ... local7, ...";
		break;
	case T_STR:
	case T_SECRET:
		break;
	case T_IGNORED:
	case T_REFUSED:
	case T_REFUSED_IF:
	case T_INCLUDE:
		return NULL; /* cfg_line */
	}
	if ((dup = strdup(v)) == NULL)
		return "out of memory";
	free(*(char **)field);
	*(char **)field = dup;
	return NULL;
}

void
cfg_defaults(struct cfg *c)
{
	size_t i;
	char why[8];

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CFG_NROWS; i++)
		if (cfg_rows[i].def != NULL && cfg_has_field(cfg_rows[i].type))
			cfg_set(c, &cfg_rows[i], cfg_rows[i].def, why,
				sizeof(why));
	c->where = calloc(CFG_NROWS, sizeof(char *));
	c->warnings = strdup("");
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < CFG_NROWS; i++) {
		const struct cfg_row *r = &cfg_rows[i];

		if (cfg_is_string(r->type) && cfg_owner(r) == r)
			free(*(char **)((char *)c + r->off));
	}
	for (i = 0; c->where != NULL && i < CFG_NROWS; i++)
		free(c->where[i]);
	free(c->path);
	free(c->where);
	free(c->warnings);
	memset(c, 0, sizeof(*c));
}

/*
 * On-Default, when given, is the action of every On-* key the file does
 * not set (OpenDKIM's meaning); otherwise each keeps its own default.
 * On-InternalError is left alone: a signing error must not let mail go
 * out unsigned unless the file says so in as many words.  seen is kept
 * per field, so an alias (ADSPAction) counts for its key.
 */
static void
cfg_apply_default(struct cfg *c, const unsigned char *seen)
{
	const struct cfg_row *def = NULL;
	size_t i;

	for (i = 0; i < CFG_NROWS; i++)
		if (strcmp(cfg_rows[i].name, "On-Default") == 0)
			def = &cfg_rows[i];
	if (def == NULL || !seen[def - cfg_rows])
		return;
	for (i = 0; i < CFG_NROWS; i++)
		if (cfg_rows[i].type == T_ACTION &&
		    cfg_owner(&cfg_rows[i]) == &cfg_rows[i] && !seen[i] &&
		    strcmp(cfg_rows[i].name, "On-InternalError") != 0)
			*(int *)((char *)c + cfg_rows[i].off) = c->on_default;
}

static const struct cfg_row *
cfg_find(const char *name)
{
	size_t i;

	for (i = 0; i < CFG_NROWS; i++)
		if (strcasecmp(cfg_rows[i].name, name) == 0)
			return &cfg_rows[i];
	return NULL;
}

static void
cfg_error(void (*err_fn)(void *, const char *), void *arg, const char *path,
	  int line, const char *fmt, const char *a, const char *b)
{
	char msg[1024], what[900];

	snprintf(what, sizeof(what), fmt, a, b);
	if (line > 0)
		snprintf(msg, sizeof(msg), "%s, line %d: %s", path, line, what);
	else
		snprintf(msg, sizeof(msg), "%s: %s", path, what);
	err_fn(arg, msg);
}

/* Keeps a warning for cfg_warnings. */
static void
cfg_warn(void *arg, const char *msg)
{
	struct cfg *c = arg;
	size_t n = c->warnings ? strlen(c->warnings) : 0;
	char *w = realloc(c->warnings, n + strlen(msg) + 2);

	if (w == NULL)
		return;
	memcpy(w + n, msg, strlen(msg));
	w[n + strlen(msg)] = '\n';
	w[n + strlen(msg) + 1] = '\0';
	c->warnings = w;
}

/*
 * An OpenDKIM key dkimsa does not implement: a warning, or an error when
 * dropping it would weaken the checks.  Returns 1 for an error.
 */
static int
cfg_opendkim(struct cfg *c, const char *path, const struct cfg_row *r,
	     const char *v, int line, void (*err_fn)(void *, const char *),
	     void *arg)
{
	int harmless = 0, w;

	if (r->type == T_REFUSED_IF) {
		w = cfg_word(v, cfg_bools, 8);
		harmless = strcasecmp(r->def, "no") == 0
			       ? w >= 0 && w % 2 == 0
			       : !strcasecmp(v, r->def);
	}
	if (r->type == T_IGNORED || harmless) {
		cfg_error(cfg_warn, c, path, line,
			  "warning: OpenDKIM's %s is ignored (%s); see "
			  "dkimsa-migration(7)",
			  r->name, r->note);
		return 0;
	}
	cfg_error(err_fn, arg, path, line,
		  "OpenDKIM's %s is not supported: %s; see "
		  "dkimsa-migration(7)",
		  r->name, r->note);
	return 1;
}

/* Splits "Key value" in place; returns 0, or -1 for a line with no value. */
static int
cfg_split(char *line, char **key, char **val)
{
	char *p, *e;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	for (p = line; isspace((unsigned char)*p); p++)
		;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	*key = p;
	if (*p == '\0')
		return 1; /* blank or comment */
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return -1;
	*p++ = '\0';
	while (isspace((unsigned char)*p))
		p++;
	*val = p;
	return 0;
}

/* The file being read (the configuration, or one it includes). */
struct cfg_read {
	struct cfg *c;
	const char *path;
	int depth; /* Include levels */
	unsigned char *seen;
	void (*err_fn)(void *, const char *);
	void *arg;
};

#define CFG_INCLUDE_MAX 5

static int cfg_file(struct cfg_read *st, FILE *fp);

/* Include FILE: read it here; errors name its own lines. */
static int
cfg_include(struct cfg_read *st, const char *file, int lineno)
{
	struct cfg_read sub = *st;
	struct stat sb;
	FILE *fp;
	int n;

	if (file[0] != '/') {
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "Include %s: the path must be absolute%s", file, "");
		return 1;
	}
	if (st->depth >= CFG_INCLUDE_MAX) {
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "Include %s: more than 5 levels of Include%s", file,
			  "");
		return 1;
	}
	if ((fp = fopen(file, "r")) == NULL) {
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "Include %s: cannot open: %s", file, strerror(errno));
		return 1;
	}
	/* a device or FIFO could be read for ever */
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(fp);
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "Include %s: not a regular file%s", file, "");
		return 1;
	}
	sub.path = file;
	sub.depth++;
	n = cfg_file(&sub, fp);
	fclose(fp);
	return n;
}

/* One "Key value" line; returns the number of errors. */
static int
cfg_line(struct cfg_read *st, char *line, int lineno)
{
	struct cfg *c = st->c;
	const struct cfg_row *r, *owner;
	char *key = NULL, *val = NULL, named[128], why[400], at[1100];
	const char *bad;
	int rc = cfg_split(line, &key, &val);

	if (rc == 1)
		return 0;
	if ((r = cfg_find(key)) == NULL) {
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "unknown key \"%s\"%s", key, "");
		return 1;
	}
	if (rc < 0) {
		cfg_error(st->err_fn, st->arg, st->path, lineno,
			  "%s needs a value%s", r->name, "");
		return 1;
	}
	if (r->type == T_INCLUDE)
		return cfg_include(st, val, lineno);
	if (!cfg_has_field(r->type))
		return cfg_opendkim(c, st->path, r, val, lineno, st->err_fn,
				    st->arg);
	owner = cfg_owner(r);
	st->seen[owner - cfg_rows] = 1;
	snprintf(at, sizeof(at), "%s, line %d", st->path, lineno);
	free(c->where[owner - cfg_rows]);
	c->where[owner - cfg_rows] = strdup(at);
	if ((bad = cfg_set(c, r, val, why, sizeof(why))) == NULL)
		return 0;
	snprintf(named, sizeof(named), "%s: %s", r->name, bad);
	cfg_error(st->err_fn, st->arg, st->path, lineno, "%s, got \"%s\"",
		  named, val);
	return 1;
}

static int
cfg_file(struct cfg_read *st, FILE *fp)
{
	char line[4096];
	int lineno = 0, errors = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			cfg_error(st->err_fn, st->arg, st->path, lineno,
				  "line too long%s%s", "", "");
			errors++;
			while (fgets(line, sizeof(line), fp) &&
			       !strchr(line, '\n'))
				;
			continue;
		}
		errors += cfg_line(st, line, lineno);
	}
	return errors;
}

int
cfg_load(struct cfg *c, const char *path,
	 void (*err_fn)(void *arg, const char *msg), void *arg)
{
	FILE *fp = fopen(path, "r");
	unsigned char seen[CFG_NROWS] = {0};
	struct cfg_read st = {c, path, 0, seen, err_fn, arg};
	int errors;

	free(c->path);
	c->path = strdup(path);
	if (c->path == NULL || c->where == NULL || c->warnings == NULL) {
		if (fp != NULL)
			fclose(fp);
		err_fn(arg, "out of memory");
		return 1;
	}
	if (fp == NULL) {
		cfg_error(err_fn, arg, path, 0, "cannot open: %s%s",
			  strerror(errno), "");
		return 1;
	}
	errors = cfg_file(&st, fp);
	fclose(fp);
	cfg_apply_default(c, seen);
	return errors;
}

const char *
cfg_where(const struct cfg *c, const char *key, char *buf, size_t len)
{
	const struct cfg_row *r = cfg_find(key);
	const char *at = NULL;

	if (r != NULL && c->where != NULL)
		at = c->where[cfg_owner(r) - cfg_rows];
	if (at == NULL)
		at = c->path ? c->path : "dkimsa.conf";
	snprintf(buf, len, "%s", at);
	return buf;
}

const char *
cfg_hint(const char *key, const char *value)
{
	const char *colon = strchr(value, ':'), *slash = strchr(value, '/');
	int typed = colon != NULL && (slash == NULL || colon < slash);

	if (strcasecmp(key, "KeyFile") == 0)
		return strncmp(value, "/", 1) && strncmp(value, "./", 2) &&
			       strncmp(value, "../", 3) &&
			       strncmp(value, "-----BEGIN", 10)
			   ? "a KeyFile value not starting with /, ./ or ../ "
			     "is the key itself (as in OpenDKIM); write a path "
			     "as /PATH or ./PATH"
			   : NULL;
	if (typed)
		return NULL;
	if (strpbrk(value, ", \t") != NULL)
		return "a value without a type is a file name (as in "
		       "OpenDKIM); write a list as csl:a,b,...";
	if (value[0] != '/')
		return "a value without a type is a file name and must be "
		       "absolute; a single entry is csl:ENTRY";
	return NULL;
}

void
cfg_warnings(const struct cfg *c, void (*fn)(void *arg, const char *msg),
	     void *arg)
{
	const char *p = c->warnings, *nl;
	char line[1100];

	while (p != NULL && (nl = strchr(p, '\n')) != NULL) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		fn(arg, line);
		p = nl + 1;
	}
}

void
cfg_dump(const struct cfg *c, void (*out)(void *arg, const char *line),
	 void *arg)
{
	char line[4200];
	size_t i;

	for (i = 0; i < CFG_NROWS; i++) {
		const struct cfg_row *r = &cfg_rows[i];
		const void *f = (const char *)c + r->off;

		if (!cfg_has_field(r->type) || cfg_owner(r) != r)
			continue;
		if (r->type == T_BOOL)
			snprintf(line, sizeof(line), "%s %s", r->name,
				 *(const int *)f ? "yes" : "no");
		else if (r->type == T_INT)
			snprintf(line, sizeof(line), "%s %d", r->name,
				 *(const int *)f);
		else if (r->type == T_ACTION)
			snprintf(line, sizeof(line), "%s %s", r->name,
				 cfg_action_name(*(const int *)f));
		else if (*(char *const *)f != NULL)
			snprintf(line, sizeof(line), "%s %s", r->name,
				 r->type == T_SECRET ? "*" : *(char *const *)f);
		else if (r->type == T_LIB)
			snprintf(line, sizeof(line),
				 "# %s (unset: libdkimsa's default)", r->name);
		else
			snprintf(line, sizeof(line), "# %s (unset)", r->name);
		out(arg, line);
	}
}
