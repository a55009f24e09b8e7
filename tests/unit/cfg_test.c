/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfg_test.c - dkimsa.conf parsing (milter/cfg.c): defaults, every value
 * type, every kind of bad line reported as "PATH, line N: reason", and a
 * file with every key of OpenDKIM 2.11's opendkim.conf(5): each is used,
 * ignored with one warning, or refused with the reason.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cfg.h"
#include "t.h"

static char errors[16384], warnings[16384];

static void
collect(void *arg, const char *msg)
{
	(void)arg;
	strncat(errors, msg, sizeof(errors) - strlen(errors) - 2);
	strcat(errors, "\n");
}

static void
collect_warning(void *arg, const char *msg)
{
	(void)arg;
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static char dumped[16384];

static void
dump_line(void *arg, const char *line)
{
	(void)arg;
	strncat(dumped, line, sizeof(dumped) - strlen(dumped) - 2);
	strcat(dumped, "\n");
}

/* Writes text to a temp file, loads it over the defaults. */
static int
load(struct cfg *c, const char *text, char *path)
{
	int fd, n;

	strcpy(path, "/tmp/cfg_test.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	errors[0] = warnings[0] = '\0';
	cfg_defaults(c);
	n = cfg_load(c, path, collect, NULL);
	cfg_warnings(c, collect_warning, NULL);
	unlink(path);
	return n;
}

static const struct {
	const char *label, *text, *error; /* error: after "PATH, " */
} bad_rows[] = {
    {"an unknown key names file and line", "Mode sv\nSockett x\n",
     "line 2: unknown key \"Sockett\""},
    {"a key without a value is an error", "\n\nKeyTable\n",
     "line 3: KeyTable needs a value"},
    {"a bad boolean is an error", "SPF maybe\n",
     "line 1: SPF: expected yes or no, got \"maybe\""},
    {"a number out of range is an error", "SignatureTTL -1\n",
     "line 1: SignatureTTL: expected a number in range, got \"-1\""},
    {"a library option out of the library's range is an error",
     "MinimumKeyBits 20000\n",
     "line 1: MinimumKeyBits: 20000 is out of range (0-16384), got "
     "\"20000\""},
    {"a library option with trailing junk is an error", "DNSTimeout 5s\n",
     "line 1: DNSTimeout: \"5s\" is not a number of seconds"},
    {"an unknown syslog facility is an error", "SyslogFacility mial\n",
     "line 1: SyslogFacility: expected a syslog facility"},
    {"a refused OpenDKIM key says why and where to read on",
     "Mode v\nTrustSignaturesFrom example.com\n",
     "line 2: OpenDKIM's TrustSignaturesFrom is not supported: "
     "third-party signatures would be trusted from every domain; see "
     "dkimsa-migration(7)"},
    {"a refused-when-on OpenDKIM key set to yes is an error",
     "RequiredHeaders yes\n",
     "line 1: OpenDKIM's RequiredHeaders is not supported"},
    {"UnprotectedKey other than none is an error", "UnprotectedKey fail\n",
     "line 1: OpenDKIM's UnprotectedKey is not supported"},
    {"a SASL LDAPAuthMechanism is an error", "LDAPAuthMechanism GSSAPI\n",
     "line 1: OpenDKIM's LDAPAuthMechanism is not supported: SASL binds"},
    {"LDAPTimeout 0 is an error", "LDAPTimeout 0\n",
     "line 1: LDAPTimeout: expected a number in range, got \"0\""},
    {"an unknown action is an error", "On-SPFFail bounce\n",
     "line 1: On-SPFFail: expected accept, reject, tempfail, discard or "
     "quarantine, got \"bounce\""},
    {"a bad mode is an error", "Mode x\n",
     "line 1: Mode: expected s, v or sv, got \"x\""},
    {"a bad canonicalization is an error", "Canonicalization fancy\n",
     "line 1: Canonicalization: expected simple or relaxed"},
    {"a bad signature algorithm is an error", "SignatureAlgorithm rsa-sha1\n",
     "line 1: SignatureAlgorithm: expected rsa-sha256 or ed25519-sha256"},
};

/*
 * Every key of OpenDKIM 2.11's opendkim.conf(5), plus the older ones
 * still found in how-to configurations, with a value as such a
 * configuration has it, and what dkimsa does with it: 'u' used, 'w'
 * ignored with a warning, 'e' refused (an error).
 */
static const struct {
	const char *key, *value;
	char what;
} opendkim_keys[] = {
    {"AddAllSignatureResults", "yes", 'w'},
    {"ADSPAction", "reject", 'u'},
    {"ADSPNoSuchDomain", "no", 'w'},
    {"AllowSHA1Only", "no", 'w'},
    {"AlwaysAddARHeader", "yes", 'u'},
    {"AlwaysSignHeaders", "From", 'w'},
    {"AnonymousStatistics", "yes", 'w'},
    {"AuthservID", "mx.example.com", 'u'},
    {"AuthservIDWithJobID", "no", 'w'},
    {"AutoRestart", "yes", 'w'},
    {"AutoRestartCount", "10", 'w'},
    {"AutoRestartRate", "10/1h", 'w'},
    {"Background", "yes", 'u'},
    {"BaseDirectory", "/var/run/opendkim", 'w'},
    {"BodyLengthDB", "refile:/etc/opendkim/bodylength", 'w'},
    {"BodyLengths", "no", 'w'},
    {"BogusKey", "fail", 'w'},
    {"BogusPolicy", "ignore", 'w'},
    {"Canonicalization", "relaxed/simple", 'u'},
    {"CaptureUnknownErrors", "no", 'w'},
    {"ChangeRootDirectory", "/var/lib/opendkim", 'e'},
    {"ClockDrift", "300", 'w'},
    {"Diagnostics", "no", 'w'},
    {"DiagnosticDirectory", "/var/tmp", 'w'},
    {"DisableADSP", "yes", 'w'},
    {"DisableCryptoInit", "no", 'w'},
    {"DNSConnect", "no", 'w'},
    {"DNSTimeout", "5", 'u'},
    {"Domain", "csl:example.com", 'u'},
    {"DomainKeysCompat", "no", 'w'},
    {"DontSignMailTo", "csl:list@example.org", 'w'},
    {"EnableCoredumps", "no", 'w'},
    {"ExemptDomains", "csl:example.net", 'w'},
    {"ExternalIgnoreList", "refile:/etc/opendkim/TrustedHosts", 'u'},
    {"FinalPolicyScript", "/etc/opendkim/final.lua", 'e'},
    {"FixCRLF", "no", 'w'},
    {"IdentityHeader", "X-Identity", 'w'},
    {"IdentityHeaderRemove", "no", 'w'},
    {"IgnoreMalformedMail", "no", 'w'},
    {"Include", "(an empty file)", 'u'},
    {"InsecureKey", "none", 'w'},
    {"InsecurePolicy", "apply", 'w'},
    {"InternalHosts", "refile:/etc/opendkim/TrustedHosts", 'u'},
    {"KeepAuthResults", "no", 'w'},
    {"KeepTemporaryFiles", "no", 'w'},
    {"KeyFile", "/etc/opendkim/keys/default.private", 'u'},
    {"KeyTable", "refile:/etc/opendkim/KeyTable", 'u'},
    {"LDAPAuthMechanism", "simple", 'w'},
    {"LDAPAuthName", "opendkim", 'w'},
    {"LDAPAuthRealm", "EXAMPLE", 'w'},
    {"LDAPAuthUser", "opendkim", 'w'},
    {"LDAPBindPassword", "secret", 'u'},
    {"LDAPBindUser", "cn=opendkim", 'u'},
    {"LDAPDisableCache", "no", 'w'},
    {"LDAPKeepaliveIdle", "60", 'w'},
    {"LDAPKeepaliveInterval", "10", 'w'},
    {"LDAPKeepaliveProbes", "3", 'w'},
    {"LDAPSoftStart", "no", 'w'},
    {"LDAPTimeout", "5", 'u'},
    {"LDAPUseTLS", "no", 'u'},
    {"LocalADSP", "file:/etc/opendkim/adsp", 'e'},
    {"LogResults", "yes", 'w'},
    {"LogWhy", "yes", 'u'},
    {"MacroList", "daemon_name|ORIGINATING", 'u'},
    {"MaximumHeaders", "65536", 'w'},
    {"MaximumSignaturesToVerify", "3", 'u'},
    {"MaximumSignedBytes", "0", 'w'},
    {"MilterDebug", "0", 'w'},
    {"Minimum", "90%", 'e'},
    {"MinimumKeyBits", "1024", 'u'},
    {"Mode", "sv", 'u'},
    {"MTA", "csl:ORIGINATING", 'u'},
    {"MTACommand", "/usr/sbin/sendmail", 'w'},
    {"MultipleSignatures", "no", 'u'},
    {"MustBeSigned", "From,Subject", 'e'},
    {"Nameservers", "127.0.0.1", 'u'},
    {"NoHeaderB", "no", 'w'},
    {"OmitHeaders", "Received", 'w'},
    {"On-BadSignature", "accept", 'u'},
    {"On-Default", "accept", 'u'},
    {"On-DNSError", "tempfail", 'u'},
    {"On-InternalError", "tempfail", 'u'},
    {"On-KeyNotFound", "accept", 'u'},
    {"On-NoSignature", "accept", 'u'},
    {"On-PolicyError", "accept", 'w'},
    {"On-Security", "tempfail", 'u'},
    {"On-SignatureError", "accept", 'u'},
    {"OversignHeaders", "From", 'u'},
    {"PeerList", "csl:192.0.2.1", 'u'},
    {"PidFile", "/run/opendkim/opendkim.pid", 'u'},
    {"POPDBFile", "/etc/mail/popip.db", 'w'},
    {"Quarantine", "no", 'w'},
    {"QueryCache", "no", 'w'},
    {"RedirectFailuresTo", "postmaster@example.com", 'e'},
    {"RemoveARAll", "no", 'w'},
    {"RemoveARFrom", "csl:mx2.example.com", 'e'},
    {"RemoveOldSignatures", "yes", 'u'},
    {"ReplaceHeaders", "csl:From", 'w'},
    {"ReplaceRules", "/etc/opendkim/replace", 'w'},
    {"ReportAddress", "postmaster@example.com", 'w'},
    {"ReportBccAddress", "dkim@example.com", 'w'},
    {"RequestReports", "no", 'w'},
    {"RequiredHeaders", "no", 'w'},
    {"RequireSafeKeys", "yes", 'u'},
    {"ResignAll", "no", 'w'},
    {"ResignMailTo", "csl:list@example.com", 'w'},
    {"ResolverConfiguration", "/etc/unbound/opendkim.conf", 'u'},
    {"ResolverTracing", "no", 'w'},
    {"ScreenPolicyScript", "/etc/opendkim/screen.lua", 'e'},
    {"SelectCanonicalizationHeader", "X-Canonicalization", 'w'},
    {"Selector", "default", 'u'},
    {"SenderHeaders", "From", 'u'},
    {"SenderMacro", "{mail_addr}", 'w'},
    {"SendADSPReports", "no", 'w'},
    {"SendReports", "no", 'w'},
    {"SetupPolicyScript", "/etc/opendkim/setup.lua", 'e'},
    {"SignatureAlgorithm", "rsa-sha256", 'u'},
    {"SignatureTTL", "604800", 'u'},
    {"SignHeaders", "From,To,Subject,Date", 'u'},
    {"SigningTable", "refile:/etc/opendkim/SigningTable", 'u'},
    {"SMTPURI", "smtp://localhost", 'w'},
    {"Socket", "local:/run/opendkim/opendkim.sock", 'u'},
    {"SoftStart", "no", 'w'},
    {"SoftwareHeader", "yes", 'w'},
    {"Statistics", "/var/db/opendkim/stats.dat", 'w'},
    {"StatisticsName", "mx", 'w'},
    {"StatisticsPolicyScript", "/etc/opendkim/stats.lua", 'w'},
    {"StatisticsPrefix", "x", 'w'},
    {"StrictHeaders", "no", 'w'},
    {"StrictTestMode", "no", 'w'},
    {"SubDomains", "no", 'u'},
    {"Syslog", "yes", 'u'},
    {"SyslogFacility", "mail", 'u'},
    {"SyslogName", "opendkim", 'u'},
    {"SyslogSuccess", "yes", 'u'},
    {"TemporaryDirectory", "/var/tmp", 'w'},
    {"TestDNSData", "csl:x=y", 'w'},
    {"TestPublicKeys", "/tmp/keys", 'w'},
    {"TrustAnchorFile", "/usr/share/dns/root.key", 'u'},
    {"TrustSignaturesFrom", "csl:example.com", 'e'},
    {"UMask", "002", 'u'},
    {"UnprotectedKey", "none", 'w'},
    {"UnprotectedPolicy", "apply", 'w'},
    {"UserID", "opendkim:opendkim", 'u'},
    {"VBR-Certifiers", "vbr.example.net", 'w'},
    {"VBR-PurgeFields", "no", 'w'},
    {"VBR-TrustedCertifiers", "vbr.example.net", 'w'},
    {"VBR-TrustedCertifiersOnly", "no", 'w'},
    {"VBR-Type", "all", 'w'},
    {"WeakSyntaxChecks", "no", 'w'},
    {"X-Header", "no", 'w'},
};

/* Include: a file that sets a key, one with an error, one that loops. */
static void
includes(void)
{
	char inc[64] = "/tmp/cfg_test_inc.XXXXXX", path[64], text[300];
	char want[300], where[300];
	struct cfg c;
	FILE *fp;
	int fd = mkstemp(inc), n;

	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL)
		return;
	fputs("# included\nSelector sel\nSPF maybe\n", fp);
	fclose(fp);
	snprintf(text, sizeof(text), "Mode s\nInclude %s\nDomain x\n", inc);
	n = load(&c, text, path);
	snprintf(want, sizeof(want), "%s, line 3: SPF: expected yes or no",
		 inc);
	cfg_where(&c, "Selector", where, sizeof(where));
	t_ok(n == 1 && strstr(errors, want) != NULL && c.selector &&
		 strcmp(c.selector, "sel") == 0 && strcmp(c.domain, "x") == 0,
	     "Include reads the file there; its errors name its own lines",
	     "%d errors: %s", n, errors);
	snprintf(want, sizeof(want), "%s, line 2", inc);
	t_streq(where, want, "cfg_where names the included file's line");
	cfg_free(&c);
	n = load(&c, "Include relative.conf\n", path);
	t_ok(n == 1 && strstr(errors, "line 1: Include relative.conf: the path "
				      "must be absolute"),
	     "Include needs an absolute path", "%d errors: %s", n, errors);
	cfg_free(&c);
	n = load(&c, "\nInclude /nonexistent/x.conf\n", path);
	t_ok(n == 1 && strstr(errors, "line 2: Include /nonexistent/x.conf: "
				      "cannot open: No such file"),
	     "an Include that cannot be opened names the including line",
	     "%d errors: %s", n, errors);
	cfg_free(&c);
	fp = fopen(inc, "w");
	if (fp != NULL) {
		fprintf(fp, "Include %s\n", inc);
		fclose(fp);
	}
	snprintf(text, sizeof(text), "Include %s\n", inc);
	n = load(&c, text, path);
	t_ok(n == 1 && strstr(errors, "more than 5 levels of Include"),
	     "an Include loop stops after 5 levels", "%d errors: %s", n,
	     errors);
	cfg_free(&c);
	n = load(&c, "Include /dev/zero\n", path);
	t_ok(n == 1 && strstr(errors, "Include /dev/zero: not a regular file"),
	     "Include reads only regular files (a device could be endless)",
	     "%d errors: %s", n, errors);
	cfg_free(&c);
	unlink(inc);
}

/* The line of text (in buf) that contains at, or "". */
static void
line_of(const char *text, const char *at, char *buf, size_t len)
{
	const char *p = strstr(text, at), *nl;

	buf[0] = '\0';
	if (p == NULL)
		return;
	nl = strchr(p, '\n');
	snprintf(buf, len, "%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
}

/*
 * The whole OpenDKIM list in one file: each key is used, warned about on
 * its own line, or refused on its own line, as the table says.
 */
static void
every_opendkim_key(void)
{
	size_t i, len = 0,
		  nkeys = sizeof(opendkim_keys) / sizeof(opendkim_keys[0]);
	char *text = malloc(nkeys * 128), path[64], at[64], label[200];
	char empty[64] = "/tmp/cfg_test_empty.XXXXXX";
	struct cfg c;
	int n, want_errors = 0, fd = mkstemp(empty);

	if (text == NULL || fd < 0)
		return;
	close(fd);
	for (i = 0; i < nkeys; i++) {
		if (strcmp(opendkim_keys[i].key, "Include") == 0) {
			len +=
			    (size_t)sprintf(text + len, "Include %s\n", empty);
			continue;
		}
		len +=
		    (size_t)sprintf(text + len, "%s %s\n", opendkim_keys[i].key,
				    opendkim_keys[i].value);
		want_errors += opendkim_keys[i].what == 'e';
	}
	n = load(&c, text, path);
	t_ok(n == want_errors,
	     "a file with every OpenDKIM key has an error for each refused key "
	     "only",
	     "%d errors, want %d:\n%s", n, want_errors, errors);
	for (i = 0; i < nkeys; i++) {
		char in_err[600], in_warn[600];
		char what = opendkim_keys[i].what;

		snprintf(at, sizeof(at), "line %zu: ", i + 1);
		line_of(errors, at, in_err, sizeof(in_err));
		line_of(warnings, at, in_warn, sizeof(in_warn));
		snprintf(label, sizeof(label), "OpenDKIM's %s is %s",
			 opendkim_keys[i].key,
			 what == 'u'   ? "used"
			 : what == 'w' ? "ignored with a warning"
				       : "refused");
		t_ok((what == 'u' && !*in_err && !*in_warn) ||
			 (what == 'w' && !*in_err &&
			  strstr(in_warn, opendkim_keys[i].key) &&
			  strstr(in_warn, "dkimsa-migration(7)")) ||
			 (what == 'e' && !*in_warn &&
			  strstr(in_err, opendkim_keys[i].key) &&
			  strstr(in_err, "dkimsa-migration(7)")),
		     label, "error: %.200s warning: %.200s",
		     *in_err ? in_err : "-", *in_warn ? in_warn : "-");
	}
	cfg_free(&c);
	free(text);
	unlink(empty);
}

int
main(void)
{
	char path[64], want[512];
	struct cfg c;
	size_t i;
	int n;

	n = load(&c, "", path);
	t_ok(n == 0 && strcmp(c.mode, "sv") == 0 &&
		 strcmp(c.socket, "inet:8891@127.0.0.1") == 0 &&
		 c.on_dns_error == CFG_TEMPFAIL &&
		 c.on_bad_signature == CFG_ACCEPT &&
		 c.minimum_key_bits == NULL && c.maximum_signatures == NULL &&
		 c.dns_timeout == NULL && c.background && !c.subdomains &&
		 c.signature_ttl == 0 && !c.remove_old_signatures &&
		 strcmp(c.syslog_facility, "mail") == 0 &&
		 warnings[0] == '\0' && c.require_safe_keys == 1 && c.spf &&
		 c.adsp && strcmp(c.internal_hosts, "csl:127.0.0.1,::1") == 0,
	     "an empty file gives OpenDKIM's defaults", "%d errors", n);
	cfg_free(&c);
	n = load(&c,
		 "# comment\n  mode   s  # trailing comment\n"
		 "ON-DNSERROR Reject\nRequireSafeKeys No\nDNSTimeout 3\n"
		 "Canonicalization simple/relaxed\n",
		 path);
	t_ok(n == 0 && strcmp(c.mode, "s") == 0 &&
		 c.on_dns_error == CFG_REJECT && !c.require_safe_keys &&
		 strcmp(c.dns_timeout, "3") == 0 &&
		 strcmp(c.canonicalization, "simple/relaxed") == 0,
	     "keys and words are case-insensitive, comments are skipped",
	     "%d errors: %s", n, errors);
	cfg_free(&c);
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		n = load(&c, bad_rows[i].text, path);
		snprintf(want, sizeof(want), "%s, %s", path, bad_rows[i].error);
		t_ok(n == 1 && strstr(errors, want) != NULL, bad_rows[i].label,
		     "%d errors: %s", n, errors);
		cfg_free(&c);
	}
	n = load(&c,
		 "SubDomains yes\nSignatureTTL 86400\nRemoveOldSignatures yes\n"
		 "SyslogFacility LOCAL3\nSyslogName dk2\nBackground no\n",
		 path);
	t_ok(n == 0 && c.subdomains && c.signature_ttl == 86400 &&
		 c.remove_old_signatures &&
		 strcmp(c.syslog_facility, "LOCAL3") == 0 &&
		 strcmp(c.syslog_name, "dk2") == 0 && !c.background,
	     "OpenDKIM's SubDomains, SignatureTTL, RemoveOldSignatures, "
	     "SyslogFacility, SyslogName and Background are read",
	     "%d errors: %s", n, errors);
	cfg_free(&c);
	n = load(&c,
		 "LDAPBindUser cn=dkimsa,dc=example\nLDAPBindPassword S3cret\n"
		 "LDAPUseTLS yes\nLDAPTimeout 9\n",
		 path);
	dumped[0] = '\0';
	cfg_dump(&c, dump_line, NULL);
	t_ok(n == 0 && strcmp(c.ldap_bind_user, "cn=dkimsa,dc=example") == 0 &&
		 strcmp(c.ldap_bind_password, "S3cret") == 0 &&
		 c.ldap_use_tls && c.ldap_timeout == 9,
	     "LDAPBindUser, LDAPBindPassword, LDAPUseTLS and LDAPTimeout are "
	     "read",
	     "%d errors: %s", n, errors);
	t_ok(strstr(dumped, "LDAPBindPassword *\n") != NULL &&
		 strstr(dumped, "S3cret") == NULL,
	     "cfg_dump does not print LDAPBindPassword", "%.300s", dumped);
	cfg_free(&c);
	n = load(&c, "On-Default reject\nADSPAction discard\n", path);
	t_ok(n == 0 && c.on_adsp_discard == CFG_DISCARD &&
		 c.on_bad_signature == CFG_REJECT,
	     "ADSPAction sets On-ADSPDiscard, and On-Default leaves it alone",
	     "%d errors: %s; adsp %d", n, errors, c.on_adsp_discard);
	cfg_free(&c);
	n = load(&c, "Mode v\nResolverConfiguration /etc/unbound/x.conf\n",
		 path);
	t_ok(n == 0 && c.unbound_config_file &&
		 strcmp(c.unbound_config_file, "/etc/unbound/x.conf") == 0 &&
		 strcmp(cfg_where(&c, "UnboundConfigFile", want, sizeof(want)) +
			    strlen(path),
			", line 2") == 0,
	     "ResolverConfiguration is UnboundConfigFile, with its line",
	     "%d errors: %s; %s", n, errors, want);
	cfg_free(&c);
	n = load(&c, "AutoRestart yes\n\nAutoRestartRate 10/1h\n", path);
	snprintf(want, sizeof(want),
		 "%s, line 1: warning: OpenDKIM's AutoRestart is ignored (use "
		 "systemd's Restart=); see dkimsa-migration(7)\n%s, line 3: ",
		 path, path);
	t_ok(n == 0 && strncmp(warnings, want, strlen(want)) == 0 &&
		 strchr(strchr(warnings, '\n') + 1, '\n')[1] == '\0',
	     "an ignored OpenDKIM key gives one warning naming "
	     "dkimsa-migration(7)",
	     "%d errors: %s; warnings: %s", n, errors, warnings);
	cfg_free(&c);
	n = load(&c, "RequiredHeaders no\nUnprotectedKey none\n", path);
	t_ok(n == 0 && strstr(warnings, "line 1: warning") &&
		 strstr(warnings, "line 2: warning"),
	     "a refused OpenDKIM key at its harmless value only warns",
	     "%d errors: %s; warnings: %s", n, errors, warnings);
	cfg_free(&c);
	n = load(&c, "Mode v\n\nInternalHosts 10.0.0.0/8\n", path);
	cfg_where(&c, "InternalHosts", want, sizeof(want));
	t_ok(n == 0 && strncmp(want, path, strlen(path)) == 0 &&
		 strcmp(want + strlen(path), ", line 3") == 0,
	     "cfg_where names the line that set a key", "%s", want);
	cfg_where(&c, "Socket", want, sizeof(want));
	t_streq(want, path, "cfg_where names only the file for a default");
	cfg_free(&c);
	{
		static const struct {
			const char *label, *value, *hint;
		} hints[] = {
		    {"a bare list is meant as csl:",
		     "192.168.0.0/16, 10.0.0.0/8", "csl:a,b"},
		    {"a bare relative name must be absolute or csl:", "hosts",
		     "must be absolute"},
		    {"a typed value needs no hint", "csl:10.0.0.0/8", NULL},
		    {"an absolute file name needs no hint", "/etc/hosts.dkim",
		     NULL},
		};

		for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
			const char *h =
			    cfg_hint("InternalHosts", hints[i].value);

			t_ok(hints[i].hint ? h && strstr(h, hints[i].hint)
					   : h == NULL,
			     hints[i].label, "got %s", h ? h : "(null)");
		}
	}
	every_opendkim_key();
	includes();
	n = load(&c, "Sockett x\nMode q\nSPF perhaps\nMode sv\n", path);
	t_ok(n == 3 && strstr(errors, "line 1") && strstr(errors, "line 2") &&
		 strstr(errors, "line 3"),
	     "every bad line is reported, not just the first", "%d: %s", n,
	     errors);
	cfg_free(&c);
	errors[0] = '\0';
	cfg_defaults(&c);
	n = cfg_load(&c, "/nonexistent/dkimsa.conf", collect, NULL);
	t_ok(n == 1 && strstr(errors, "/nonexistent/dkimsa.conf: cannot "
				      "open: No such file"),
	     "an unreadable file is an error naming it", "%s", errors);
	cfg_free(&c);
	return t_exit();
}
