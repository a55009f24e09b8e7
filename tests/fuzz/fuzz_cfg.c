/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_cfg.c - dkimsa.conf (milter/cfg.c) on a hostile file: every line
 * is a setting, a bad one, or a comment; every error names the file and
 * line; the result can be printed and freed.  When the text names no
 * file, the milter's whole run-time state is built from it as
 * on start and SIGHUP (milter/rt.c: header lists, canonicalisation,
 * inline tables and host lists, the library options), without DNS.
 */
#include "cfg.h"
#include "fuzz.h"
#include "rt.h"

struct cfg_errs {
	const char *path;
	int n;
};

static void
cfg_err(void *arg, const char *msg)
{
	struct cfg_errs *e = arg;

	FUZZ_CHECK(strncmp(msg, e->path, strlen(e->path)) == 0);
	e->n++;
}

/* Values come from single lines: a printed setting is one line. */
static void
cfg_out(void *arg, const char *line)
{
	(void)arg;
	FUZZ_CHECK(strchr(line, '\n') == NULL);
}

/*
 * 1 when the text may name a file ("/x", "file:/x", "./x", "../x"): such
 * a configuration is not loaded, so a fuzzer never reads /dev/zero or a
 * FIFO.  A "/" inside a word (relaxed/simple, 10.0.0.0/8) is fine.
 */
static int
cfg_names_file(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (data[i] == '/' &&
		    (i == 0 || strchr(" \t\r\n:=,.\"'", data[i - 1]) != NULL))
			return 1;
	return 0;
}

static void
rt_err(void *arg, const char *msg)
{
	(void)msg;
	(*(int *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_errs e;
	struct cfg c;
	struct rt *rt = NULL;
	const char *path = fuzz_file(data, size);
	int errors, rterrs = 0;

	if (path == NULL)
		return 0;
	e.path = path;
	e.n = 0;
	cfg_defaults(&c);
	errors = cfg_load(&c, path, cfg_err, &e);
	FUZZ_CHECK(errors == e.n);
	cfg_dump(&c, cfg_out, NULL);
	cfg_free(&c);
	if (size > 0 && !cfg_names_file(data, size) &&
	    memchr(data, '\0', size) == NULL && errors == 0) {
		if (rt_load(path, 0, 0, &rt, rt_err, &rterrs) == 0) {
			FUZZ_CHECK(rt != NULL);
			rt_put(rt);
		}
	}
	return 0;
}
