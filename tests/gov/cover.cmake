# Governance, coverage (issue 13, g-cover): the staff CSV import, the
# headcount, coverage and certificate counts, the register of electronic
# systems and the TLS probe's recording, each operation for every role; on
# SQLite and PostgreSQL.
sertel_store_unit_test(gov_cover SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_cover.c
  LIBS sertel_gov)
