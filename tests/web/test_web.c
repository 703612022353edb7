/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTML layer's templates and message catalogues (src/web): every value
 * escaped, sections, partials, messages in both languages, and the load
 * errors that keep a broken template from ever reaching a user.  The last
 * test loads the real templates and catalogues under web/.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "web/web.h"

static char dir[64];

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
fresh_dir(void)
{
	char cmd[128];

	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(dir, sizeof(dir), "/tmp/sertel-tmpl-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("id.txt", "# Bahasa Indonesia\n"
	              "app.title = Sertifikat Elektronik\n"
	              "greet = Selamat datang, {name}!\n"
	              "count = {n} permohonan menunggu\n");
	put("en.txt", "app.title = Electronic Certificates\n"
	              "greet = Welcome, {name}!\n"
	              "count = {n} applications waiting\n");
}

/* Loads dir and renders name with the JSON text ctx in lang. */
static int
render(char **out, const char *name, const char *ctx, int lang)
{
	struct web_i18n *cat = NULL;
	struct web_tmpl_set *set = NULL;
	json_t *j = json_loads(ctx, 0, NULL);
	struct buf b;
	int rc;

	assert_non_null(j);
	buf_init(&b, 1 << 20);
	*out = NULL;
	if ((rc = web_i18n_load(&cat, dir)) == 0 &&
	    (rc = web_tmpl_load(&set, dir, cat)) == 0 &&
	    (rc = web_render(&b, set, name, j, lang)) == 0 && (rc = buf_cstr(&b)) == 0)
		*out = (char *)buf_detach(&b, NULL);
	buf_free(&b);
	json_decref(j);
	web_tmpl_free(set);
	web_i18n_free(cat);
	return rc;
}

static void
values_are_escaped(void **state)
{
	char *s;

	fresh_dir();
	put("p.html", "<p title=\"{{v}}\">{{v}}</p>");
	assert_int_equal(render(&s, "p",
	                        "{\"v\":\"<script>alert('x')</script>\\\" onx=`&\"}",
	                        WEB_LANG_ID),
	                 0);
	assert_string_equal(s,
	                    "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	                    "&quot; onx&#61;&#96;&amp;\">"
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	                    "&quot; onx&#61;&#96;&amp;</p>");
	free(s);
	/* Numbers, booleans, null and absent values. */
	put("p.html", "[{{i}}|{{r}}|{{t}}|{{f}}|{{z}}|{{missing}}|{{o}}]");
	assert_int_equal(render(&s, "p",
	                        "{\"i\":-42,\"r\":1.5,\"t\":true,\"f\":false,\"z\":null,"
	                        "\"o\":{\"a\":1}}",
	                        WEB_LANG_ID),
	                 0);
	assert_string_equal(s, "[-42|1.5|true|false|||]");
	free(s);
}

static void
unescaped_output_cannot_be_written(void **state)
{
	char *s;

	fresh_dir();
	put("p.html", "{{{v}}}");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "unescaped"));
	put("p.html", "{{& v}}");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
}

static void
sections_iterate_and_look_outwards(void **state)
{
	char *s;

	fresh_dir();
	put("p.html",
	    "{{#apps}}<li>{{id}} {{state}} by {{owner}}</li>{{/apps}}"
	    "{{^apps}}none{{/apps}}"
	    "{{#user}}[{{name}}]{{/user}}{{#flag}}F{{/flag}}"
	    "{{#tags}}<{{.}}>{{/tags}}{{#user.agency}}{{name}}{{/user.agency}}");
	assert_int_equal(
	    render(&s, "p",
	           "{\"owner\":\"Budi\",\"apps\":[{\"id\":1,\"state\":\"draft\"},"
	           "{\"id\":2,\"state\":\"submitted\",\"owner\":\"Siti\"}],"
	           "\"user\":{\"name\":\"Ani\",\"agency\":{\"name\":\"Kominfo\"}},"
	           "\"flag\":true,\"tags\":[\"a&b\",\"c\"]}",
	           WEB_LANG_ID),
	    0);
	assert_string_equal(s, "<li>1 draft by Budi</li><li>2 submitted by Siti</li>"
	                       "[Ani]F<a&amp;b><c>Kominfo");
	free(s);
	/* Empty and falsy values render the inverse only. */
	assert_int_equal(render(&s, "p",
	                        "{\"apps\":[],\"user\":null,\"flag\":false,\"tags\":[]}",
	                        WEB_LANG_ID),
	                 0);
	assert_string_equal(s, "none");
	free(s);
	assert_int_equal(render(&s, "p", "{\"apps\":0,\"flag\":\"\"}", WEB_LANG_ID), 0);
	assert_string_equal(s, "none");
	free(s);
}

