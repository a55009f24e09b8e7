/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpxml.c - the XML of one aggregate report, RFC 9990 section 2.1 (element
 * order as its tables give it) and appendix A, and its gzip file (RFC
 * 1952, through zlib).  See rpxml.h.
 *
 * Memory: the document is built in the caller's buf.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "dkimsa.h"
#include "dmarchist.h"
#include "rpxml.h"

/* Length of the UTF-8 sequence at s (1..4), 0 when it is not one. */
static size_t
rpxml_utf8(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF, U+FFFE/FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return n;
}

void
rpxml_text(buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		switch (*p) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		case '\'':
			buf_adds(out, "&apos;");
			break;
		default:
			if (*p < 0x20 || (n = rpxml_utf8(p)) == 0) {
				buf_addc(out, '?');
				break;
			}
			buf_add(out, p, n);
			p += n;
			continue;
		}
		p++;
	}
}

static void
rpxml_el(buf *out, const char *indent, const char *name, const char *value)
{
	buf_printf(out, "%s<%s>", indent, name);
	rpxml_text(out, value);
	buf_printf(out, "</%s>\n", name);
}

/* The address as RFC 5952 text (the schema's IPAddress patterns); an
 * IPv4-mapped IPv6 address as IPv4. */
static void
rpxml_ip(const char *in, char *out, size_t len)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, in, a) == 1) {
		inet_ntop(AF_INET, a, out, (socklen_t)len);
	} else if (inet_pton(AF_INET6, in, a) == 1) {
		static const unsigned char mapped[12] = {
		    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(a, mapped, 12) == 0)
			inet_ntop(AF_INET, a + 12, out, (socklen_t)len);
		else
			inet_ntop(AF_INET6, a, out, (socklen_t)len);
	} else {
		snprintf(out, len, "0.0.0.0");
	}
}

static void
rpxml_metadata(buf *out, const struct rpxml_meta *m, long long begin,
	       long long end, const char *report_id)
{
	buf_adds(out, "  <report_metadata>\n");
	rpxml_el(out, "    ", "org_name", m->org_name);
	rpxml_el(out, "    ", "email", m->email);
	if (m->extra_contact != NULL)
		rpxml_el(out, "    ", "extra_contact_info", m->extra_contact);
	rpxml_el(out, "    ", "report_id", report_id);
	buf_printf(out,
		   "    <date_range>\n      <begin>%lld</begin>\n"
		   "      <end>%lld</end>\n    </date_range>\n",
		   begin, end - 1);
	rpxml_el(out, "    ", "generator", m->generator);
	buf_adds(out, "  </report_metadata>\n");
}

/* policy_published from the domain's last line (RFC 9990 2.1.1.4). */
static void
rpxml_policy(buf *out, const struct dmarchist_rec *r, const char *domain)
{
	const char *p = dmarchist_pol_name(r->p);
	char ch[2] = {0, 0};

	buf_adds(out, "  <policy_published>\n");
	rpxml_el(out, "    ", "domain", domain);
	rpxml_el(out, "    ", "discovery_method", "treewalk");
	rpxml_el(out, "    ", "p", p[0] ? p : "none");
	if (r->sp != DMARCHIST_P_UNSET)
		rpxml_el(out, "    ", "sp", dmarchist_pol_name(r->sp));
	if (r->np != DMARCHIST_P_UNSET)
		rpxml_el(out, "    ", "np", dmarchist_pol_name(r->np));
	if (r->fo[0] != '\0')
		rpxml_el(out, "    ", "fo", r->fo);
	ch[0] = (char)r->adkim;
	rpxml_el(out, "    ", "adkim", ch);
	ch[0] = (char)r->aspf;
	rpxml_el(out, "    ", "aspf", ch);
	ch[0] = (char)r->testing;
	rpxml_el(out, "    ", "testing", ch);
	buf_adds(out, "  </policy_published>\n");
}

