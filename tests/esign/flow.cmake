# SPDX-License-Identifier: Apache-2.0
# Signing flows (src/esign/flow.c, issue 11): signers in order, refused
# transitions, expiry; on SQLite and PostgreSQL.
sertel_store_unit_test(esign_flow SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_flow.c
  LIBS sertel_esign)