static void
partials_share_the_context(void **state)
{
	char *s;

	fresh_dir();
	put("layout.html", "<h1>{{_ app.title}}</h1>{{> body}}");
	put("body.html", "<p>{{_ greet}}</p>");
	assert_int_equal(render(&s, "layout", "{\"name\":\"<Budi>\"}", WEB_LANG_ID), 0);
	assert_string_equal(s, "<h1>Sertifikat Elektronik</h1>"
	                       "<p>Selamat datang, &lt;Budi&gt;!</p>");
	free(s);
	assert_int_equal(render(&s, "layout", "{\"name\":\"<Budi>\"}", WEB_LANG_EN), 0);
	assert_string_equal(s, "<h1>Electronic Certificates</h1>"
	                       "<p>Welcome, &lt;Budi&gt;!</p>");
	free(s);
	put("body.html", "{{_ count}}");
	assert_int_equal(render(&s, "body", "{\"n\":3}", WEB_LANG_EN), 0);
	assert_string_equal(s, "3 applications waiting");
	free(s);
	/* A template that includes itself ends in an error, not a crash. */
	put("body.html", "x{{> body}}");
	assert_int_equal(render(&s, "body", "{}", WEB_LANG_ID), SERTEL_ETOOBIG);
	assert_null(s);
}

static void
broken_templates_are_refused_at_load(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
	    {"{{#a}}never closed", "never closed"},
	    {"{{#a}}x{{/b}}", "closes no open section"},
	    {"x{{/a}}", "closes no open section"},
	    {"{{_ no.such.key}}", "no message 'no.such.key'"},
	    {"{{> nosuch}}", "no template 'nosuch'"},
	    {"{{a b}}", "bad tag"},
	    {"{{}}", "bad tag"},
	    {"{{a..b}}", "bad tag"},
	    {"{{ a", "without '}}'"},
	};
	char *s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fresh_dir();
		put("p.html", bad[i].text);
		assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
		if (strstr(sertel_errmsg(), bad[i].msg) == NULL)
			fail_msg("%s: expected '%s', got '%s'", bad[i].text, bad[i].msg,
			         sertel_errmsg());
	}
	fresh_dir();
	put("Bad Name.html", "x");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
	/* An unknown template at render time. */
	fresh_dir();
	put("p.html", "x");
	assert_int_equal(render(&s, "q", "{}", WEB_LANG_ID), SERTEL_ENOTFOUND);
}

static void
catalogues_must_agree(void **state)
{
	char *s;

	fresh_dir();
	put("p.html", "x");
	put("en.txt", "app.title = Electronic Certificates\ngreet = Welcome\n");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "en.txt: no message 'count'"));
	fresh_dir();
	put("p.html", "x");
	put("id.txt", "a = 1\na = 2\n");
	put("en.txt", "a = 1\n");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "given twice"));
	fresh_dir();
	put("id.txt", "no equals sign\n");
	assert_int_equal(render(&s, "p", "{}", WEB_LANG_ID), SERTEL_EINVAL);
	assert_int_equal(web_lang_parse("en-US"), WEB_LANG_EN);
	assert_int_equal(web_lang_parse("id"), WEB_LANG_ID);
	assert_int_equal(web_lang_parse("fr"), -1);
	assert_int_equal(web_lang_parse("english"), -1);
}

