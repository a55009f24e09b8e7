/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcaar_test.c - which ARC-Authentication-Results values claim our
 * authserv-id (milter/arcaar.c): one row per rule of the instance tag
 * (RFC 8617 4.1.1) and of the authserv-id that follows it, and the
 * instance read from the same tag.
 */
#include <string.h>

#include "arcaar.h"
#include "t.h"

#define ID "mx.example.test"

static const struct {
	const char *label, *value;
	int want;
} arcaar_rows[] = {
    {"i=1 then our authserv-id claims us", " i=1; mx.example.test; none", 1},
    {"two-digit instance", " i=50; mx.example.test; arc=pass", 1},
    {"folding white space around every token",
     "\r\n\ti \t=\r\n 7 ;\r\n\tmx.example.test;\r\n\tdkim=pass", 1},
    {"upper-case I and authserv-id", " I=2; MX.EXAMPLE.TEST; none", 1},
    {"a comment before the authserv-id", " i=1; (c) mx.example.test; none", 1},
    {"another authserv-id does not", " i=1; relay.example.org; none", 0},
    {"a longer name ending in ours does not",
     " i=1; evil-mx.example.test; none", 0},
    {"a three-digit instance is not an instance tag",
     " i=100; mx.example.test; none", 0},
    {"no digits", " i=; mx.example.test; none", 0},
    {"a letter as instance", " i=a; mx.example.test; none", 0},
    {"no semicolon after the instance", " i=1 mx.example.test; none", 0},
    {"no instance tag at all", " mx.example.test; none", 0},
    {"a tag other than i", " j=1; mx.example.test; none", 0},
    {"empty value", "", 0},
};

static const struct {
	const char *label, *value;
	int want;
} instance_rows[] = {
    {"instance of i=1", " i=1; mx.example.test; none", 1},
    {"instance of a two-digit i=", " i=50; x; none", 50},
    {"instance of i=99, the largest two digits", " i=99; x; none", 99},
    {"instance with folding white space", "\r\n\tI \t=\r\n 7 ;x", 7},
    {"a leading zero is read as the number", " i=07; x; none", 7},
    {"no instance for three digits", " i=100; x; none", -1},
    {"no instance without a semicolon", " i=3 x; none", -1},
    {"no instance for a letter", " i=a; x; none", -1},
    {"no instance for an empty value", "", -1},
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(arcaar_rows) / sizeof(arcaar_rows[0]); i++)
		t_ok(arcaar_claims(arcaar_rows[i].value, ID) ==
			 arcaar_rows[i].want,
		     arcaar_rows[i].label, "got %d for \"%s\"",
		     arcaar_claims(arcaar_rows[i].value, ID),
		     arcaar_rows[i].value);
	for (i = 0; i < sizeof(instance_rows) / sizeof(instance_rows[0]); i++)
		t_ok(arcaar_instance(instance_rows[i].value) ==
			 instance_rows[i].want,
		     instance_rows[i].label, "got %d for \"%s\"",
		     arcaar_instance(instance_rows[i].value),
		     instance_rows[i].value);
	t_ok(arcaar_instance(NULL) == -1, "NULL value has no instance",
	     "got an instance");
	t_ok(arcaar_claims(NULL, ID) == 0 &&
		 arcaar_claims(" i=1; mx.example.test", NULL) == 0,
	     "NULL value or authserv-id claims nothing", "a NULL claimed");
	return t_exit();
}
