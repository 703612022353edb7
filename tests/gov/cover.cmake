# SPDX-License-Identifier: Apache-2.0
# Governance, coverage (issue 13, g-cover): the staff CSV import, the
# headcount, coverage and certificate counts, the register of electronic
# systems and the TLS probe's recording, each operation for every role; on
# SQLite and PostgreSQL.
sertel_store_unit_test(gov_cover SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_cover.c
  LIBS sertel_gov)
# The CLI and the REST API on both engines, and the TLS probe against
# servers on 127.0.0.1 (openssl s_server, a redirecting and a non-TLS
# listener, a closed port).
find_program(SERTEL_BASH_GOV bash REQUIRED)
sertel_store_test(gov_cover_cli ${SERTEL_BASH_GOV} ${CMAKE_CURRENT_LIST_DIR}/test_gov_cover.sh)
set_tests_properties(gov_cover_cli.sqlite gov_cover_cli.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
