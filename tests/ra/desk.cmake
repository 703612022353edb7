# SPDX-License-Identifier: Apache-2.0
# Issuance at the OP desk (ra_desk_*): code hashes only, expiry, single use,
# the attempt limit, who may start and confirm, nothing issued on failure;
# on SQLite and PostgreSQL.
sertel_store_unit_test(ra_desk SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_desk.c LIBS sertel_ra)
# Every row of the RA's rule tables (revocation causes x actors with their
# CRL reasons, attachments per type, approvals, the warning threshold).
sertel_store_unit_test(ra_rule_tables SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_rule_tables.c LIBS sertel_ra)
