/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface between the files of src/ra/, used by nothing else.
 */
#ifndef SERTEL_RA_INT_H
#define SERTEL_RA_INT_H

#include "ra/ra.h"

/* The queue's counts (application_counts, migration 23): called inside the
 * transaction that writes the application, before an UPDATE moves
 * application app_id to state `to` (ra_app_count_move), or after the
 * INSERT of a new one (ra_app_count_new). */
int ra_app_count_move(struct store *st, const char *app_id, const char *to);
int ra_app_count_new(struct store *st, const char *app_id);

/* The steps of ra_person_add, ra_apply and ra_submit without their own
 * transaction, for a caller that makes several of them one change
 * (register.c: a registration request is the person, the application and
 * its submission, or nothing).  Call them only inside a store_atomic fn;
 * the checks that ra_person_add makes of its actor are the caller's. */
int ra_person_insert_tx(struct store *st, const struct ra_actor *who,
                        const struct ra_person *p);
int ra_apply_tx(struct ra_application *out, struct store *st, const struct ra_actor *who,
                const struct ra_apply_req *rq, int approvals_needed);
int ra_submit_tx(struct store *st, const struct ra_actor *who, const char *app_id);

#endif
