/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.c - Authentication-Results (RFC 8601): read the authserv-id of
 * an existing field (section 2.2, to remove forgeries of ours, section
 * 5), and the one formatter of every A-R we write (and of the values and
 * comment of Received-SPF, spf_hdr.c).
 *
 *   authres-payload = [CFWS] authserv-id [ CFWS authres-version ]
 *                     ( no-result / 1*resinfo ) [CFWS] CRLF
 *   resinfo  = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
 *   propspec = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *   pvalue   = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]
 *   value    = token / quoted-string      (RFC 2045 section 5.1)
 *
 * What a sender wrote reaches the field only through authres_value() and
 * authres_ctext(): a value is written as is when it is a plain token or
 * address, else as a quoted-string; one that holds a control character
 * (CR, LF, TAB, NUL, ...), a byte above 0x7e, or more than AUTHRES_VALUE_MAX
 * bytes is left out with a comment saying so.  The field stays 7-bit
 * ASCII (an RFC 6532 address is not shown).  In a comment ( ) \ are
 * escaped, line ends and TAB become spaces, other controls and 8-bit
 * bytes "?", and the text is cut at AUTHRES_COMMENT_MAX bytes.  So no
 * sender byte can end a resinfo or start a line, and the whole field
 * stays under DKIMSA_AR_MAX bytes (libmilter sends at most 64 KiB).
 *
 * Memory: a dkimsa_ar owns its buffers; dkimsa_ar_finish() hands the text
 * to the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authres.h"
#include "buf.h"
#include "dkimsa.h"

/* A line is folded before an item that would take it past this width;
 * with the caps above no line reaches RFC 5322's 998. */
#define AUTHRES_FOLD_WIDTH 400

/* ---- reading: is an A-R ours? ---- */

