/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib.c - the dkimsa_lib handle: options by name (declared once, as rows of
 * a table), the log callback, and the one shared DNS context, created once
 * under a lock and then used by every thread.
 *
 * Memory: the handle owns its option strings and the DNS context; both are
 * released by dkimsa_lib_free(), which must not race with any use.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "dkimsa_test.h"
#include "lib.h"
#include "pkcache.h"

struct dkimsa_lib {
	pthread_mutex_t lock;
	dkimsa_log_fn log_fn;
	void *log_arg;
	long min_key_bits;
	long max_signatures;
	long dns_timeout_ms;
	char *trust_anchor_file; /* NULL: the default */
	char *nameservers;
	char *unbound_conf;
	dkimsa_stats_fn stats_fn; /* given to the DNS context */
	void *stats_arg;
	dns_ctx *dns;
	int dns_failed;
	char dns_err[512];
	pkcache *keys; /* parsed key records, made with the handle */
};

enum lib_type { LIB_INT, LIB_MS, LIB_FILE, LIB_TA, LIB_NS };

/* One option: name, type, default, where it lives, range, DNS or not. */
struct lib_opt {
	const char *name;
	enum lib_type type;
	long def;
	size_t off;
	long min, max;
	int dns;
};

#define LIB_OFF(f) offsetof(struct dkimsa_lib, f)

static const struct lib_opt lib_opts[] = {
    {"MinimumKeyBits", LIB_INT, 1024, LIB_OFF(min_key_bits), 0, 16384, 0},
    {"MaximumSignaturesToVerify", LIB_INT, 10, LIB_OFF(max_signatures), 1, 1000,
     0},
    {"TrustAnchorFile", LIB_TA, 0, LIB_OFF(trust_anchor_file), 0, 0, 1},
    {"Nameservers", LIB_NS, 0, LIB_OFF(nameservers), 0, 0, 1},
    {"UnboundConfigFile", LIB_FILE, 0, LIB_OFF(unbound_conf), 0, 0, 1},
    /* seconds, decimals allowed (tests use short deadlines) */
    {"DNSTimeout", LIB_MS, 10000, LIB_OFF(dns_timeout_ms), 1, 3600000, 1},
};

const char *
dkimsa_version(void)
{
	return PACKAGE_VERSION;
}

dkimsa_lib *
dkimsa_lib_new(void)
{
	dkimsa_lib *lib = calloc(1, sizeof(*lib));
	size_t i;

	if (lib == NULL)
		return NULL;
	pthread_mutex_init(&lib->lock, NULL);
	lib->keys = pkcache_new(); /* NULL: every record is parsed */
	for (i = 0; i < sizeof(lib_opts) / sizeof(lib_opts[0]); i++)
		if (lib_opts[i].type == LIB_INT || lib_opts[i].type == LIB_MS)
			*(long *)((char *)lib + lib_opts[i].off) =
			    lib_opts[i].def;
	return lib;
}

void
dkimsa_lib_free(dkimsa_lib *lib)
{
	if (lib == NULL)
		return;
	dns_ctx_free(lib->dns);
	pkcache_free(lib->keys);
	free(lib->trust_anchor_file);
	free(lib->nameservers);
	free(lib->unbound_conf);
	pthread_mutex_destroy(&lib->lock);
	free(lib);
}

struct pkcache *
lib_pkcache(dkimsa_lib *lib)
{
	return lib->keys;
}

void
dkimsa_lib_set_log(dkimsa_lib *lib, dkimsa_log_fn fn, void *arg)
{
	lib->log_fn = fn;
	lib->log_arg = arg;
}

void
dkimsa_lib_set_stats(dkimsa_lib *lib, dkimsa_stats_fn fn, void *arg)
{
	lib->stats_fn = fn;
	lib->stats_arg = arg;
}

void
lib_log(const dkimsa_lib *lib, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (lib == NULL || lib->log_fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lib->log_fn(lib->log_arg, level, msg);
}

unsigned
lib_min_key_bits(const dkimsa_lib *lib)
{
	return lib ? (unsigned)lib->min_key_bits : 1024;
}

int
lib_max_signatures(const dkimsa_lib *lib)
{
	return lib ? (int)lib->max_signatures : 10;
}

/* ---- option values ---- */

static int
lib_readable(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* "addr[@port]" separated by commas or blanks. */
static int
lib_check_ns(const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0, rc = 0;

	if (copy == NULL)
		return -1;
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ", \t", &save), n++) {
		char *at = strchr(tok, '@'), *end = NULL;
		unsigned char ip[16];
		long port = 53;

		if (at != NULL) {
			*at++ = '\0';
			errno = 0;
			port = strtol(at, &end, 10);
			if (end == at || *end != '\0' || errno != 0)
				port = 0;
		}
		if ((inet_pton(AF_INET, tok, ip) != 1 &&
		     inet_pton(AF_INET6, tok, ip) != 1) ||
		    port < 1 || port > 65535) {
			snprintf(err, errlen,
				 "\"%s%s%s\" is not ADDR or ADDR@PORT", tok,
				 at ? "@" : "", at ? at : "");
			rc = -1;
		}
	}
	free(copy);
	if (rc == 0 && n == 0) {
		snprintf(err, errlen, "no address given");
		rc = -1;
	}
	return rc;
}

