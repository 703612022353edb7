/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel http: the server (libmicrohttpd, thread pool) and its API.
 */
#ifndef SERTEL_HTTP_H
#define SERTEL_HTTP_H

#include "instance/instance.h"

/* Roles an API token can hold. */
#define HTTP_ROLES "admin, operator or auditor"
int http_role_valid(const char *role);

/* Runs the server until SIGTERM or SIGINT, then stops gracefully: stops
 * accepting, lets running requests finish, closes the store. listen is
 * "ADDR:PORT" (NULL: [server] listen from config). */
int http_serve(struct instance *in, const char *listen);

/* A certificate record as JSON (new reference); with_pem adds the PEM. */
#include <jansson.h>
json_t *http_cert_json(const struct cert_rec *r, int with_pem);
/* The RA records as JSON, one shape for the API and `--json` (new refs). */
struct ra_agency;
struct ra_person;
struct ra_application;
json_t *http_agency_json(const struct ra_agency *a);
json_t *http_person_json(const struct ra_person *p);
json_t *http_app_json(const struct ra_application *a);
/* Governance tickets, help requests and guidance (api_gov_ticket.c), the
 * API's and `sertel gov ticket|guide --json`'s shape; who decides what
 * the ticket shows (NIKs only for the Dinas and the person). */
struct store;
struct ra_actor;
struct gov_ticket;
struct gov_help;
struct gov_guide;
json_t *http_gov_ticket_json(struct store *st, const struct ra_actor *who,
                             const struct gov_ticket *t, int full);
json_t *http_gov_help_json(const struct gov_help *h);
json_t *http_gov_guide_json(const struct gov_guide *g);
/* A security incident as JSON (gov, api_gov_incident.c); full adds its
 * certificates and notices, _full also the timeline, if who may read it. */
struct gov_incident;
struct ra_actor;
json_t *http_gov_incident_json(const struct gov_incident *inc, int full);
int http_gov_incident_full(json_t **out, struct store *st, const struct config *cfg,
                           const struct ra_actor *who, const char *id);

/* Every route of the portal (under /portal): method, path (a path ending
 * in '/' takes everything below it), whether it needs a session, and the
 * roles that may open it (0: anyone logged in).  For `sertel portal
 * routes` and the role tests; cb returning non-zero stops. */
typedef int (*web_portal_route_fn)(const char *method, const char *path, int login,
                                   unsigned roles, void *arg);
int web_portal_routes(web_portal_route_fn cb, void *arg);

#endif
