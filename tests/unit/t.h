/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t.h - the smallest table-driven test helper.  Every check prints one line,
 * "PASS: name" or "FAIL: name: detail"; tests/run-tests.sh counts them.
 * main() returns t_exit() so a crash or early exit is also seen.
 */
#ifndef DKIMSA_T_H
#define DKIMSA_T_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int t_failures;
static int t_checks;

__attribute__((format(printf, 3, 4), unused)) static int
t_ok(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	t_checks++;
	if (cond) {
		printf("PASS: %s\n", name);
		return 1;
	}
	t_failures++;
	printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 0;
}

/* Compares strings; NULL is shown as (null). */
__attribute__((unused)) static int
t_streq(const char *got, const char *want, const char *name)
{
	int same = (got == NULL || want == NULL) ? got == want
						 : strcmp(got, want) == 0;
	return t_ok(same, name, "got \"%s\", want \"%s\"", got ? got : "(null)",
		    want ? want : "(null)");
}

__attribute__((unused)) static int
t_exit(void)
{
	fflush(stdout);
	return t_failures ? 1 : 0;
}

#endif
