/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_metrics_sock.c - the MetricsSocket grammar (milter/metrics_sock.c)
 * on hostile text: it either gives an IPv4 or IPv6 address with a port
 * from 1 to 65535, or refuses with a reason, never both, never past the
 * reason's buffer.
 */
#include <netinet/in.h>

#include "fuzz.h"
#include "metrics_sock.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_strdup(data, size), why[64];
	struct sockaddr_storage ss;
	socklen_t len = 0;
	int rc;

	if (spec == NULL)
		return 0;
	why[0] = '\0';
	rc = metrics_sock_parse(spec, &ss, &len, why, sizeof(why));
	if (rc == 0) {
		FUZZ_CHECK(why[0] == '\0');
		FUZZ_CHECK((ss.ss_family == AF_INET &&
			    len == sizeof(struct sockaddr_in) &&
			    ((struct sockaddr_in *)&ss)->sin_port != 0) ||
			   (ss.ss_family == AF_INET6 &&
			    len == sizeof(struct sockaddr_in6) &&
			    ((struct sockaddr_in6 *)&ss)->sin6_port != 0));
		FUZZ_CHECK(strncmp(spec, "inet", 4) == 0 && strchr(spec, '@'));
	} else {
		FUZZ_CHECK(rc == -1);
		FUZZ_CHECK(why[0] != '\0' &&
			   memchr(why, '\0', sizeof(why)) != NULL);
	}
	free(spec);
	return 0;
}