static void
page_bound_leaves_nothing_half_written(void **state)
{
	struct web_i18n *cat = NULL;
	struct web_tmpl_set *set = NULL;
	json_t *j = json_pack("{s:[iiiiiiiiii]}", "n", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	struct buf b;

	fresh_dir();
	put("p.html", "{{#n}}0123456789{{/n}}");
	assert_int_equal(web_i18n_load(&cat, dir), 0);
	assert_int_equal(web_tmpl_load(&set, dir, cat), 0);
	buf_init(&b, 64);
	assert_int_equal(buf_append(&b, "HEAD", 4), 0);
	assert_int_equal(web_render(&b, set, "p", j, WEB_LANG_ID), SERTEL_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_non_null(strstr(sertel_errmsg(), "exceeds 64 bytes"));
	buf_free(&b);
	json_decref(j);
	web_tmpl_free(set);
	web_i18n_free(cat);
}

static void
forms_decode_strictly(void **state)
{
	static const char *bad[] = {
	    "a=%",     "a=%4",     "a=%zz",       "a=x%00y",  "%00=1",          "=1",
	    "a=1&a=2", "a=%c3%28", "a=%ed%a0%80", "a=%c0%80", "a=%f8%88%80%80",
	};
	struct web_form f;
	char big[WEB_FORM_MAX_VALUE + 8], many[64 * 8 + 16];
	size_t i;
	int n;

	assert_int_equal(
	    web_form_parse(&f,
	                   "nama=Budi+Santoso&email=budi%40kominfo.go.id"
	                   "&kosong=&flag&&alasan=Surat%20%3Cb%3E%C3%A9",
	                   strlen("nama=Budi+Santoso&email=budi%40kominfo.go.id"
	                          "&kosong=&flag&&alasan=Surat%20%3Cb%3E%C3%A9")),
	    0);
	assert_int_equal(f.n, 5);
	assert_string_equal(web_form_get(&f, "nama"), "Budi Santoso");
	assert_string_equal(web_form_get(&f, "email"), "budi@kominfo.go.id");
	assert_string_equal(web_form_get(&f, "kosong"), "");
	assert_string_equal(web_form_get(&f, "flag"), "");
	assert_string_equal(web_form_get(&f, "alasan"), "Surat <b>\xc3\xa9");
	assert_null(web_form_get(&f, "nik"));
	web_form_free(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (web_form_parse(&f, bad[i], strlen(bad[i])) != SERTEL_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(f.n, 0);
	}
	/* Bounds. */
	memcpy(big, "a=", 2);
	memset(big + 2, 'x', WEB_FORM_MAX_VALUE + 1);
	assert_int_equal(web_form_parse(&f, big, WEB_FORM_MAX_VALUE + 3), SERTEL_ETOOBIG);
	for (i = 0, n = 0; n <= WEB_FORM_MAX_FIELDS; n++)
		i += (size_t)snprintf(many + i, sizeof(many) - i, "f%d=1&", n);
	assert_int_equal(web_form_parse(&f, many, i), SERTEL_ETOOBIG);
}

/* The templates and catalogues shipped under web/ load (every message key
 * a template uses exists in both languages, every partial exists). */
static void
shipped_templates_load(void **state)
{
	const char *src = getenv("SERTEL_SOURCE_DIR");
	struct web_i18n *cat = NULL;
	struct web_tmpl_set *set = NULL;
	char idir[1024], tdir[1024];

	if (src == NULL)
		fail_msg("SERTEL_SOURCE_DIR is not set (tests/web/web.cmake sets it)");
	snprintf(idir, sizeof(idir), "%s/web/i18n", src);
	snprintf(tdir, sizeof(tdir), "%s/web/portal", src);
	if (web_i18n_load(&cat, idir) < 0)
		fail_msg("%s", sertel_errmsg());
	if (web_tmpl_load(&set, tdir, cat) < 0)
		fail_msg("%s", sertel_errmsg());
	/* Every template src/http/web_portal.c renders. */
	static const char *pages[] = {
	    "header", "footer", "login", "link-sent", "link-confirm", "dashboard",
	    "error", "sop", "audit", "app-type", "app-new", "app", "queue", "certs",
	    "dinas", "desk", "desk-done",
	    /* the owner, the head of agency */
	    "owner-cert", "owner-revoke", "owner-revoke-confirm", "owner-loss-confirm",
	    "owner-loss", "owner-security", "owner-totp", "agency", "agency-revoke",
	    "agency-revoke-confirm", "owner-causes", "owner-confirm",
	    "owner-confirm-fields",
	    /* single sign-on */
	    "sso-done",
	    /* the operator's tools */
	    "oper-search", "oper-confirm", "oper-result", "oper-warn", "oper-locked",
	    "oper-clients", "oper-notices",
	    /* the receipt signed by the desk's witness */
	    "receipt-sign", "receipt-sign-form", "sign", "sign-flow",
	    /* governance: needs, master plan, decree */
	    "gov-needs", "gov-needs-one", "gov-plan", "gov-plan-banner", "gov-decree",
	    /* governance: complaints and guidance */
	    "gov-ticket", "gov-ticket-view", "gov-guide", "gov-guide-admin",
	    /* governance: coverage and the register of systems */
	    "gov-coverage", "gov-coverage-missing", "gov-coverage-import", "gov-systems",
	    "gov-system", "gov-system-fields", "gov-probe-result",
	    /* governance: security incidents */
	    "gov-incident", "gov-incident-show",
	    /* governance: the hub and the annual report */
	    "gov-hub", "gov-report",
	    /* each area adds its own line above this one */
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (!web_tmpl_has(set, pages[i]))
			fail_msg("web/portal/%s.html is missing", pages[i]);
	web_tmpl_free(set);
	web_i18n_free(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(values_are_escaped),
	    cmocka_unit_test(unescaped_output_cannot_be_written),
	    cmocka_unit_test(sections_iterate_and_look_outwards),
	    cmocka_unit_test(partials_share_the_context),
	    cmocka_unit_test(broken_templates_are_refused_at_load),
	    cmocka_unit_test(catalogues_must_agree),
	    cmocka_unit_test(page_bound_leaves_nothing_half_written),
	    cmocka_unit_test(forms_decode_strictly),
	    cmocka_unit_test(shipped_templates_load),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];

	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
