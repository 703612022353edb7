# SPDX-License-Identifier: Apache-2.0
# Governance, needs / master plan / decree (src/gov/needs.c, plan.c): the
# transitions, every operation by every role (refusals change nothing),
# bad input, the review status and its notice; on SQLite and PostgreSQL.
sertel_store_unit_test(gov_plan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_plan.c LIBS sertel_gov)
