# SPDX-License-Identifier: Apache-2.0
# Security incidents (src/gov/incident.c; Cirebon 24, Denpasar 25) on
# SQLite and PostgreSQL: every operation by every role, the transitions,
# the notices and their delivery, the flag, the loss report's incident.
sertel_store_unit_test(gov_incident SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_incident.c
  LIBS sertel_gov)
