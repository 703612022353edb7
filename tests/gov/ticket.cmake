# SPDX-License-Identifier: Apache-2.0
# Complaints, technical assistance and published guidance (src/gov/ticket.c,
# guide.c): states, roles, the operator complaint's visibility, help
# requests, guidance versions; on SQLite and PostgreSQL.
sertel_store_unit_test(gov_ticket SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_ticket.c
                       LIBS sertel_gov)
