/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlstats.h - what dkimsa-miltload measures: per-message latencies (one
 * growable array per worker, merged at the end), reply counts, and the
 * CPU time of another process from /proc/PID/stat.
 */
#ifndef MLSTATS_H
#define MLSTATS_H

#include <stddef.h>

enum mlstats_reply {
	MLSTATS_ACCEPT,
	MLSTATS_CONTINUE,
	MLSTATS_REJECT,
	MLSTATS_TEMPFAIL,
	MLSTATS_DISCARD,
	MLSTATS_ERROR,
	MLSTATS_NREPLY
};

struct mlstats {
	double *lat_us; /* latency of each finished message */
	size_t n, cap;
	unsigned long count[MLSTATS_NREPLY];
	int failed; /* out of memory: some latencies were dropped */
};

void mlstats_add(struct mlstats *s, enum mlstats_reply r, double lat_us);
/* Moves everything of from into into; from is left empty. */
void mlstats_merge(struct mlstats *into, struct mlstats *from);
/* Sorts, then gives the nearest-rank percentile q (0 < q <= 100). */
double mlstats_percentile(struct mlstats *s, double q);
void mlstats_free(struct mlstats *s);
const char *mlstats_reply_name(enum mlstats_reply r);

/* User + system CPU seconds of process pid (all its threads, live and
 * exited).  Returns 0, or -1 if /proc/PID/stat cannot be read. */
int mlstats_proc_cpu(long pid, double *seconds);

#endif
