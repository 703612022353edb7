/*
 * Internal interface between the files of src/ra/: the steps of
 * ra_person_add, ra_apply and ra_submit without their own transaction,
 * for a caller that makes several of them one change (register.c: a
 * registration request is the person, the application and its submission,
 * or nothing).  Call them only inside a store_atomic fn; the checks that
 * ra_person_add makes of its actor are the caller's.
 */
#ifndef SERTEL_RA_INT_H
#define SERTEL_RA_INT_H

#include "ra/ra.h"

int ra_person_insert_tx(struct store *st, const struct ra_actor *who,
                        const struct ra_person *p);
int ra_apply_tx(struct ra_application *out, struct store *st, const struct ra_actor *who,
                const struct ra_apply_req *rq, int approvals_needed);
int ra_submit_tx(struct store *st, const struct ra_actor *who, const char *app_id);

#endif
