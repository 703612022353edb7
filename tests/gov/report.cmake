# SPDX-License-Identifier: Apache-2.0
# The annual evaluation report (src/gov/report*.c, issue 13): every figure
# of a known 2025 scenario on SQLite and PostgreSQL (test_gov_report), and
# the signed PDF judged by qpdf --check, pdfsig, sertel verify, pdftotext
# and pdftoppm (gov_report_pdf: `test_gov_report write DIR`; pages as
# PNGs under build/screenshots/report).
sertel_store_unit_test(test_gov_report SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gov_report.c
  LIBS sertel_gov)
find_program(SERTEL_BASH_GOV_REPORT bash REQUIRED)
sertel_store_test(gov_report_pdf ${SERTEL_BASH_GOV_REPORT}
  ${CMAKE_CURRENT_LIST_DIR}/test_gov_report.sh $<TARGET_FILE:test_gov_report>)
set_tests_properties(gov_report_pdf.sqlite gov_report_pdf.pg PROPERTIES TIMEOUT 300
  LABELS "store;interop")
# bench/report: the seed tool (SQL through sertel's store, audit entries by
# audit_append) and a smoke run of the benchmark (small numbers, SQLite)
# so it cannot rot.
add_executable(report-bench-seed ${CMAKE_SOURCE_DIR}/bench/report/seed.c)
target_link_libraries(report-bench-seed PRIVATE sertel_ra)
find_program(SERTEL_SH_REPORT_BENCH sh REQUIRED)
add_test(NAME report_bench_smoke
  COMMAND ${SERTEL_SH_REPORT_BENCH} ${CMAKE_SOURCE_DIR}/bench/report/run.sh ${CMAKE_BINARY_DIR}/bench-smoke)
set_tests_properties(report_bench_smoke PROPERTIES TIMEOUT 120 LABELS "bench-smoke"
  ENVIRONMENT "SERTEL=$<TARGET_FILE:sertel>;REPORT_SEED=$<TARGET_FILE:report-bench-seed>;ASN=500;AGENCIES=20;CERTS=1500;BENCH_PG=0;BENCH_SMOKE=1")
