/*
 * cfg.c - the settings of dkimsa.conf as rows {name, type, default,
 * field, min, max}; one loop reads them.  File syntax as OpenDKIM's: one
 * "Key value" per line, "#" starts a comment, keys are case-insensitive.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cfg.h"

enum cfg_type { T_STR, T_BOOL, T_INT, T_ACTION, T_MODE, T_CANON, T_ALG };

struct cfg_row {
	const char *name;
	enum cfg_type type;
	const char *def; /* NULL: unset */
	size_t off;
	long min, max;
};

#define S(name, field, def)                                                    \
	{                                                                      \
		name, T_STR, def, offsetof(struct cfg, field), 0, 0            \
	}
#define B(name, field, def)                                                    \
	{                                                                      \
		name, T_BOOL, def, offsetof(struct cfg, field), 0, 1           \
	}
#define I(name, field, def, lo, hi)                                            \
	{                                                                      \
		name, T_INT, def, offsetof(struct cfg, field), lo, hi          \
	}
#define A(name, field, def)                                                    \
	{                                                                      \
		name, T_ACTION, def, offsetof(struct cfg, field), 0, 0         \
	}

static const struct cfg_row cfg_rows[] = {
    {"Mode", T_MODE, "sv", offsetof(struct cfg, mode), 0, 0},
    S("Socket", socket, "inet:8891@127.0.0.1"),
    S("UserID", user_id, NULL),
    S("UMask", umask, "007"),
    S("PidFile", pid_file, NULL),
    B("Syslog", syslog, "yes"),
    B("SyslogSuccess", syslog_success, "yes"),
    B("LogWhy", log_why, "no"),
    B("AllowRoot", allow_root, "no"),
    S("Domain", domain, NULL),
    S("KeyFile", key_file, NULL),
    S("Selector", selector, NULL),
    S("KeyTable", key_table, NULL),
    S("SigningTable", signing_table, NULL),
    B("MultipleSignatures", multiple_signatures, "no"),
    {"Canonicalization", T_CANON, "relaxed/relaxed",
     offsetof(struct cfg, canonicalization), 0, 0},
    {"SignatureAlgorithm", T_ALG, "rsa-sha256",
     offsetof(struct cfg, signature_algorithm), 0, 0},
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
    I("MinimumKeyBits", minimum_key_bits, "1024", 512, 16384),
    I("MaximumSignaturesToVerify", maximum_signatures, "10", 1, 100),
    B("SPF", spf, "yes"),
    B("SenderID", sender_id, "yes"),
    B("ADSP", adsp, "yes"),
    B("ReceivedSPFHeader", received_spf_header, "no"),
    S("TrustAnchorFile", trust_anchor_file, NULL),
    S("Nameservers", nameservers, NULL),
    S("UnboundConfigFile", unbound_config_file, NULL),
    I("DNSTimeout", dns_timeout, "10", 1, 300),
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
};

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

/* Sets one row from text; returns NULL or the reason it is bad. */
static const char *
cfg_set(struct cfg *c, const struct cfg_row *r, const char *v)
{
	static const char *const bools[] = {"no", "yes", "false", "true",
					    "0",  "1",	 "off",	  "on"};
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
		if ((w = cfg_word(v, bools, 8)) < 0)
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
	case T_STR:
		break;
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

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++)
		if (cfg_rows[i].def != NULL)
			cfg_set(c, &cfg_rows[i], cfg_rows[i].def);
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++) {
		const struct cfg_row *r = &cfg_rows[i];

		if (r->type != T_BOOL && r->type != T_INT &&
		    r->type != T_ACTION)
			free(*(char **)((char *)c + r->off));
	}
	memset(c, 0, sizeof(*c));
}

/*
 * On-Default, when given, is the action of every On-* key the file does
 * not set (OpenDKIM's meaning); otherwise each keeps its own default.
 * On-InternalError is left alone: a signing error must not let mail go
 * out unsigned unless the file says so in as many words.
 */
static void
cfg_apply_default(struct cfg *c, const unsigned char *seen)
{
	const struct cfg_row *def = NULL;
	size_t i;

	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++)
		if (strcmp(cfg_rows[i].name, "On-Default") == 0)
			def = &cfg_rows[i];
	if (def == NULL || !seen[def - cfg_rows])
		return;
	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++)
		if (cfg_rows[i].type == T_ACTION && !seen[i] &&
		    strcmp(cfg_rows[i].name, "On-InternalError") != 0)
			*(int *)((char *)c + cfg_rows[i].off) = c->on_default;
}

static const struct cfg_row *
cfg_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++)
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

int
cfg_load(struct cfg *c, const char *path,
	 void (*err_fn)(void *arg, const char *msg), void *arg)
{
	FILE *fp = fopen(path, "r");
	char line[4096], *key, *val;
	const struct cfg_row *r;
	const char *why;
	int lineno = 0, errors = 0, rc;
	unsigned char seen[sizeof(cfg_rows) / sizeof(cfg_rows[0])] = {0};

	if (fp == NULL) {
		cfg_error(err_fn, arg, path, 0, "cannot open: %s%s",
			  strerror(errno), "");
		return 1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			cfg_error(err_fn, arg, path, lineno,
				  "line too long%s%s", "", "");
			errors++;
			while (fgets(line, sizeof(line), fp) &&
			       !strchr(line, '\n'))
				;
			continue;
		}
		rc = cfg_split(line, &key, &val);
		if (rc == 1)
			continue;
		if ((r = cfg_find(key)) == NULL) {
			cfg_error(err_fn, arg, path, lineno,
				  "unknown key \"%s\"%s", key, "");
			errors++;
		} else if (rc < 0) {
			cfg_error(err_fn, arg, path, lineno,
				  "%s needs a value%s", r->name, "");
			errors++;
		} else if ((seen[r - cfg_rows] = 1, why = cfg_set(c, r, val)) !=
			   NULL) {
			char named[128];

			snprintf(named, sizeof(named), "%s: %s", r->name, why);
			cfg_error(err_fn, arg, path, lineno, "%s, got \"%s\"",
				  named, val);
			errors++;
		}
	}
	fclose(fp);
	cfg_apply_default(c, seen);
	return errors;
}

void
cfg_dump(const struct cfg *c, void (*out)(void *arg, const char *line),
	 void *arg)
{
	char line[4200];
	size_t i;

	for (i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++) {
		const struct cfg_row *r = &cfg_rows[i];
		const void *f = (const char *)c + r->off;

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
				 *(char *const *)f);
		else
			snprintf(line, sizeof(line), "# %s (unset)", r->name);
		out(arg, line);
	}
}
