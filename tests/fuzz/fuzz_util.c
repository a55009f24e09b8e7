/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_util.c - helpers shared by the harnesses; see fuzz.h.
 */
#define _GNU_SOURCE /* memfd_create */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		if (size > 0)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

size_t
fuzz_split(const uint8_t *data, size_t size, int sep, const uint8_t **rest,
	   size_t *restlen)
{
	const uint8_t *p = size > 0 ? memchr(data, sep, size) : NULL;

	if (p == NULL) {
		*rest = data + size;
		*restlen = 0;
		return size;
	}
	*rest = p + 1;
	*restlen = size - (size_t)(p - data) - 1;
	return (size_t)(p - data);
}

/* Length of the line end at data[i]: 2 for CRLF, 1 for LF, else 0. */
static size_t
fuzz_eol(const uint8_t *data, size_t size, size_t i)
{
	if (data[i] == '\n')
		return 1;
	if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
		return 2;
	return 0;
}

size_t
fuzz_msg_fields(const uint8_t *data, size_t size,
		int (*fn)(void *arg, const char *field, size_t len), void *arg)
{
	size_t start = 0, i = 0, n;

	while (start < size) {
		n = fuzz_eol(data, size, start);
		if (n > 0)
			return start + n; /* the empty line */
		for (i = start; i < size; i++) {
			n = fuzz_eol(data, size, i);
			if (n > 0 && (i + n >= size || (data[i + n] != ' ' &&
							data[i + n] != '\t')))
				break;
		}
		if (fn(arg, (const char *)data + start, i - start) != 0)
			return size;
		if (i >= size)
			return size;
		start = i + fuzz_eol(data, size, i);
	}
	return size;
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t off = 0;
	ssize_t n;

	if (fd < 0) {
		fd = memfd_create("dkimsa-fuzz", MFD_CLOEXEC);
		if (fd < 0)
			return NULL;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		return NULL;
	while (off < size) {
		n = pwrite(fd, data + off, size - off, (off_t)off);
		if (n <= 0)
			return NULL;
		off += (size_t)n;
	}
	return path;
}
