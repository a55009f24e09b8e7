/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_tables.c - the text tables (keytable/): file: and refile: files
 * (kt_lines.c, kt_file.c, kt_refile.c), csl: lists (kt_csl.c), host
 * lists (hostlist.c) and a SigningTable (signing.c) over a fixed KeyTable,
 * each on hostile text.  Found, not found and error stay distinct; every
 * walk visits entries with a location; lookups of any key work.
 *
 * Input: one byte choosing the table kind (low 3 bits), then its text.
 */
#include "dkimsa.h"
#include "fuzz.h"
#include "hostlist.h"
#include "keytable.h"
#include "signing.h"

static const char *const tab_keys[] = {
    "example.com",
    "user@example.com",
    "*",
    "",
    "a.b.example.org",
    "EXAMPLE.COM",
    "#",
    "key with space",
    "x@",
};

/* KeyTable with two inline Ed25519 keys (the RFC 8463 test key). */
static const char tab_keytable[] =
    "csl:k1=example.com:ed:nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=,"
    "k2=%:ed:nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

static int
tab_value(void *arg, const char *value)
{
	FUZZ_CHECK(value != NULL);
	(*(int *)arg)++;
	return 0;
}

static int
tab_pair(void *arg, const char *key, const char *value, const char *where)
{
	FUZZ_CHECK(key != NULL && value != NULL && where != NULL);
	(*(int *)arg)++;
	return 0;
}

static void
tab_table(const char *spec, int flags)
{
	kt_table *t;
	char *err = NULL, *value, e[300];
	size_t i;
	int n = 0, rc;

	t = kt_open(spec, flags, &err);
	free(err);
	if (t == NULL)
		return;
	for (i = 0; i < sizeof(tab_keys) / sizeof(tab_keys[0]); i++) {
		rc = kt_get(t, tab_keys[i], &value, e, sizeof(e));
		FUZZ_CHECK(rc == KT_FOUND || rc == KT_NOTFOUND ||
			   rc == KT_ERROR);
		FUZZ_CHECK((rc == KT_FOUND) == (value != NULL));
		free(value);
		rc = kt_get_all(t, tab_keys[i], tab_value, &n, e, sizeof(e));
		FUZZ_CHECK(rc == KT_FOUND || rc == KT_NOTFOUND ||
			   rc == KT_ERROR);
	}
	(void)kt_walk(t, tab_pair, &n, e, sizeof(e));
	FUZZ_CHECK(kt_failed(t) || kt_spec(t, e, sizeof(e)) != NULL);
	kt_close(t);
}

static void
tab_hosts(const char *spec)
{
	static const char *const ips[] = {"192.0.2.1",	 "2001:db8::1",
					  "[192.0.2.1]", "::ffff:192.0.2.1",
					  "10.1.2.3",	 "not an address"};
	static const char *const names[] = {"mail.example.com", "[unknown]",
					    NULL, "x.y.example.org", ""};
	hostlist *h = NULL;
	char err[300];
	size_t i, j;

	if (hostlist_open(spec, &h, err, sizeof(err)) == 0) {
		for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++)
			for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
				(void)hostlist_match(h, ips[i], names[j]);
		(void)hostlist_count(h);
	}
	hostlist_free(h);
}

static void
tab_signing(const char *spec, int multiple)
{
	static const char *const senders[] = {"user@example.com",
					      "x@sub.example.com",
					      "example.com",
					      "@",
					      "",
					      "a@b@c",
					      "user@EXAMPLE.org"};
	struct signing_opts o;
	struct signing_match *m;
	signing *s = NULL;
	char err[600];
	size_t i, n;

	memset(&o, 0, sizeof(o));
	o.keytable = tab_keytable;
	o.signingtable = spec;
	o.multiple = multiple;
	o.require_safe = 0;
	o.uid = 0;
	if (signing_open(&o, &s, err, sizeof(err)) != 0)
		return;
	for (i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		m = NULL;
		n = 0;
		if (signing_lookup(s, senders[i], &m, &n, err, sizeof(err)) ==
		    KT_FOUND) {
			FUZZ_CHECK(n >= 1 && m != NULL);
			FUZZ_CHECK(m[0].domain && m[0].selector && m[0].key);
		}
		signing_matches_free(m, n);
	}
	signing_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	char *spec;
	size_t n;

	if (size < 1)
		return 0;
	if ((path = fuzz_file(data + 1, size - 1)) == NULL)
		return 0;
	n = strlen(path) + 16 + size;
	if ((spec = malloc(n)) == NULL)
		return 0;
	switch (data[0] & 7) {
	case 0:
	case 1:
		snprintf(spec, n, "file:%s", path);
		tab_table(spec, data[0] & 8 ? KT_CASE : 0);
		break;
	case 2:
		snprintf(spec, n, "refile:%s", path);
		tab_table(spec, 0);
		break;
	case 3: /* csl: inline, so no NUL and the spec is the text */
		if (memchr(data + 1, '\0', size - 1) == NULL) {
			snprintf(spec, n, "csl:%.*s", (int)(size - 1),
				 (const char *)data + 1);
			tab_table(spec, 0);
			tab_hosts(spec);
		}
		break;
	case 4:
	case 5:
		snprintf(spec, n, "file:%s", path);
		tab_hosts(spec);
		break;
	default:
		snprintf(spec, n, "%s:%s", data[0] & 1 ? "refile" : "file",
			 path);
		tab_signing(spec, (data[0] & 8) != 0);
		break;
	}
	free(spec);
	return 0;
}
