/*
 * A procedure's detail, one line each in the order of the curses
 * screen (catalog_procedure_lines): its name, code, agency, field,
 * level, processing time, fees, result, the steps and the required
 * documents; then what can be done from it: "Nộp hồ sơ trực tuyến"
 * (flow-wizard.c) when the procedure has a form, and back.
 */
#include <string.h>

#include "plain.h"

/* Prints the detail's lines, as the curses screen lays them out. */
static void
print_detail(struct plain *p, const struct catalog_procedure *pr)
{
	struct catalog_lines ls;
	size_t i;

	catalog_procedure_lines(pr, &p->fields, &p->agencies, p->opt.lang,
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
}

int
plain_procedure(struct plain *p, const char *code)
{
	struct catalog_detail d;
	struct flow_run run;
	struct plain_menu m;
	const char *actions[2];
	size_t n, choice;
	int rc;

	if (plain_groups(p) != PLAIN_OK)
		return PLAIN_QUIT;
	catalog_detail_init(&d, p->opt.lang);
	catalog_detail_ask(&d, code);
	flow_run_init(&run, p->session, &catalog_detail_flow, &d);
	if ((rc = plain_flow(p, &run)) != PLAIN_OK)
		goto out;
	if (d.state != CATALOG_READY) {
		plain_say(p, "%s", d.message);
		goto out;
	}
	print_detail(p, &d.p);

	/* The actions; the procedure (and its form) is still at hand. */
	n = 0;
	if (d.p.form != NULL)
		actions[n++] = plain_t(p, "Nộp hồ sơ trực tuyến",
		    "Apply online");
	actions[n++] = plain_t(p, "Quay lại", "Back");
	memset(&m, 0, sizeof m);
	m.items = actions;
	m.n = n;
	m.def = n - 1;		/* Enter goes back, as everywhere */
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_OK && d.p.form != NULL && choice == 0)
		rc = plain_wizard(p, &d.p);
out:
	catalog_detail_free(&d);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}
