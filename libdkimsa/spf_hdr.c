/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_hdr.c - SPF and Sender ID results as header text: Received-SPF
 * (RFC 7208 section 9.1) and the Authentication-Results resinfo (RFC 8601
 * section 2.7.2: smtp.mailfrom / smtp.helo for SPF and the mfrom scope;
 * section 2.7.3's registry: header.FIELD for the PRA, the field it came
 * from).  Every value and comment goes through the A-R formatter
 * (authres.c), so what a sender wrote is quoted, cut or left out there.
 *
 * Memory: the functions returning text return a string the caller frees.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "buf.h"
#include "dkimsa.h"

#define HDR_WIDTH 78

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
	if (authres_value(&part, val, AUTHRES_TOKEN) != 0) {
		buf_free(&part); /* cannot be written safely: left out */
		return;
	}
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
	authres_ctext(&com, tmp.data ? tmp.data : "");
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

int
dkimsa_ar_add_spf(dkimsa_ar *ar, const dkimsa_spf_result *r)
{
	char field[64];
	size_t i;
	int rc;

	if (r->identity == DKIMSA_SID_MFROM || r->identity == DKIMSA_SID_PRA)
		rc = dkimsa_ar_method(ar, "sender-id", r->result);
	else
		rc = dkimsa_ar_method(ar, "spf", r->result);
	if (rc != 0)
		return rc;
	if (r->identity == DKIMSA_SPF_HELO)
		return dkimsa_ar_prop(ar, "smtp", "helo", r->helo);
	if (r->identity == DKIMSA_SID_PRA) {
		/* header. + the field's name, lower-cased (RFC 8601 2.7.3) */
		const char *h = r->header[0] ? r->header : "From";

		for (i = 0; h[i] && i + 1 < sizeof(field); i++)
			field[i] = (char)tolower((unsigned char)h[i]);
		field[i] = '\0';
		return dkimsa_ar_prop(ar, "header", field, r->sender);
	}
	return dkimsa_ar_prop(ar, "smtp", "mailfrom",
			      r->sender[0] ? r->sender : r->mail_from);
}

int
dkimsa_spf_authres(const dkimsa_spf_result *r, char **out)
{
	dkimsa_ar *ar;
	int rc;

	*out = NULL;
	if (r == NULL)
		return DKIMSA_EINVAL;
	if ((rc = dkimsa_ar_new(NULL, &ar)) != 0)
		return rc;
	dkimsa_ar_add_spf(ar, r);
	return authres_resinfo(ar, out);
}
