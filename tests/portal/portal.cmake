# The portal's rules (src/portal): sessions, CSRF tokens, one-time login
# links and client-certificate logins, on SQLite and PostgreSQL.
sertel_store_unit_test(portal_rules SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_portal.c
  LIBS sertel_portal)
