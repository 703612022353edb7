# SPDX-License-Identifier: Apache-2.0
# Issue 11: the visible signature as the instance sets it (box template,
# zone, footer naming the issuer and the law) and every signed document
# resolving (/v/{id} in the QR code and footer for CLI-, API- and
# receipt-signed files), judged by pdftotext, zbarimg, pdfsig, qpdf and
# curl against a server on loopback; SQLite and the throwaway PostgreSQL.
find_program(SERTEL_BASH_LOOK bash REQUIRED)
sertel_store_test(sign_look ${SERTEL_BASH_LOOK} ${CMAKE_CURRENT_LIST_DIR}/test_look.sh)
set_tests_properties(sign_look.sqlite sign_look.pg PROPERTIES TIMEOUT 600 LABELS "store;sign;http")
sertel_unit_test(sign_look_unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_look.c LIBS sertel_sign)
