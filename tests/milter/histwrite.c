/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histwrite.c - drives milter/histfile.c for tests/milter/histfile.sh:
 *   histwrite PATH COUNT THREADS [FILLER]
 * THREADS threads each append COUNT history lines (job=THREAD-N) to PATH
 * through one histfile, as the milter's threads do.  With FILLER, the
 * first failed write removes that file (space comes back), so the writes
 * after a disk-full episode are seen too.  Prints "written W failed F".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dkimsa.h"
#include "dmarchist.h"
#include "histfile.h"

static histfile *hw_h;
static long hw_count;
static const char *hw_filler;
static pthread_mutex_t hw_lock = PTHREAD_MUTEX_INITIALIZER;
static long hw_written, hw_failed;

static void *
hw_thread(void *arg)
{
	struct dmarchist_rec *r = malloc(sizeof(*r));
	long i, t = (long)(size_t)arg, ok = 0, bad = 0;

	if (r == NULL)
		return NULL;
	for (i = 0; i < hw_count; i++) {
		dmarchist_init(r);
		r->time = 1764115300;
		snprintf(r->job, sizeof(r->job), "%ld-%ld", t, i);
		dmarchist_set(r->ip, sizeof(r->ip), "192.0.2.1");
		dmarchist_set(r->header_from, DMARCHIST_NAME, "example.com");
		dmarchist_set(r->policy_domain, DMARCHIST_NAME, "example.com");
		dmarchist_set(r->rua[0], DMARCHIST_NAME,
			      "mailto:dmarc@example.com");
		r->nrua = 1;
		r->p = DMARCHIST_P_REJECT;
		dmarchist_set(r->comment, DMARCHIST_NAME,
			      "padding padding padding padding padding");
		r->dmarc = DKIMSA_RES_PASS;
		r->disp = DMARCHIST_D_PASS;
		if (histfile_append(hw_h, r) == 0) {
			ok++;
			continue;
		}
		bad++;
		pthread_mutex_lock(&hw_lock);
		if (hw_filler != NULL) {
			unlink(hw_filler);
			hw_filler = NULL;
		}
		pthread_mutex_unlock(&hw_lock);
	}
	pthread_mutex_lock(&hw_lock);
	hw_written += ok;
	hw_failed += bad;
	pthread_mutex_unlock(&hw_lock);
	free(r);
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th[64];
	char err[600];
	long n, i;

	if (argc < 4 || (n = atol(argv[3])) < 1 || n > 64) {
		fprintf(stderr,
			"usage: histwrite PATH COUNT THREADS [FILLER]\n");
		return 2;
	}
	hw_count = atol(argv[2]);
	hw_filler = argc > 4 ? argv[4] : NULL;
	if ((hw_h = histfile_open(argv[1], 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "histwrite: %s\n", err);
		return 1;
	}
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, hw_thread, (void *)(size_t)i);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	histfile_free(hw_h);
	printf("written %ld failed %ld\n", hw_written, hw_failed);
	return 0;
}
