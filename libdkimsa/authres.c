/*
 * authres.c - Authentication-Results (RFC 8601): read the authserv-id of
 * an existing field (section 2.2, to remove forgeries of ours, section
 * 5), and format the dkim method's result (section 2.7.1).
 *
 *   authres-header-field = "Authentication-Results:" authres-payload
 *   authres-payload = [CFWS] authserv-id [ CFWS authres-version ]
 *                     ( no-result / 1*resinfo ) [CFWS] CRLF
 *   authserv-id = value   (RFC 2045: token / quoted-string)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dkimsa.h"

/* Skips CFWS: white space, line ends and (nested) comments. */
static size_t
authres_skip_cfws(const char *s, size_t len, size_t pos)
{
	int depth = 0;

	for (; pos < len; pos++) {
		char c = s[pos];

		if (depth > 0) {
			if (c == '\\' && pos + 1 < len)
				pos++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
		} else if (c == '(') {
			depth = 1;
		} else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			break;
		}
	}
	return pos;
}

/* RFC 2045 tspecials end a token. */
static int
authres_is_token_char(int c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Copies the authserv-id of an A-R field value; 0, or -1 if malformed. */
static int
authres_servid(const char *v, size_t len, buf *out)
{
	size_t pos = authres_skip_cfws(v, len, 0);

	if (pos < len && v[pos] == '"') {
		for (pos++; pos < len && v[pos] != '"'; pos++) {
			if (v[pos] == '\\' && pos + 1 < len)
				pos++;
			buf_addc(out, v[pos]);
		}
		/* An empty authserv-id ("") is malformed: never ours. */
		return pos < len && out->len > 0 ? 0 : -1;
	}
	/* Dots are allowed in the host-name form many write unquoted. */
	while (pos < len && (authres_is_token_char((unsigned char)v[pos]) ||
			     v[pos] == '@' || v[pos] == '/'))
		buf_addc(out, v[pos++]);
	return out->len > 0 ? 0 : -1;
}

int
dkimsa_ar_is_ours(const char *value, size_t len, const char *authserv_id)
{
	buf id;
	int ours;

	buf_init(&id);
	if (authres_servid(value, len, &id) != 0 || id.err || id.data == NULL) {
		buf_free(&id);
		return 0;
	}
	ours = strcasecmp(id.data, authserv_id) == 0;
	buf_free(&id);
	return ours;
}

/* A comment with "(", ")" and "\" escaped. */
static void
authres_comment(buf *b, const char *text)
{
	buf_adds(b, " (");
	for (; *text; text++) {
		if (*text == '(' || *text == ')' || *text == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *text);
	}
	buf_addc(b, ')');
}

/* A value as a token when it can be one, else as a quoted-string. */
static void
authres_value(buf *b, const char *v)
{
	const char *p;

	for (p = v; *p; p++)
		if (!authres_is_token_char((unsigned char)*p) && *p != '@')
			break;
	if (*p == '\0' && *v != '\0') {
		buf_adds(b, v);
		return;
	}
	buf_addc(b, '"');
	for (p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

int
dkimsa_ar_format_dkim(const dkimsa_sigresult *r, char **out)
{
	const char *alg = dkimsa_alg_name(r->alg);
	char note[400], b8[9];
	buf b;

	buf_init(&b);
	buf_printf(&b, "dkim=%s", dkimsa_res_name(r->result));
	note[0] = '\0';
	if (r->key_bits > 0 && r->alg != DKIMSA_ALG_ED25519_SHA256)
		snprintf(note, sizeof(note), "%u-bit key; ", r->key_bits);
	else if (r->key_bits > 0)
		snprintf(note, sizeof(note), "ed25519 key; ");
	if (r->key_secure == 1)
		strcat(note, "secure; ");
	else if (r->key_secure == 0)
		strcat(note, "unprotected key; ");
	if (r->result == DKIMSA_RES_PASS && note[0] != '\0')
		note[strlen(note) - 2] = '\0'; /* pass: the key notes only */
	else
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "%s",
			 r->reason);
	authres_comment(&b, note);
	if (*r->domain) {
		buf_adds(&b, " header.d=");
		authres_value(&b, r->domain);
	}
	if (*r->auid) {
		buf_adds(&b, " header.i=");
		authres_value(&b, r->auid);
	}
	if (*r->selector) {
		buf_adds(&b, " header.s=");
		authres_value(&b, r->selector);
	}
	if (alg != NULL)
		buf_printf(&b, " header.a=%s", alg);
	if (*r->b) {
		snprintf(b8, sizeof(b8), "%s", r->b);
		buf_adds(&b, " header.b=");
		authres_value(&b, b8);
	}
	*out = buf_steal(&b);
	return *out ? 0 : DKIMSA_ENOMEM;
}
