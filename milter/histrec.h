/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histrec.h - the DMARC history line of one message (libdkimsa's
 * dmarchist.h) from the record the verify path hands its history writer
 * (dmarcpath.h, struct dmarcpath_record), and that writer itself:
 * histrec_write appends the line to the DMARCHistoryFile of the
 * connection's run-time state (histfile.h).
 */
#ifndef DKIMSA_MILTER_HISTREC_H
#define DKIMSA_MILTER_HISTREC_H

#include "dmarchist.h"
#include "dmarcpath.h"

/* Fills r (initialised here) for one message. */
void histrec_fill(struct dmarchist_rec *r, const struct dmarcpath_record *rec);
/* A dmarcpath_history_fn: fills a record and appends it (arg unused). */
void histrec_write(void *arg, const struct dmarcpath_record *rec);

#endif
