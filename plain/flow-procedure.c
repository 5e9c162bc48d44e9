/*
 * A procedure's detail, one line each in the order of the curses
 * screen (catalog_procedure_lines): its name, code, agency, field,
 * level, processing time, fees, result, the steps and the required
 * documents; then what can be done from it: "Nộp hồ sơ trực tuyến"
 * (flow-wizard.c) when the procedure has a form, and back.
 */
#include <stdlib.h>
#include <string.h>

#include "plain.h"

int
plain_procedure(struct plain *p, const char *code)
{
	struct catalog_procedure pr;
	struct catalog_lines ls;
	struct session_request req;
	struct plain_reply r;
	struct plain_menu m;
	const char *actions[2];
	char err[256], *path;
	size_t i, n, choice;
	int rc;

	if (plain_groups(p) != PLAIN_OK)
		return PLAIN_QUIT;
	path = catalog_procedure_path(code);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_CACHE;
	rc = plain_call(p, &req, &r);
	free(path);
	if (rc != PLAIN_OK)
		return rc;
	if (r.status != STATUS_OK) {
		plain_reply_message(p, &r, err, sizeof err);
		plain_say(p, "%s", err);
		plain_reply_free(&r);
		return PLAIN_OK;
	}
	if (catalog_procedure_answer(r.http, r.body, r.len, p->opt.lang, &pr,
	    err, sizeof err) != STATUS_OK) {
		plain_say(p, "%s", err);
		catalog_procedure_free(&pr);
		plain_reply_free(&r);
		return PLAIN_OK;
	}
	plain_reply_free(&r);
	catalog_procedure_lines(&pr, &p->fields, &p->agencies, p->opt.lang,
	    &ls);
	for (i = 0; i < ls.n; i++) {
		switch (ls.items[i].kind) {
		case CATALOG_LINE_HEADING:
			plain_say(p, "%s:", ls.items[i].text);
			break;
		case CATALOG_LINE_STEP:
			/* Not "1." alone, which reads like a menu's item. */
			plain_say(p, "%s %s", plain_t(p, "Bước", "Step"),
			    ls.items[i].text);
			break;
		default:
			plain_say(p, "%s", ls.items[i].text);
			break;
		}
	}
	catalog_lines_free(&ls);

	/* The actions; the procedure (and its form) is still at hand. */
	n = 0;
	if (pr.form != NULL)
		actions[n++] = plain_t(p, "Nộp hồ sơ trực tuyến",
		    "Apply online");
	actions[n++] = plain_t(p, "Quay lại", "Back");
	memset(&m, 0, sizeof m);
	m.items = actions;
	m.n = n;
	m.def = n - 1;		/* Enter goes back, as everywhere */
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_OK && pr.form != NULL && choice == 0)
		rc = plain_wizard(p, &pr);
	catalog_procedure_free(&pr);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}
