# SPDX-License-Identifier: Apache-2.0
# PDF object parser and incremental writer (src/pdf/).
#   test_pdf      cmocka unit tests over hand-written PDFs: every xref form,
#                 strings, names, spans, the writer, hostile files
#   pdftool       a driver for the shell test
#   pdf_tools     real files from qpdf, mutool, cairo and podofo; updates
#                 judged by qpdf --check and mutool; hostile files refused
#                 within a time and memory bound
#   pdf_fuzz      the libFuzzer harness, built with clang and run briefly
find_program(SERTEL_BASH bash REQUIRED)

sertel_unit_test(test_pdf SOURCES ${SERTEL_TEST_DIR}/pdf/test_pdf.c LIBS sertel_pdf)

add_executable(pdftool ${SERTEL_TEST_DIR}/pdf/pdftool.c)
target_link_libraries(pdftool PRIVATE sertel_pdf)

add_test(NAME pdf_tools
  COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_pdf_tools.sh $<TARGET_FILE:pdftool>)
set_tests_properties(pdf_tools PROPERTIES LABELS "interop;pdf" TIMEOUT 600)

# libFuzzer, briefly (SERTEL_FUZZ_SECONDS, default 25); docs/PDF.md has
# the command for a long run.
set(SERTEL_FUZZ_SECONDS 25 CACHE STRING "seconds of fuzzing in make check")
add_test(NAME pdf_fuzz
  COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/fuzz.sh ${CMAKE_SOURCE_DIR}
          ${CMAKE_BINARY_DIR}/pdf-fuzz ${SERTEL_FUZZ_SECONDS})
set_tests_properties(pdf_fuzz PROPERTIES LABELS "fuzz;pdf" TIMEOUT 240)