static int
lib_number(const struct lib_opt *o, const char *value, long *out, char *err,
	   size_t errlen)
{
	char *end = NULL;
	double d;

	errno = 0;
	d = strtod(value, &end);
	/* no (long) cast of a NaN or of a value a long cannot hold: UB */
	if (end == value || *end != '\0' || errno != 0 || isnan(d) ||
	    (o->type == LIB_INT && d > -9e18 && d < 9e18 &&
	     d != (double)(long)d)) {
		snprintf(err, errlen, "\"%s\" is not a %s", value,
			 o->type == LIB_INT ? "whole number"
					    : "number of seconds");
		return -1;
	}
	if (o->type == LIB_MS)
		d = d * 1000.0 + 0.5;
	if (d < (double)o->min || d > (double)o->max) {
		if (o->type == LIB_MS)
			snprintf(err, errlen, "%s is out of range (0.001-%ld)",
				 value, o->max / 1000);
		else
			snprintf(err, errlen, "%s is out of range (%ld-%ld)",
				 value, o->min, o->max);
		return -1;
	}
	*out = (long)d;
	return 0;
}

static int
lib_string(const struct lib_opt *o, const char *value, char **slot, char *err,
	   size_t errlen)
{
	char *copy;

	if (o->type == LIB_NS && lib_check_ns(value, err, errlen) != 0)
		return -1;
	if ((o->type == LIB_FILE ||
	     (o->type == LIB_TA && strcmp(value, "none") != 0)) &&
	    lib_readable(value, err, errlen) != 0)
		return -1;
	if ((copy = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(*slot);
	*slot = copy;
	return 0;
}

int
dkimsa_lib_set_option(dkimsa_lib *lib, const char *name, const char *value,
		      char *errbuf, size_t errlen)
{
	char why[400], dummy[1];
	const struct lib_opt *o = NULL;
	size_t i;
	int rc;

	if (errbuf == NULL) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	for (i = 0; name != NULL && i < sizeof(lib_opts) / sizeof(lib_opts[0]);
	     i++)
		if (strcasecmp(name, lib_opts[i].name) == 0)
			o = &lib_opts[i];
	if (lib == NULL || o == NULL || value == NULL) {
		snprintf(errbuf, errlen, "unknown option \"%s\"",
			 name ? name : "(null)");
		return DKIMSA_EINVAL;
	}
	pthread_mutex_lock(&lib->lock);
	if (o->dns && (lib->dns != NULL || lib->dns_failed)) {
		pthread_mutex_unlock(&lib->lock);
		snprintf(errbuf, errlen, "%s: the DNS resolver has started",
			 o->name);
		return DKIMSA_ESTATE;
	}
	if (o->type == LIB_INT || o->type == LIB_MS)
		rc = lib_number(o, value, (long *)((char *)lib + o->off), why,
				sizeof(why));
	else
		rc = lib_string(o, value, (char **)((char *)lib + o->off), why,
				sizeof(why));
	pthread_mutex_unlock(&lib->lock);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: %s", o->name, why);
		return DKIMSA_EINVAL;
	}
	return DKIMSA_OK;
}

/* ---- the DNS context ---- */

dns_ctx *
lib_dns(dkimsa_lib *lib, char *err, size_t errlen)
{
	dns_ctx *ctx;

	if (lib == NULL) {
		snprintf(err, errlen, "no library handle, so no DNS");
		return NULL;
	}
	pthread_mutex_lock(&lib->lock);
	if (lib->dns == NULL && !lib->dns_failed) {
		struct dns_opts o = {lib->trust_anchor_file, lib->nameservers,
				     lib->unbound_conf,
				     (unsigned)lib->dns_timeout_ms};

		lib->dns = dns_ctx_new(&o, lib->dns_err, sizeof(lib->dns_err));
		lib->dns_failed = lib->dns == NULL;
		if (lib->dns != NULL)
			dns_ctx_set_stats(lib->dns, lib->stats_fn,
					  lib->stats_arg);
	}
	ctx = lib->dns;
	if (ctx == NULL)
		snprintf(err, errlen, "%s", lib->dns_err);
	pthread_mutex_unlock(&lib->lock);
	return ctx;
}

int
dkimsa_lib_start_dns(dkimsa_lib *lib, char *errbuf, size_t errlen)
{
	char dummy[1];

	if (errbuf == NULL) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	return lib_dns(lib, errbuf, errlen) != NULL ? DKIMSA_OK : DKIMSA_EDNS;
}

int
dkimsa_lib_set_fake_dns(dkimsa_lib *lib, const char *table, char *errbuf,
			size_t errlen)
{
	char dummy[1];
	dns_ctx *ctx;

	if (errbuf == NULL) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	if (lib == NULL)
		return DKIMSA_EINVAL;
	ctx = dns_ctx_new_fake(table, errbuf, errlen);
	if (ctx == NULL)
		return DKIMSA_EINVAL;
	pthread_mutex_lock(&lib->lock);
	if (lib->dns != NULL || lib->dns_failed) {
		pthread_mutex_unlock(&lib->lock);
		dns_ctx_free(ctx);
		snprintf(errbuf, errlen, "the DNS resolver has started");
		return DKIMSA_ESTATE;
	}
	dns_ctx_set_stats(ctx, lib->stats_fn, lib->stats_arg);
	lib->dns = ctx;
	pthread_mutex_unlock(&lib->lock);
	return DKIMSA_OK;
}
