/*
 * spf_hdr.c - SPF and Sender ID results as header text: Received-SPF
 * (RFC 7208 section 9.1) and the Authentication-Results resinfo (RFC 8601
 * sections 2.7.2 and 2.7.4? no: 2.7.2 smtp.mailfrom / smtp.helo, Sender ID
 * header.FIELD per RFC 8601 section 2.7.3 registry).
 *
 * Memory: both functions return a string the caller frees.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"

#define HDR_WIDTH 78

/* dot-atom (RFC 5322 3.2.3) */
static int
hdr_dot_atom(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.'
			? s[i + 1] == '.'
			: !(isalnum(c) ||
			    (c < 0x80 && strchr("!#$%&'*+-/=?^_`{|}~", c))))
			return 0;
	}
	return 1;
}

/* dot-atom as is, otherwise a quoted-string. */
static void
hdr_value(buf *b, const char *v)
{
	if (hdr_dot_atom(v)) {
		buf_adds(b, v);
		return;
	}
	buf_addc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			buf_addc(b, '\\');
		if ((unsigned char)*v >= 0x20 && *v != 0x7f)
			buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

/* Text for a comment: "(", ")" and "\" are quoted. */
static void
hdr_ctext(buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '(' || *s == ')' || *s == '\\')
			buf_addc(b, '\\');
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			buf_addc(b, *s);
	}
}

static void
hdr_comment(buf *b, const dkimsa_spf_result *r)
{
	const char *who = r->sender[0] ? r->sender : "(null)";

	buf_printf(b, "%s: ", r->receiver);
	switch (r->result) {
	case DKIMSA_RES_PASS:
		buf_printf(b, "domain of %s designates %s as permitted sender",
			   who, r->client_ip);
		break;
	case DKIMSA_RES_FAIL:
		buf_printf(b,
			   "domain of %s does not designate %s as "
			   "permitted sender",
			   who, r->client_ip);
		break;
	case DKIMSA_RES_SOFTFAIL:
		buf_printf(b,
			   "domain of transitioning %s does not designate "
			   "%s as permitted sender",
			   who, r->client_ip);
		break;
	case DKIMSA_RES_NEUTRAL:
		buf_printf(b,
			   "%s is neither permitted nor denied by domain "
			   "of %s",
			   r->client_ip, who);
		break;
	case DKIMSA_RES_NONE:
		buf_printf(b,
			   "domain of %s does not designate permitted "
			   "sender hosts",
			   who);
		break;
	case DKIMSA_RES_TEMPERROR:
		buf_printf(b, "error in processing during lookup of %s", who);
		break;
	default:
		buf_printf(b, "permanent error in processing domain of %s",
			   who);
		break;
	}
}

static const char *
hdr_identity(int identity)
{
	switch (identity) {
	case DKIMSA_SPF_HELO:
		return "helo";
	case DKIMSA_SID_MFROM:
		return "mfrom";
	case DKIMSA_SID_PRA:
		return "pra";
	}
	return "mailfrom";
}

/* Appends "; key=value" parts, folding before a part that would pass
 * HDR_WIDTH on the current line. */
static void
hdr_pair(buf *b, size_t *line, const char *key, const char *val)
{
	buf part;

	buf_init(&part);
	buf_printf(&part, "%s=", key);
	hdr_value(&part, val);
	buf_addc(&part, ';');
	if (b->len - *line + 1 + part.len > HDR_WIDTH) {
		buf_adds(b, "\r\n\t");
		*line = b->len - 1;
	} else {
		buf_addc(b, ' ');
	}
	buf_add(b, part.data ? part.data : "", part.len);
	if (part.err)
		b->err = part.err;
	buf_free(&part);
}

/* Folds the comment at spaces so no line passes HDR_WIDTH. */
static void
hdr_fold_comment(buf *b, size_t *line, const char *c)
{
	const char *sp;
	size_t w;

	while (*c) {
		sp = strchr(c + 1, ' ');
		w = sp ? (size_t)(sp - c) : strlen(c);
		if (b->len - *line + w > HDR_WIDTH && *c == ' ') {
			buf_adds(b, "\r\n\t");
			*line = b->len - 1;
			c++;
			w--;
		}
		buf_add(b, c, w);
		c += w;
	}
}

int
dkimsa_spf_received(const dkimsa_spf_result *r, char **out)
{
	buf b, com, tmp;
	size_t line = 0;

	*out = NULL;
	if (r == NULL)
		return DKIMSA_EINVAL;
	buf_init(&b);
	buf_init(&com);
	buf_init(&tmp);
	hdr_comment(&tmp, r);
	hdr_ctext(&com, tmp.data ? tmp.data : "");
	buf_printf(&b, "Received-SPF: %s (", dkimsa_res_name(r->result));
	hdr_fold_comment(&b, &line, com.data ? com.data : "");
	buf_addc(&b, ')');
	hdr_pair(&b, &line, "receiver", r->receiver);
	hdr_pair(&b, &line, "client-ip", r->client_ip);
	if (r->identity != DKIMSA_SPF_HELO)
		hdr_pair(&b, &line, "envelope-from", r->mail_from);
	if (r->helo[0])
		hdr_pair(&b, &line, "helo", r->helo);
	hdr_pair(&b, &line, "identity", hdr_identity(r->identity));
	if (r->mechanism)
		hdr_pair(&b, &line, "mechanism", r->mechanism);
	if (r->result == DKIMSA_RES_PERMERROR ||
	    r->result == DKIMSA_RES_TEMPERROR)
		hdr_pair(&b, &line, "problem", r->reason);
	if (com.err || tmp.err)
		b.err = DKIMSA_ENOMEM;
	buf_free(&com);
	buf_free(&tmp);
	*out = buf_steal(&b);
	return *out ? 0 : DKIMSA_ENOMEM;
}

/* pvalue: "local@domain" when the local-part is a dot-atom, else quoted. */
static void
hdr_pvalue(buf *b, const char *addr)
{
	const char *at = strrchr(addr, '@');
	char *local;

	if (at == NULL) {
		hdr_value(b, addr);
		return;
	}
	local = strndup(addr, (size_t)(at - addr));
	if (local != NULL && hdr_dot_atom(local) && hdr_dot_atom(at + 1))
		buf_adds(b, addr);
	else
		hdr_value(b, addr);
	if (local == NULL)
		b->err = DKIMSA_ENOMEM;
	free(local);
}

int
dkimsa_spf_authres(const dkimsa_spf_result *r, char **out)
{
	buf b;
	size_t i;

	*out = NULL;
	if (r == NULL)
		return DKIMSA_EINVAL;
	buf_init(&b);
	if (r->identity == DKIMSA_SID_MFROM || r->identity == DKIMSA_SID_PRA)
		buf_printf(&b, "sender-id=%s ", dkimsa_res_name(r->result));
	else
		buf_printf(&b, "spf=%s ", dkimsa_res_name(r->result));
	if (r->identity == DKIMSA_SPF_HELO) {
		buf_adds(&b, "smtp.helo=");
		hdr_value(&b, r->helo);
	} else if (r->identity == DKIMSA_SID_PRA && r->header[0]) {
		buf_adds(&b, "header.");
		for (i = 0; r->header[i]; i++)
			buf_addc(&b, tolower((unsigned char)r->header[i]));
		buf_addc(&b, '=');
		hdr_pvalue(&b, r->sender);
	} else {
		buf_adds(&b, "smtp.mailfrom=");
		hdr_pvalue(&b, r->sender[0] ? r->sender : r->mail_from);
	}
	*out = buf_steal(&b);
	return *out ? 0 : DKIMSA_ENOMEM;
}
