/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histfile.h - DMARCHistoryFile: the file the milter appends one DMARC
 * history line to per evaluated message (line format: libdkimsa's
 * dmarchist.h), read later by dkimsa-reports.
 *
 * Atomic: the file is opened O_APPEND once per run-time state (rt.c, so a
 * SIGHUP reopens it after log rotation) and each line goes out as one
 * write() of the whole line; lines from concurrent threads never mix.
 * Never blocking mail: a failed or short write (disk full, quota, I/O
 * error) is logged -- the first of a run of failures and then one in
 * every 1000 -- and the message goes on.  After a short write the next
 * line starts with a newline, so the fragment stays a line of its own
 * (the reader rejects it: it lacks the final eol=1 field).
 */
#ifndef DKIMSA_MILTER_HISTFILE_H
#define DKIMSA_MILTER_HISTFILE_H

#include <stddef.h>

struct dmarchist_rec;
typedef struct histfile histfile;

/*
 * Opens path for appending (created 0640 when missing and create is set).
 * With create unset the file is only checked: an existing file must open
 * for writing, a missing one needs a writable directory; NULL is then
 * returned with err[0] == '\0' when all is well.  NULL with the reason in
 * err on failure.
 */
histfile *histfile_open(const char *path, int create, char *err, size_t errlen);
/* Formats r and appends it; 0, or -1 when the line was not written
 * (logged). */
int histfile_append(histfile *h, const struct dmarchist_rec *r);
/* Appends a ready line (its newline included); 0 or -1 (logged). */
int histfile_write(histfile *h, const char *line, size_t len);
void histfile_free(histfile *h);

#endif
