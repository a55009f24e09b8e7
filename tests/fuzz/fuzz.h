/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz.h - what every libFuzzer harness in tests/fuzz/ shares.
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  It is linked either with libFuzzer (clang
 * -fsanitize=fuzzer, "make fuzz") or with replay_main.c, a plain main()
 * that feeds it every seed and past crash input ("make check").  A
 * harness must free all it allocates per input, never exit, and abort()
 * (through FUZZ_CHECK) only when the code under test broke one of its
 * promises.
 */
#ifndef DKIMSA_FUZZ_H
#define DKIMSA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken promise of the code under test: report and abort(). */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* A NUL-terminated copy of data (NULL when out of memory). */
char *fuzz_strdup(const uint8_t *data, size_t size);
/*
 * Splits data at the first occurrence of the byte sep: *rest and *restlen get
 * what follows it (empty when sep does not occur).  Returns the length of
 * the part before.
 */
size_t fuzz_split(const uint8_t *data, size_t size, int sep,
		  const uint8_t **rest, size_t *restlen);

/*
 * Splits a message at its header fields as an MTA hands them over: a
 * field is a line plus the continuation lines (starting with SP or TAB)
 * after it, without the final line end (CRLF or LF).  Calls fn for each
 * field until it returns non-zero; returns the offset of the body (after
 * the empty line, or size when there is none).
 */
size_t fuzz_msg_fields(const uint8_t *data, size_t size,
		       int (*fn)(void *arg, const char *field, size_t len),
		       void *arg);
/*
 * Puts data in an anonymous in-memory file (memfd) and returns a path
 * that opens it, "/proc/self/fd/N" (the same file every call; its old
 * content is replaced), for parsers that read files.  NULL on failure.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

#endif
