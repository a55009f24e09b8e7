/*
 * cfg_test.c - dkimsa.conf parsing (milter/cfg.c): defaults, every value
 * type, and every kind of bad line reported as "PATH, line N: reason".
 */
#include <stdlib.h>
#include <unistd.h>

#include "cfg.h"
#include "t.h"

static char errors[4096];

static void
collect(void *arg, const char *msg)
{
	(void)arg;
	strncat(errors, msg, sizeof(errors) - strlen(errors) - 2);
	strcat(errors, "\n");
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
	errors[0] = '\0';
	cfg_defaults(c);
	n = cfg_load(c, path, collect, NULL);
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
    {"a number out of range is an error", "MinimumKeyBits 100\n",
     "line 1: MinimumKeyBits: expected a number in range, got \"100\""},
    {"a number with trailing junk is an error", "DNSTimeout 5s\n",
     "line 1: DNSTimeout: expected a number in range, got \"5s\""},
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
		 c.minimum_key_bits == 1024 && c.maximum_signatures == 10 &&
		 c.require_safe_keys == 1 && c.spf && c.adsp &&
		 strcmp(c.internal_hosts, "csl:127.0.0.1,::1") == 0,
	     "an empty file gives OpenDKIM's defaults", "%d errors", n);
	cfg_free(&c);
	n = load(&c,
		 "# comment\n  mode   s  # trailing comment\n"
		 "ON-DNSERROR Reject\nRequireSafeKeys No\nDNSTimeout 3\n"
		 "Canonicalization simple/relaxed\n",
		 path);
	t_ok(n == 0 && strcmp(c.mode, "s") == 0 &&
		 c.on_dns_error == CFG_REJECT && !c.require_safe_keys &&
		 c.dns_timeout == 3 &&
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
