/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_text.h - the counters of metrics.h in the Prometheus text
 * exposition format, version 0.0.4: "# HELP" and "# TYPE" lines, then
 * one sample per line (dkimsa(8), METRICS, lists them).
 */
#ifndef DKIMSA_MILTER_METRICS_TEXT_H
#define DKIMSA_MILTER_METRICS_TEXT_H

#include <stddef.h>

#define METRICS_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The whole page (caller frees), or NULL when out of memory. */
char *metrics_text_render(size_t *len);

#endif
