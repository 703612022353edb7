# PDF documents (src/report/): the issuance receipt.
#   test_receipt          cmocka unit tests (label unit, so also under ASan)
#   report_receipt_tools  the samples `test_receipt write DIR` makes, judged
#                         by qpdf --check, pdfinfo, pdffonts, pdftotext and
#                         pdftoppm; exits 77 (skipped) when poppler or qpdf
#                         is missing
find_program(SERTEL_BASH bash REQUIRED)

# fontconfig directly: the test drops its caches at exit for LeakSanitizer.
pkg_check_modules(REPORT_TEST_FC REQUIRED IMPORTED_TARGET fontconfig)
sertel_unit_test(test_receipt SOURCES ${SERTEL_TEST_DIR}/report/test_receipt.c
  LIBS sertel_report PkgConfig::REPORT_TEST_FC)

add_test(NAME report_receipt_tools
  COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_receipt.sh $<TARGET_FILE:test_receipt>)
set_tests_properties(report_receipt_tools PROPERTIES LABELS "interop;report"
  TIMEOUT 120 SKIP_RETURN_CODE 77)
