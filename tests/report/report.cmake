# SPDX-License-Identifier: Apache-2.0
# PDF documents (src/report/): the issuance receipt.
#   test_receipt          cmocka unit tests (label unit, so also under ASan)
#   report_receipt_tools  the samples `test_receipt write DIR` makes, judged
#                         by qpdf --check, pdfinfo, pdffonts, pdftotext and
#                         pdftoppm; exits 77 (skipped) when poppler or qpdf
#                         is missing
find_program(SERTEL_BASH bash REQUIRED)

# cairo and fontconfig keep process-wide caches on purpose; LeakSanitizer
# ignores them through tests/lsan.supp (make check-asan), not by calling
# cairo's debug-only reset, which asserts on timing-dependent state.
sertel_unit_test(test_receipt SOURCES ${SERTEL_TEST_DIR}/report/test_receipt.c
  LIBS sertel_report)

add_test(NAME report_receipt_tools
  COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_receipt.sh $<TARGET_FILE:test_receipt>)
set_tests_properties(report_receipt_tools PROPERTIES LABELS "interop;report"
  TIMEOUT 120 SKIP_RETURN_CODE 77)
