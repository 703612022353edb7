/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Worker pools for the server's route classes (issue 19, point 2).
 *
 * libmicrohttpd's own threads read requests and answer the cheap routes
 * (OCSP, CRLs, CA certificates, /healthz) inline.  A route class whose
 * handlers can take seconds (public verification, the authenticated API)
 * gets a pool of its own: a fixed number of threads and a bounded queue of
 * jobs waiting for them.  The server suspends the connection while its job
 * waits and runs, so an anonymous caller who fills the public pool holds
 * only that pool's threads, never libmicrohttpd's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http_int.h"

struct http_pool {
	char name[16];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct http_job *head, *tail;
	int queued, max_queue;
	int stop;
	int nthreads;
	pthread_t th[HTTP_POOL_MAX_WORKERS];
};

int64_t
http_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes jobs until the pool stops; jobs still queued at the stop are run
 * with cancelled = 1 so each is answered (and its connection resumed)
 * without doing the work. */
static void *
pool_worker(void *arg)
{
	struct http_pool *p = arg;
	struct http_job *job;
	int cancelled;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->head == NULL)
			pthread_cond_wait(&p->cv, &p->mu);
		if ((job = p->head) == NULL) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		p->head = job->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->queued--;
		cancelled = p->stop;
		pthread_mutex_unlock(&p->mu);
		job->next = NULL;
		job->run(job, cancelled);
	}
	return NULL;
}

int
http_pool_new(struct http_pool **out, const char *name, int workers, int queue)
{
	struct http_pool *p = NULL;
	int i, rc = 0;

	*out = NULL;
	if (workers < 1 || workers > HTTP_POOL_MAX_WORKERS || queue < 0 ||
	    queue > HTTP_POOL_MAX_QUEUE)
		return sertel_err(SERTEL_EINVAL,
		                  "[server] %s_workers 1..%d, %s_queue 0..%d", name,
		                  HTTP_POOL_MAX_WORKERS, name, HTTP_POOL_MAX_QUEUE);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pool %s: out of memory", name);
	str_copy(p->name, sizeof(p->name), name);
	p->max_queue = queue;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (i = 0; i < workers; i++) {
		if (pthread_create(&p->th[i], NULL, pool_worker, p) != 0) {
			rc = sertel_err(SERTEL_EIO, "pool %s: cannot start thread %d",
			                name, i + 1);
			goto out;
		}
		p->nthreads++;
	}
	*out = p;
	p = NULL;
out:
	http_pool_free(p);
	return rc;
}

int
http_pool_submit(struct http_pool *p, struct http_job *job)
{
	int rc = 0;

	job->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->stop || p->queued >= p->max_queue) {
		rc = sertel_err(SERTEL_ETOOBIG, "pool %s: queue full (%d waiting)",
		                p->name, p->queued);
		goto out;
	}
	if (p->tail != NULL)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	p->queued++;
	pthread_cond_signal(&p->cv);
out:
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
http_pool_stop(struct http_pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	p->nthreads = 0;
}

void
http_pool_free(struct http_pool *p)
{
	if (p == NULL)
		return;
	http_pool_stop(p);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
