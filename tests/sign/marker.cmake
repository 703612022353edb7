# SPDX-License-Identifier: Apache-2.0
# Markers where a reader sees them (issue 11): src/pdf/text.c and font.c.
#   test_pdf_text  cmocka: the CMap parser, encodings, glyph names and
#                  pdf_text_find() on hand-made files (fonts, forms, gaps)
#   sign_marker    letters made in the run by LibreOffice (.docx and .odt),
#                  Chromium, cairo (mkletter_cairo) and mkmarker.py, signed at
#                  a marker by the CLI and the e-sign API; the box against
#                  pdftotext -bbox and pdftoppm, pdfsig, qpdf, sertel verify
find_program(SERTEL_BASH bash REQUIRED)

sertel_unit_test(test_pdf_text SOURCES ${SERTEL_TEST_DIR}/pdf/test_text.c LIBS sertel_pdf)

add_executable(mkletter_cairo ${CMAKE_CURRENT_LIST_DIR}/mkletter_cairo.c)
target_link_libraries(mkletter_cairo PRIVATE PkgConfig::REPORTDEPS)

add_test(NAME sign_marker COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_marker.sh)
set_tests_properties(sign_marker PROPERTIES LABELS "interop;sign" TIMEOUT 600
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite;MKCAIRO=$<TARGET_FILE:mkletter_cairo>")