static void
rpxml_record(buf *out, const struct dmarchist_rec *r, unsigned long count)
{
	char ip[INET6_ADDRSTRLEN + 1];
	size_t i;

	rpxml_ip(r->ip, ip, sizeof(ip));
	buf_adds(out, "  <record>\n    <row>\n");
	rpxml_el(out, "      ", "source_ip", ip);
	buf_printf(out, "      <count>%lu</count>\n", count);
	buf_adds(out, "      <policy_evaluated>\n");
	rpxml_el(out, "        ", "disposition", dmarchist_disp_name(r->disp));
	rpxml_el(out, "        ", "dkim", r->dkim_aligned ? "pass" : "fail");
	rpxml_el(out, "        ", "spf", r->spf_aligned ? "pass" : "fail");
	if (r->reason != DMARCHIST_R_NONE) {
		buf_adds(out, "        <reason>\n");
		rpxml_el(out, "          ", "type",
			 dmarchist_reason_name(r->reason));
		if (r->comment[0] != '\0')
			rpxml_el(out, "          ", "comment", r->comment);
		buf_adds(out, "        </reason>\n");
	}
	buf_adds(out, "      </policy_evaluated>\n    </row>\n");
	buf_adds(out, "    <identifiers>\n");
	if (r->env_to[0] != '\0')
		rpxml_el(out, "      ", "envelope_to", r->env_to);
	rpxml_el(out, "      ", "envelope_from", r->env_from);
	rpxml_el(out, "      ", "header_from", r->header_from);
	buf_adds(out, "    </identifiers>\n    <auth_results>\n");
	for (i = 0; i < r->ndkim; i++) {
		buf_adds(out, "      <dkim>\n");
		rpxml_el(out, "        ", "domain", r->dkim[i].domain);
		rpxml_el(out, "        ", "selector", r->dkim[i].selector);
		rpxml_el(out, "        ", "result",
			 dkimsa_res_name(r->dkim[i].result));
		buf_adds(out, "      </dkim>\n");
	}
	if (r->spf_domain[0] != '\0') {
		buf_adds(out, "      <spf>\n");
		rpxml_el(out, "        ", "domain", r->spf_domain);
		if (!r->spf_helo)
			rpxml_el(out, "        ", "scope", "mfrom");
		rpxml_el(out, "        ", "result", dkimsa_res_name(r->spf));
		buf_adds(out, "      </spf>\n");
	}
	buf_adds(out, "    </auth_results>\n  </record>\n");
}

int
rpxml_report(buf *out, const struct rpxml_meta *m, const struct rpagg_domain *d,
	     long long begin, long long end, const char *report_id)
{
	struct dmarchist_rec *r = malloc(sizeof(*r));
	char why[200];
	size_t i;

	if (r == NULL)
		return DKIMSA_ENOMEM;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
		      "  <version>1.0</version>\n");
	rpxml_metadata(out, m, begin, end, report_id);
	if (dmarchist_parse(d->policy, strlen(d->policy), r, why,
			    sizeof(why)) != 0)
		dmarchist_init(r);
	rpxml_policy(out, r, d->domain);
	for (i = 0; i < d->nrows; i++)
		if (dmarchist_parse(d->rows[i].key, strlen(d->rows[i].key), r,
				    why, sizeof(why)) == 0)
			rpxml_record(out, r, d->rows[i].count);
	buf_adds(out, "</feedback>\n");
	free(r);
	return out->err ? DKIMSA_ENOMEM : 0;
}

int
rpxml_gzip(const char *path, const char *data, size_t len, char *err,
	   size_t errlen)
{
	char tmp[4200];
	gzFile gz;
	int fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: name too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (gz = gzdopen(fd, "wb9")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return -1;
	}
	while (len > 0) {
		unsigned chunk = len > (1u << 30) ? 1u << 30 : (unsigned)len;
		if (gzwrite(gz, data, chunk) != (int)chunk)
			break;
		data += chunk;
		len -= chunk;
	}
	if (gzclose(gz) != Z_OK || len > 0) {
		snprintf(err, errlen, "%s: write failed (%s)", tmp,
			 errno ? strerror(errno) : "zlib");
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
rpxml_slurp(const char *path, buf *out, char *err, size_t errlen)
{
	char chunk[8192];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	fclose(fp);
	if (out->err) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	return 0;
}
