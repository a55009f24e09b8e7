/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-genkey - make a DKIM key pair and its DNS record (see
 * dkimsa-genkey(8)); with --zone, print the records of every key in a
 * KeyTable (as opendkim-genzone does).
 *
 * Keys come from OpenSSL's EVP_PKEY_Q_keygen: RSA (default 2048 bits,
 * 1024 to 4096) or Ed25519 (RFC 8463).  SELECTOR.private is PEM (RSA as
 * PKCS#1 "RSA PRIVATE KEY", which every signer reads; Ed25519 as PKCS#8),
 * created mode 0600 in a temporary file and linked into place, so an
 * existing key is never overwritten unless --force is given.  The record
 * text is libdkimsa's dkimsa_key_record() plus the optional tags of RFC
 * 6376 section 3.6.1 (h=, n=, s=, t=), written as a BIND TXT record whose
 * character-strings hold at most 255 bytes each (RFC 1035 section 3.3).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "dkimsa.h"
#include "keyset.h"

#define EXIT_ERR 2
#define TXT_CHUNK 255

struct opts {
	const char *domain, *selector, *dir, *alg, *hash, *note, *zone;
	const char *user; /* -u USER[:GROUP]: owner of the private key */
	int bits, testing, restrict_email, force;
	uid_t uid; /* from user, or (uid_t)-1 */
	gid_t gid;
};

static void
usage(void)
{
	fprintf(
	    stderr,
	    "usage: dkimsa-genkey -d DOMAIN -s SELECTOR [-a rsa|ed25519] "
	    "[-b BITS] [-D DIR]\n"
	    "                     [-u USER[:GROUP]] [-t] [-r] [--hash sha256] "
	    "[--note TEXT] [--force]\n"
	    "       dkimsa-genkey --zone KEYTABLE [-d DOMAIN] [-t] [-r] "
	    "[--hash sha256]\n");
	exit(EXIT_ERR);
}

static void
die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "dkimsa-genkey: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n");
	exit(EXIT_ERR);
}

/* n= is a dkim-quoted-printable qp-section (RFC 6376 section 2.11). */
static void
add_qp(char *out, size_t len, const char *s)
{
	size_t n = strlen(out);

	for (; *s != '\0' && n + 4 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != ';' && c != '=' && c != '"' &&
		    c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, len - n, "=%02X", c);
	}
	out[n] = '\0';
}

/* The record text: v=, then h= k= n= s= t= and p= (caller frees). */
static char *
make_record(const dkimsa_key *key, const struct opts *o)
{
	char *base = NULL, *out, *k, *p;
	size_t len;

	if (dkimsa_key_record(key, &base) != 0)
		return NULL;
	k = strstr(base, "k=");
	p = strstr(base, "; p=");
	len = strlen(base) + (o->note ? 3 * strlen(o->note) : 0) + 64;
	if (k == NULL || p == NULL || (out = malloc(len)) == NULL) {
		free(base);
		return NULL;
	}
	snprintf(out, len, "v=DKIM1; ");
	if (o->hash != NULL)
		strcat(out, "h=sha256; ");
	strncat(out, k, (size_t)(p - k));
	if (o->note != NULL) {
		strcat(out, "; n=");
		add_qp(out, len, o->note);
	}
	if (o->restrict_email)
		strcat(out, "; s=email");
	if (o->testing)
		strcat(out, "; t=y");
	strcat(out, p);
	free(base);
	return out;
}

/* Writes a BIND TXT record: strings of at most 255 bytes. */
static void
write_bind(FILE *fp, const char *owner, const char *rec, const char *comment)
{
	const char *p = strstr(rec, "p=");
	size_t n, head = p ? (size_t)(p - rec) : strlen(rec);

	fprintf(fp, "%s\tIN\tTXT\t( ", owner);
	while (head > 0) { /* the tags before p=, normally one string */
		n = head > TXT_CHUNK ? TXT_CHUNK : head;
		fprintf(fp, "\"%.*s\"\n\t  ", (int)n, rec);
		rec += n;
		head -= n;
	}
	while (*rec != '\0') {
		n = strlen(rec) > TXT_CHUNK ? TXT_CHUNK : strlen(rec);
		fprintf(fp, "\"%.*s\"", (int)n, rec);
		rec += n;
		if (*rec != '\0')
			fprintf(fp, "\n\t  ");
	}
	fprintf(fp, " )  ; ----- %s\n", comment);
}

static EVP_PKEY *
generate(const struct opts *o)
{
	EVP_PKEY *pkey;

	if (strcmp(o->alg, "rsa") == 0)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)o->bits);
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey == NULL) {
		ERR_print_errors_fp(stderr);
		die("key generation failed%s%s", "", "");
	}
	return pkey;
}

