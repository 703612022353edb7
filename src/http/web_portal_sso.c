/*
 * The portal: single sign-on with OpenID Connect (stub, filled below).
 */
#include "http/web_portal.h"

void
wp_sso_login_option(struct page *pg)
{
	(void)pg;
}

static int
page_sso(struct page *pg)
{
	return wp_error(pg, 404, wp_text(pg, "error.notfound"));
}

WP_ROUTES(wp_routes_sso, {"GET", "/masuk/sso", 0, 0, page_sso, NULL}, );
