/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_http.h - the MetricsSocket HTTP endpoint: GET /metrics answers
 * the Prometheus text (metrics_text.c), through libmicrohttpd in a thread
 * of its own.  No mail thread ever waits for it: a scrape only reads the
 * counters, and a slow or stuck scraper is libmicrohttpd's to time out.
 */
#ifndef DKIMSA_MILTER_METRICS_HTTP_H
#define DKIMSA_MILTER_METRICS_HTTP_H

#include <stddef.h>

/*
 * Serves on fd (metrics_sock_listen; taken over, closed by
 * metrics_http_stop).  0, or -1 with the reason in why.
 */
int metrics_http_start(int fd, char *why, size_t whylen);
void metrics_http_stop(void);

#endif