/* PEM text of pkey (caller frees). */
static char *
pem_of(EVP_PKEY *pkey, int rsa, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;
	int ok;

	if (bio == NULL)
		return NULL;
	ok = rsa ? PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL,
							0, NULL, NULL)
		 : PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL,
					    NULL);
	n = BIO_get_mem_data(bio, &data);
	if (ok && n > 0 && (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(bio);
	return out;
}

/*
 * Writes data to path with mode (and owner uid:gid unless uid is -1)
 * through a temporary file; without force an existing path is never
 * replaced (link(2) fails with EEXIST).
 */
static void
install(const char *path, const char *data, size_t len, int mode, int force,
	uid_t uid, gid_t gid)
{
	char tmp[PATH_MAX];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		die("%s: %s", tmp, strerror(errno));
	ok = fchmod(fd, (mode_t)mode) == 0 &&
	     (uid == (uid_t)-1 || fchown(fd, uid, gid) == 0) &&
	     write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (ok)
		ok = force ? rename(tmp, path) == 0 : link(tmp, path) == 0;
	if (!ok) {
		int e = errno;

		unlink(tmp);
		if (e == EEXIST)
			die("%s exists; use --force to replace it", path, "");
		die("%s: %s", path, strerror(e));
	}
	if (!force)
		unlink(tmp);
}

/*
 * The milter reads the key as its UserID: say whose the key is now, and
 * the chown still needed when root made it for nobody in particular.
 */
static void
owner_note(const struct opts *o, const char *priv)
{
	const struct passwd *pw;
	const struct group *gr;
	char user[256] = "?", group[256] = "?";

	if (o->user != NULL) {
		if ((pw = getpwuid(o->uid)) != NULL)
			snprintf(user, sizeof(user), "%s", pw->pw_name);
		if ((gr = getgrgid(o->gid)) != NULL)
			snprintf(group, sizeof(group), "%s", gr->gr_name);
		printf("Did: chown %s:%s %s (for the milter's UserID %s).\n",
		       user, group, priv, user);
	} else if (geteuid() == 0) {
		printf("The key belongs to root, and the milter's UserID "
		       "cannot read it.\nStill needed: chown USER %s "
		       "(USER: the milter's UserID, e.g. dkimsa),\n"
		       "or make the key with -u USER.\n",
		       priv);
	}
}

static int
genkey(const struct opts *o)
{
	char priv[PATH_MAX], txt[PATH_MAX], dir[PATH_MAX], err[256];
	char owner[300], comment[600], *pem, *rec;
	FILE *fp;
	EVP_PKEY *pkey;
	dkimsa_key *key = NULL;
	size_t len = 0;
	char *buf = NULL;
	size_t blen = 0;

	if (realpath(o->dir, dir) == NULL)
		die("%s: %s", o->dir, strerror(errno));
	if (strlen(dir) + strlen(o->selector) + 10 > sizeof(priv))
		die("%s: path too long%s", dir, "");
	snprintf(priv, sizeof(priv), "%.3000s/%.200s.private", dir,
		 o->selector);
	snprintf(txt, sizeof(txt), "%.3000s/%.200s.txt", dir, o->selector);
	if (!o->force && access(priv, F_OK) == 0)
		die("%s exists; use --force to replace it", priv, "");
	if (!o->force && access(txt, F_OK) == 0)
		die("%s exists; use --force to replace it", txt, "");
	pkey = generate(o);
	pem = pem_of(pkey, strcmp(o->alg, "rsa") == 0, &len);
	EVP_PKEY_free(pkey);
	if (pem == NULL || dkimsa_key_parse(pem, len, &key, err, sizeof(err)))
		die("cannot encode the new key: %s", pem ? err : "PEM", "");
	if ((rec = make_record(key, o)) == NULL)
		die("cannot make the key record%s%s", "", "");
	snprintf(owner, sizeof(owner), "%s._domainkey", o->selector);
	snprintf(comment, sizeof(comment), "DKIM key %s for %s", o->selector,
		 o->domain);
	if ((fp = open_memstream(&buf, &blen)) == NULL)
		die("out of memory%s%s", "", "");
	write_bind(fp, owner, rec, comment);
	fclose(fp);
	install(priv, pem, len, 0600, o->force, o->uid, o->gid);
	install(txt, buf, blen, 0644, o->force, (uid_t)-1, (gid_t)-1);
	OPENSSL_cleanse(pem, len);
	free(pem);
	free(buf);
	free(rec);
	dkimsa_key_free(key);
	printf("Wrote %s (mode 0600) and %s.\n", priv, txt);
	owner_note(o, priv);
	printf("Add to the KeyTable:\n%s._domainkey.%s %s:%s:%s\n", o->selector,
	       o->domain, o->domain, o->selector, priv);
	printf("Add to the SigningTable (refile:):\n*@%s %s._domainkey.%s\n",
	       o->domain, o->selector, o->domain);
	return 0;
}

static int
zone(const struct opts *o)
{
	struct keyfile_opts ko = {0, 0, NULL};
	char err[1024], owner[600], comment[600], *rec;
	keyset *k;
	size_t i;
	int rc = 0;

	if (keyset_load(o->zone, &ko, 1, &k, err, sizeof(err)) != 0)
		die("%s%s", err, "");
	for (i = 0; i < k->n; i++) {
		const struct keyset_entry *e = &k->v[i];

		if (o->domain != NULL && strcasecmp(e->domain, o->domain) != 0)
			continue;
		if (strcmp(e->domain, "%") == 0) {
			fprintf(stderr,
				"dkimsa-genkey: %s: domain \"%%\" has "
				"no zone; skipped\n",
				e->where);
			continue;
		}
		if ((rec = make_record(e->key, o)) == NULL) {
			fprintf(stderr,
				"dkimsa-genkey: %s: cannot make the "
				"record\n",
				e->where);
			rc = EXIT_ERR;
			continue;
		}
		snprintf(owner, sizeof(owner), "%s._domainkey.%s.", e->selector,
			 e->domain);
		snprintf(comment, sizeof(comment), "DKIM key %s (%s)", e->name,
			 e->where);
		write_bind(stdout, owner, rec, comment);
		free(rec);
	}
	keyset_free(k);
	return rc;
}

/* -u USER[:GROUP]: the group defaults to USER's own. */
static void
owner(struct opts *o)
{
	char name[256], *colon;
	struct passwd *pw;
	struct group *gr;

	snprintf(name, sizeof(name), "%s", o->user);
	if ((colon = strchr(name, ':')) != NULL)
		*colon++ = '\0';
	if ((pw = getpwnam(name)) == NULL)
		die("-u %s: no such user%s", name, "");
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	if (colon != NULL) {
		if ((gr = getgrnam(colon)) == NULL)
			die("-u %s: no such group%s", o->user, "");
		o->gid = gr->gr_gid;
	}
}

static void
check(struct opts *o)
{
	if (o->hash != NULL && strcmp(o->hash, "sha256") != 0)
		die("--hash %s: only sha256 (RFC 8301 forbids sha1 for "
		    "signing)%s",
		    o->hash, "");
	if (o->zone != NULL) {
		if (o->user != NULL)
			die("-u: not with --zone%s%s", "", "");
		return;
	}
	if (o->domain == NULL || o->selector == NULL)
		usage();
	if (o->user != NULL)
		owner(o);
	if (strcmp(o->alg, "rsa") != 0 && strcmp(o->alg, "ed25519") != 0)
		die("-a %s: use rsa or ed25519%s", o->alg, "");
	if (strcmp(o->alg, "ed25519") == 0 && o->bits != 0)
		die("-b: Ed25519 keys have no size to choose%s%s", "", "");
	if (o->bits == 0)
		o->bits = 2048;
	if (strcmp(o->alg, "rsa") == 0 && (o->bits < 1024 || o->bits > 4096))
		die("-b: RSA keys must have 1024 to 4096 bits%s%s", "", "");
	if (strchr(o->selector, '/') != NULL || o->selector[0] == '.' ||
	    strspn(o->selector,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
		   "QRSTUVWXYZ0123456789-_.") != strlen(o->selector))
		die("-s %s: not a DKIM selector%s", o->selector, "");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"algorithm", required_argument, NULL, 'a'},
	    {"bits", required_argument, NULL, 'b'},
	    {"domain", required_argument, NULL, 'd'},
	    {"directory", required_argument, NULL, 'D'},
	    {"selector", required_argument, NULL, 's'},
	    {"testmode", no_argument, NULL, 't'},
	    {"restrict", no_argument, NULL, 'r'},
	    {"hash", required_argument, NULL, 'H'},
	    {"note", required_argument, NULL, 'n'},
	    {"force", no_argument, NULL, 'f'},
	    {"zone", required_argument, NULL, 'z'},
	    {"user", required_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0}};
	struct opts o = {NULL, NULL, ".", "rsa", NULL, NULL,	  NULL,
			 NULL, 0,    0,	  0,	 0,    (uid_t)-1, (gid_t)-1};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "a:b:d:D:s:trn:u:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'a':
			o.alg = optarg;
			break;
		case 'b':
			o.bits = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.bits <= 0)
				die("-b %s: not a number of bits%s", optarg,
				    "");
			break;
		case 'd':
			o.domain = optarg;
			break;
		case 'D':
			o.dir = optarg;
			break;
		case 's':
			o.selector = optarg;
			break;
		case 't':
			o.testing = 1;
			break;
		case 'r':
			o.restrict_email = 1;
			break;
		case 'H':
			o.hash = optarg;
			break;
		case 'n':
			o.note = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'z':
			o.zone = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	check(&o);
	return o.zone != NULL ? zone(&o) : genkey(&o);
}