/* RFC 2045 tspecials end a token. */
static int
authres_token_char(int c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/*
 * Copies the authserv-id of an A-R field value into out; returns the
 * position after it, or (size_t)-1 if malformed.  Any line end counts as
 * white space here: a forgery is removed even when it is folded badly.
 */
size_t
authres_servid(const char *v, size_t len, buf *out)
{
	buf flat;
	size_t pos, i, end = (size_t)-1;

	buf_init(&flat);
	for (i = 0; i < len; i++)
		buf_addc(&flat, v[i] == '\r' || v[i] == '\n' ? ' ' : v[i]);
	if (flat.err || flat.data == NULL) {
		buf_free(&flat);
		return (size_t)-1;
	}
	v = flat.data;
	pos = dkimsa_rfc5322_cfws(v, len, 0);
	if (pos == (size_t)-1 || pos == len) {
		end = (size_t)-1;
	} else if (v[pos] == '"') {
		for (pos++; pos < len && v[pos] != '"'; pos++) {
			if (v[pos] == '\\' && pos + 1 < len)
				pos++;
			buf_addc(out, v[pos]);
		}
		/* An empty authserv-id ("") is malformed: never ours. */
		end = pos < len && out->len > 0 ? pos + 1 : (size_t)-1;
	} else {
		/* Dots are allowed in the host-name form many write
		 * unquoted. */
		while (pos < len &&
		       (authres_token_char((unsigned char)v[pos]) ||
			v[pos] == '@' || v[pos] == '/'))
			buf_addc(out, v[pos++]);
		end = out->len > 0 ? pos : (size_t)-1;
	}
	buf_free(&flat);
	return end;
}

int
dkimsa_ar_is_ours(const char *value, size_t len, const char *authserv_id)
{
	buf id;
	int ours;

	buf_init(&id);
	if (authres_servid(value, len, &id) == (size_t)-1 || id.err ||
	    id.data == NULL) {
		buf_free(&id);
		return 0;
	}
	ours = strcasecmp(id.data, authserv_id) == 0;
	buf_free(&id);
	return ours;
}

/* ---- writing: the one formatter ---- */

/* Characters that are both RFC 2045 token and RFC 5322 atext. */
static int
authres_safe_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-^_`{|}~", c) != NULL);
}

/* dot-atom of safe characters; empty allowed when empty_ok. */
static int
authres_dot_atom(const char *s, size_t len, int empty_ok)
{
	size_t i;

	if (len == 0)
		return empty_ok;
	if (s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '.' ? s[i + 1] == '.'
				: !authres_safe_char((unsigned char)s[i]))
			return 0;
	return 1;
}

/* domain-name (RFC 8601 2.2, RFC 6376 3.5): labels of letters, digits,
 * "-" and "_" between dots. */
static int
authres_domain_name(const char *s, size_t len)
{
	size_t i, label = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && label == 0)
			return 0;
		if (c == '.')
			label = 0;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '-' || c == '_')
			label++;
		else
			return 0;
	}
	return label > 0;
}

/* dot-atom-text of RFC 5322 atext (ASCII), a local-part as it is. */
static int
authres_atext_dot_atom(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '.' ? s[i + 1] == '.'
				: !authres_safe_char((unsigned char)s[i]) &&
				      strchr("/=?", s[i]) == NULL)
			return 0;
	return 1;
}

/* A whole quoted-string with well-formed quoted-pairs. */
static int
authres_quoted_string(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return 0;
	for (i = 1; i < len - 1; i++)
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return 0;
	return i == len - 1;
}

/* quoted-string: " and \ escaped */
static void
authres_quote(buf *b, const char *v, size_t len)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		if (v[i] == '"' || v[i] == '\\')
			buf_addc(b, '\\');
		buf_addc(b, v[i]);
	}
	buf_addc(b, '"');
}
int
authres_value_ok(const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		unsigned char c = (unsigned char)v[i];

		if (i >= AUTHRES_VALUE_MAX || c < 0x20 || c > 0x7e)
			return 0;
	}
	return 1;
}

int
authres_value(buf *b, const char *v, int form)
{
	const char *at = strrchr(v, '@');
	size_t len = strlen(v), llen;

	if (!authres_value_ok(v))
		return -1;
	llen = at ? (size_t)(at - v) : 0;
	if (form == AUTHRES_PVALUE && at != NULL &&
	    authres_domain_name(at + 1, len - llen - 1) &&
	    (llen == 0 || authres_atext_dot_atom(v, llen) ||
	     authres_quoted_string(v, llen))) {
		/* [ local-part ] "@" domain-name, as it is */
		buf_add(b, v, len);
		return 0;
	}
	if (authres_dot_atom(v, len, 0))
		buf_add(b, v, len);
	else
		authres_quote(b, v, len);
	return 0;
}

void
authres_ctext(buf *b, const char *text)
{
	size_t i;

	for (i = 0; i < AUTHRES_COMMENT_MAX && text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c > 0x7e)
			c = '?';
		else if (c == '(' || c == ')' || c == '\\')
			buf_addc(b, '\\');
		buf_addc(b, c);
	}
	if (text[i] != '\0')
		buf_adds(b, "...");
}

/* Why a value was left out, for the comment in its place. */
static const char *
authres_why(const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] > 0x7e)
			return "8-bit characters";
		else if ((unsigned char)v[i] < 0x20)
			return "control characters";
	return "too long";
}

struct dkimsa_ar {
	buf out;     /* the field value so far */
	buf ri;	     /* the resinfo being built */
	size_t line; /* where the current line of ri starts */
	int open;    /* a resinfo is in ri */
	int nres;    /* resinfos in out */
	int dropped; /* resinfos left out: the field would be too long */
};

int
dkimsa_ar_new(const char *authserv_id, dkimsa_ar **out)
{
	dkimsa_ar *ar = calloc(1, sizeof(*ar));

	*out = NULL;
	if (ar == NULL)
		return DKIMSA_ENOMEM;
	buf_init(&ar->out);
	buf_init(&ar->ri);
	if (authserv_id != NULL) {
		buf_addc(&ar->out, ' ');
		if (authres_value(&ar->out, authserv_id, AUTHRES_TOKEN) != 0) {
			dkimsa_ar_free(ar);
			return DKIMSA_EINVAL;
		}
	}
	*out = ar;
	return 0;
}

void
dkimsa_ar_free(dkimsa_ar *ar)
{
	if (ar == NULL)
		return;
	buf_free(&ar->out);
	buf_free(&ar->ri);
	free(ar);
}

/* Adds one item to the resinfo, folding first when the line is full. */
static void
authres_item(dkimsa_ar *ar, const char *item, size_t len)
{
	if (ar->ri.len - ar->line + 1 + len > AUTHRES_FOLD_WIDTH) {
		buf_adds(&ar->ri, "\r\n\t");
		ar->line = ar->ri.len - 1;
	} else {
		buf_addc(&ar->ri, ' ');
	}
	buf_add(&ar->ri, item, len);
}

/* Moves the finished resinfo into the field, if it fits. */
static void
authres_close(dkimsa_ar *ar)
{
	if (!ar->open)
		return;
	ar->open = 0;
	if (ar->ri.err) {
		ar->out.err = ar->ri.err;
	} else if (ar->out.len + ar->ri.len + 64 > DKIMSA_AR_MAX) {
		ar->dropped++;
	} else {
		if (ar->out.len > 0)
			buf_adds(&ar->out, ";\r\n\t");
		buf_add(&ar->out, ar->ri.data, ar->ri.len);
		ar->nres++;
	}
	buf_reset(&ar->ri);
}

int
dkimsa_ar_method(dkimsa_ar *ar, const char *method, int result)
{
	const char *res = dkimsa_res_name(result);

	if (!authres_dot_atom(method, strlen(method), 0) || res == NULL)
		return DKIMSA_EINVAL;
	authres_close(ar);
	buf_printf(&ar->ri, "%s=%s", method, res);
	ar->line = 0;
	ar->open = 1;
	return ar->ri.err;
}

int
dkimsa_ar_comment(dkimsa_ar *ar, const char *text)
{
	buf c;

	if (!ar->open)
		return DKIMSA_ESTATE;
	buf_init(&c);
	buf_addc(&c, '(');
	authres_ctext(&c, text);
	buf_addc(&c, ')');
	if (c.err == 0)
		authres_item(ar, c.data, c.len);
	else
		ar->ri.err = c.err;
	buf_free(&c);
	return ar->ri.err;
}

int
dkimsa_ar_prop(dkimsa_ar *ar, const char *ptype, const char *property,
	       const char *value)
{
	char note[160];
	buf p;

	if (!ar->open)
		return DKIMSA_ESTATE;
	if (!authres_dot_atom(ptype, strlen(ptype), 0) ||
	    !authres_dot_atom(property, strlen(property), 0))
		return DKIMSA_EINVAL;
	buf_init(&p);
	buf_printf(&p, "%s.%s=", ptype, property);
	if (authres_value(&p, value, AUTHRES_PVALUE) != 0) {
		snprintf(note, sizeof(note), "%s.%s not shown: %s", ptype,
			 property, authres_why(value));
		buf_free(&p);
		return dkimsa_ar_comment(ar, note);
	}
	if (p.err == 0)
		authres_item(ar, p.data, p.len);
	else
		ar->ri.err = p.err;
	buf_free(&p);
	return ar->ri.err;
}

int
dkimsa_ar_add_dkim(dkimsa_ar *ar, const dkimsa_sigresult *r)
{
	const char *alg = dkimsa_alg_name(r->alg);
	char note[400], b8[9];

	dkimsa_ar_method(ar, "dkim", r->result);
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
	dkimsa_ar_comment(ar, note);
	if (*r->domain)
		dkimsa_ar_prop(ar, "header", "d", r->domain);
	if (*r->auid)
		dkimsa_ar_prop(ar, "header", "i", r->auid);
	if (*r->selector)
		dkimsa_ar_prop(ar, "header", "s", r->selector);
	if (alg != NULL)
		dkimsa_ar_prop(ar, "header", "a", alg);
	if (*r->b) {
		snprintf(b8, sizeof(b8), "%s", r->b);
		dkimsa_ar_prop(ar, "header", "b", b8);
	}
	return ar->ri.err;
}

/*
 * RFC 9989 section 9.1: header.from (the Author Domain) and policy.dmarc
 * (the policy applied after t=y, on pass and fail only).  The comment
 * names the published policy that applied and the disposition, as
 * "(p=reject dis=quarantine)", and why for results other than pass and
 * fail.
 */
int
dkimsa_ar_add_dmarc(dkimsa_ar *ar, const dkimsa_dmarc_result *r)
{
	const char *dis = dkimsa_dmarc_policy_name(r->disposition);
	char note[400];
	size_t n = 0;

	dkimsa_ar_method(ar, "dmarc", r->result);
	note[0] = '\0';
	if (r->policy != DKIMSA_DMARC_P_UNSET && *dis)
		n = (size_t)snprintf(note, sizeof(note), "p=%s dis=%s%s",
				     dkimsa_dmarc_policy_name(r->policy), dis,
				     r->testing ? " t=y" : "");
	if (r->result != DKIMSA_RES_PASS && r->result != DKIMSA_RES_FAIL &&
	    n < sizeof(note))
		snprintf(note + n, sizeof(note) - n, "%s%s", n ? "; " : "",
			 r->reason);
	if (note[0] != '\0')
		dkimsa_ar_comment(ar, note);
	if (r->from_domain != NULL && *r->from_domain)
		dkimsa_ar_prop(ar, "header", "from", r->from_domain);
	if (*dis)
		dkimsa_ar_prop(ar, "policy", "dmarc", dis);
	return ar->ri.err;
}

/*
 * RFC 8617 section 10.2: method "arc", header.oldest-pass (when the chain
 * passed and it was determined) and smtp.remote-ip; the sealers' domains
 * go in the comment.
 */
int
dkimsa_ar_add_arc(dkimsa_ar *ar, const dkimsa_arc_result *r)
{
	char note[600], num[16];

	dkimsa_ar_method(ar, "arc", r->result);
	if (r->result == DKIMSA_RES_PASS) {
		snprintf(note, sizeof(note), "sealer %s", r->sealer);
		if (r->oldest_pass >= 0 &&
		    strcmp(r->oldest_pass_sealer, r->sealer) != 0)
			snprintf(
			    note + strlen(note), sizeof(note) - strlen(note),
			    "; oldest-pass sealer %s", r->oldest_pass_sealer);
	} else if (r->failed_instance > 0) {
		snprintf(note, sizeof(note), "i=%d: %s", r->failed_instance,
			 r->reason);
	} else {
		snprintf(note, sizeof(note), "%s", r->reason);
	}
	dkimsa_ar_comment(ar, note);
	if (r->result == DKIMSA_RES_PASS && r->oldest_pass >= 0) {
		snprintf(num, sizeof(num), "%d", r->oldest_pass);
		dkimsa_ar_prop(ar, "header", "oldest-pass", num);
	}
	if (r->remote_ip != NULL && *r->remote_ip)
		dkimsa_ar_prop(ar, "smtp", "remote-ip", r->remote_ip);
	return ar->ri.err;
}

int
dkimsa_ar_finish(dkimsa_ar *ar, char **out)
{
	char note[80];

	authres_close(ar);
	if (ar->nres == 0 && ar->dropped == 0)
		buf_adds(&ar->out, "; none");
	if (ar->dropped > 0) {
		snprintf(note, sizeof(note), " (%d more results not shown)",
			 ar->dropped);
		buf_adds(&ar->out, note);
	}
	*out = buf_steal(&ar->out);
	return *out ? 0 : DKIMSA_ENOMEM;
}

int
authres_resinfo(dkimsa_ar *ar, char **out)
{
	int rc;

	*out = NULL;
	authres_close(ar);
	rc = ar->out.err;
	if (rc == 0 && (*out = buf_steal(&ar->out)) == NULL)
		rc = DKIMSA_ENOMEM;
	dkimsa_ar_free(ar);
	return rc;
}

int
dkimsa_ar_format_dkim(const dkimsa_sigresult *r, char **out)
{
	dkimsa_ar *ar;
	int rc;

	*out = NULL;
	if ((rc = dkimsa_ar_new(NULL, &ar)) != 0)
		return rc;
	dkimsa_ar_add_dkim(ar, r);
	return authres_resinfo(ar, out);
}

int
dkimsa_ar_format_dmarc(const dkimsa_dmarc_result *r, char **out)
{
	dkimsa_ar *ar;
	int rc;

	*out = NULL;
	if ((rc = dkimsa_ar_new(NULL, &ar)) != 0)
		return rc;
	dkimsa_ar_add_dmarc(ar, r);
	return authres_resinfo(ar, out);
}
