/*
 * Functions shared by the files of src/ra and by nothing else.
 */
#ifndef SERTEL_RA_RA_INT_H
#define SERTEL_RA_RA_INT_H

#include "store/store.h"

/* The queue's counts (application_counts, migration 23): called inside the
 * transaction that writes the application, before an UPDATE moves
 * application app_id to state `to` (ra_app_count_move), or after the
 * INSERT of a new one (ra_app_count_new). */
int ra_app_count_move(struct store *st, const char *app_id, const char *to);
int ra_app_count_new(struct store *st, const char *app_id);

#endif
