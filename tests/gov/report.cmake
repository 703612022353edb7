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
