/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_http.c - see metrics_http.h.  One libmicrohttpd daemon with its
 * own polling thread (non-blocking sockets: one stuck client does not
 * hold up another), at most METRICS_HTTP_CONNS clients at a time, each
 * dropped after METRICS_HTTP_TIMEOUT idle seconds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "metrics_http.h"
#include "metrics_text.h"
#include "mlog.h"

#define METRICS_HTTP_CONNS 16
#define METRICS_HTTP_TIMEOUT 10

static struct MHD_Daemon *metrics_http_d;

static void
metrics_http_log(void *arg, const char *fmt, va_list ap)
{
	char msg[512];

	(void)arg;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	mlog(LOG_WARNING, "MetricsSocket: %s", msg);
}

static enum MHD_Result
metrics_http_reply(struct MHD_Connection *conn, unsigned status,
		   const char *type, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
metrics_http_answer(void *cls, struct MHD_Connection *conn, const char *url,
		    const char *method, const char *version,
		    const char *upload_data, size_t *upload_size, void **state)
{
	char *body;
	size_t len;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	(void)state;
	if (strcmp(url, "/metrics") != 0) {
		body = strdup("not found: the metrics are at /metrics\n");
		return metrics_http_reply(conn, MHD_HTTP_NOT_FOUND,
					  "text/plain", body,
					  body ? strlen(body) : 0);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		body = strdup("method not allowed\n");
		return metrics_http_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
					  "text/plain", body,
					  body ? strlen(body) : 0);
	}
	if ((body = metrics_text_render(&len)) == NULL)
		return MHD_NO;
	return metrics_http_reply(conn, MHD_HTTP_OK, METRICS_TEXT_TYPE, body,
				  len);
}

int
metrics_http_start(int fd, char *why, size_t whylen)
{
	metrics_http_d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, metrics_http_answer, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, metrics_http_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_HTTP_CONNS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_HTTP_TIMEOUT,
	    MHD_OPTION_END);
	if (metrics_http_d == NULL) {
		snprintf(why, whylen, "libmicrohttpd did not start%s%s",
			 errno ? ": " : "", errno ? strerror(errno) : "");
		close(fd);
		return -1;
	}
	return 0;
}

void
metrics_http_stop(void)
{
	if (metrics_http_d != NULL)
		MHD_stop_daemon(metrics_http_d);
	metrics_http_d = NULL;
}
