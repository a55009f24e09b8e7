/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_fixture.h - temporary directories and files for the keytable unit
 * tests (tests/unit/kt_*_test.c).  Everything is written below one
 * mkdtemp() directory that kt_fix_cleanup() removes.
 */
#ifndef DKIMSA_KT_FIXTURE_H
#define DKIMSA_KT_FIXTURE_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char kt_fix_dir[256];

/* Creates the directory; exits on failure (nothing can be tested). */
__attribute__((unused)) static const char *
kt_fix_init(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(kt_fix_dir, sizeof(kt_fix_dir), "%s/kt-test.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(kt_fix_dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	return kt_fix_dir;
}

/* The path of name inside the directory (static buffer rotation). */
__attribute__((unused)) static const char *
kt_fix_path(const char *name)
{
	static char bufs[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", kt_fix_dir, name);
	return bufs[i];
}

/* Writes len bytes (or strlen(text) when len is 0) with mode. */
__attribute__((unused)) static const char *
kt_fix_write(const char *name, const char *text, size_t len, int mode)
{
	const char *path = kt_fix_path(name);
	FILE *fp = fopen(path, "wb");

	if (fp == NULL) {
		perror(path);
		exit(1);
	}
	fwrite(text, 1, len ? len : strlen(text), fp);
	fclose(fp);
	chmod(path, (mode_t)mode);
	return path;
}

/* Copies a file into the directory with mode. */
__attribute__((unused)) static const char *
kt_fix_copy(const char *src, const char *name, int mode)
{
	char buf[65536];
	FILE *fp = fopen(src, "rb");
	size_t n;

	if (fp == NULL) {
		perror(src);
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return kt_fix_write(name, buf, n, mode);
}

static int
kt_fix_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

__attribute__((unused)) static void
kt_fix_cleanup(void)
{
	nftw(kt_fix_dir, kt_fix_rm, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
