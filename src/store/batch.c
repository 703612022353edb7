/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group commit.  Many threads want small write transactions; run one at a
 * time they queue on the database lock (SQLite) or pay one commit each.
 * A batcher owns a connection and a writer thread: callers hand it a
 * function, the writer runs everything waiting in one transaction (each
 * function inside its own SAVEPOINT, so one failure rolls back only its
 * own work), commits once, and wakes the callers with their results.
 * Durability is unchanged: a caller returns only after the commit that
 * holds its work.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_int.h"

#define BATCH_MAX 256

struct batch_item {
	store_fn fn;
	void *arg;
	int rc;
	sem_t done; /* posted by the writer: wakes exactly this caller */
	char err[512];
	struct batch_item *next;
};

struct store_batch {
	struct store *st; /* the writer's own connection */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work; /* items queued or stop */
	struct batch_item *head, *tail;
	int stop;
	int started;
	long long batches, items; /* for the shutdown log line */
};

static void
batch_run(struct store_batch *b, struct batch_item *items)
{
	struct db *db = store_db(b->st);
	struct batch_item *it;
	char msg[512];
	int rc;

	if ((rc = db_begin(db)) < 0) {
		str_copy(msg, sizeof(msg), sertel_errmsg());
		for (it = items; it; it = it->next) {
			it->rc = rc;
			str_copy(it->err, sizeof(it->err), msg);
		}
		return;
	}
	for (it = items; it; it = it->next) {
		sertel_err_clear();
		if ((rc = db_exec(db, "SAVEPOINT item")) == 0) {
			rc = it->fn(b->st, it->arg);
			if (rc < 0) {
				str_copy(it->err, sizeof(it->err), sertel_errmsg());
				db_exec(db, "ROLLBACK TO item");
				db_exec(db, "RELEASE item");
			} else {
				rc = db_exec(db, "RELEASE item");
			}
		}
		if (rc < 0 && it->err[0] == '\0')
			str_copy(it->err, sizeof(it->err), sertel_errmsg());
		it->rc = rc;
	}
	if ((rc = db_commit(db)) < 0) {
		/* Nothing of this batch is stored: every caller learns so. */
		str_copy(msg, sizeof(msg), sertel_errmsg());
		for (it = items; it; it = it->next) {
			if (it->rc == 0) {
				it->rc = rc;
				str_copy(it->err, sizeof(it->err), msg);
			}
		}
	}
}

static void *
batch_writer(void *arg)
{
	struct store_batch *b = arg;
	struct batch_item *items, *it, *last;
	int n;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->head == NULL && !b->stop)
			pthread_cond_wait(&b->work, &b->mu);
		if (b->head == NULL && b->stop)
			break;
		/* Take up to BATCH_MAX waiting items. */
		items = last = b->head;
		for (n = 1; last->next != NULL && n < BATCH_MAX; n++)
			last = last->next;
		b->head = last->next;
		if (b->head == NULL)
			b->tail = NULL;
		last->next = NULL;
		b->batches++;
		b->items += n;
		pthread_mutex_unlock(&b->mu);
		batch_run(b, items);
		/* Read next before posting: the caller's item lives on its
		 * stack and is gone once it wakes. */
		for (it = items; it; it = last) {
			last = it->next;
			sem_post(&it->done);
		}
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int
store_batch_new(struct store_batch **out, struct store *writer)
{
	struct store_batch *b;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "batch: out of memory");
	b->st = writer;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	if (pthread_create(&b->thread, NULL, batch_writer, b) != 0) {
		free(b);
		return sertel_err(SERTEL_EIO, "batch: cannot start writer thread");
	}
	b->started = 1;
	*out = b;
	return 0;
}

void
store_batch_free(struct store_batch *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	if (b->started)
		pthread_join(b->thread, NULL);
	if (b->batches > 0)
		log_msg(LOG_INFO,
		        "group commit: %lld writes in %lld transactions (%.1f each)",
		        b->items, b->batches, (double)b->items / (double)b->batches);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->work);
	free(b);
}

int
store_batch_submit(struct store_batch *b, store_fn fn, void *arg)
{
	struct batch_item it;

	memset(&it, 0, sizeof(it));
	it.fn = fn;
	it.arg = arg;
	if (sem_init(&it.done, 0, 0) != 0)
		return sertel_err(SERTEL_EIO, "batch: semaphore");
	pthread_mutex_lock(&b->mu);
	if (b->stop) {
		pthread_mutex_unlock(&b->mu);
		sem_destroy(&it.done);
		return sertel_err(SERTEL_ESTORE, "batch: shutting down");
	}
	if (b->tail)
		b->tail->next = &it;
	else
		b->head = &it;
	b->tail = &it;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	while (sem_wait(&it.done) != 0)
		;
	sem_destroy(&it.done);
	if (it.rc < 0)
		sertel_err(it.rc, "%s", it.err);
	return it.rc;
}
