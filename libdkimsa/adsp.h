/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * adsp.h - internals of the ADSP module (adsp.c), RFC 5617 (historic).
 */
#ifndef DKIMSA_ADSP_H
#define DKIMSA_ADSP_H

/* The practice an ADSP record states (RFC 5617 section 4.2.1). */
enum adsp_practice {
	ADSP_NOT_ADSP = -1, /* not an ADSP record: ignored */
	ADSP_UNKNOWN = 0,   /* "unknown", and values reserved for later */
	ADSP_ALL,
	ADSP_DISCARDABLE,
};

/*
 * Classifies one TXT record (its strings concatenated): an ADSP record
 * starts with "dkim", optional blanks, "="; the value runs to ';' or a
 * blank.  Unknown values count as "unknown".
 */
enum adsp_practice adsp_parse(const char *txt);

#endif
