/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-table - build and query dkimsa lookup tables (see
 * dkimsa-table(8)).
 *
 *   dkimsa-table [-c] -t db FILE      FILE (a text table) -> FILE.db,
 *                                     written aside and renamed (postmap)
 *   dkimsa-table [-c] [-a] -q KEY SPEC   print the value(s) of KEY
 *   dkimsa-table [-c] -l SPEC         print every entry as "key value"
 *
 * Exit status: 0 done / found, 1 not found (-q), 2 error or bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keytable.h"

#define EXIT_NOTFOUND 1
#define EXIT_ERR 2

static void
usage(void)
{
	fprintf(stderr, "usage: dkimsa-table [-c] -t db FILE\n"
			"       dkimsa-table [-c] [-a] -q KEY TYPE:NAME\n"
			"       dkimsa-table [-c] -l TYPE:NAME\n");
	exit(EXIT_ERR);
}

static int
print_value(void *arg, const char *value)
{
	(void)arg;
	printf("%s\n", value);
	return 0;
}

static int
print_pair(void *arg, const char *key, const char *value, const char *where)
{
	(void)arg;
	(void)where;
	printf(value[0] ? "%s %s\n" : "%s\n", key, value);
	return 0;
}

/*
 * Opens spec or prints why it cannot and exits, freeing what it got first
 * (the surrogate and the reason) so that a leak check at exit stays quiet.
 */
static kt_table *
open_or_die(const char *spec, int flags)
{
	char *why = NULL;
	kt_table *t = kt_open(spec, flags, &why);

	if (t == NULL || why != NULL) {
		fprintf(stderr, "dkimsa-table: %s\n",
			why ? why : "out of memory");
		free(why);
		kt_close(t);
		exit(EXIT_ERR);
	}
	return t;
}

static int
build_db(const char *file, int flags)
{
	char spec[4096], dbpath[4096], err[1024];
	struct stat st;
	kt_table *t;
	int rc;

	if (strncmp(file, "refile:", 7) == 0 || strncmp(file, "csl:", 4) == 0 ||
	    strncmp(file, "db:", 3) == 0) {
		fprintf(stderr,
			"dkimsa-table: -t db takes the path of a "
			"text table (key value lines), not %s\n",
			file);
		return EXIT_ERR;
	}
	if (strncmp(file, "file:", 5) == 0)
		file += 5;
	if ((size_t)snprintf(spec, sizeof(spec), "file:%s", file) >=
		sizeof(spec) ||
	    (size_t)snprintf(dbpath, sizeof(dbpath), "%s.db", file) >=
		sizeof(dbpath)) {
		fprintf(stderr, "dkimsa-table: %s: path too long\n", file);
		return EXIT_ERR;
	}
	t = open_or_die(spec, flags);
	/* The database keeps the text table's permissions (postmap does). */
	rc = stat(file, &st) == 0 ? (int)(st.st_mode & 0777) : 0644;
	rc = kt_db_build(t, dbpath, flags, rc, err, sizeof(err));
	kt_close(t);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-table: %s\n", err);
		return EXIT_ERR;
	}
	return 0;
}

static int
query(const char *key, const char *spec, int flags, int all)
{
	char err[1024], *value = NULL;
	kt_table *t = open_or_die(spec, flags);
	int rc;

	if (all)
		rc = kt_get_all(t, key, print_value, NULL, err, sizeof(err));
	else if ((rc = kt_get(t, key, &value, err, sizeof(err))) == KT_FOUND)
		printf("%s\n", value);
	free(value);
	kt_close(t);
	if (rc == KT_ERROR) {
		fprintf(stderr, "dkimsa-table: %s\n", err);
		return EXIT_ERR;
	}
	return rc == KT_FOUND ? 0 : EXIT_NOTFOUND;
}

static int
list(const char *spec, int flags)
{
	char err[1024];
	kt_table *t = open_or_die(spec, flags);
	int rc = kt_walk(t, print_pair, NULL, err, sizeof(err));

	kt_close(t);
	if (rc != 0) {
		fprintf(stderr, "dkimsa-table: %s\n", err);
		return EXIT_ERR;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *type = NULL, *key = NULL;
	int c, flags = 0, all = 0, do_list = 0;

	while ((c = getopt(argc, argv, "acq:lt:")) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'c':
			flags |= KT_CASE;
			break;
		case 'q':
			key = optarg;
			break;
		case 'l':
			do_list = 1;
			break;
		case 't':
			type = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (!!type + !!key + do_list) != 1)
		usage();
	if (type != NULL && strcmp(type, "db") != 0) {
		fprintf(stderr,
			"dkimsa-table: -t %s: only \"db\" tables are "
			"built from text\n",
			type);
		return EXIT_ERR;
	}
	if (type != NULL)
		return build_db(argv[optind], flags);
	if (key != NULL)
		return query(key, argv[optind], flags, all);
	return list(argv[optind], flags);
}
