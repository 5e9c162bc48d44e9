/*
 * "Tra cứu hồ sơ" (no login needed): the dossier's code and the
 * citizen's CCCD, one question each, checked before anything is sent
 * (the lookup flow, client/lookup.h): what is wrong is said as text and its
 * question comes again.  The portal's answer: the status first, then the
 * procedure, the agency and the dates; a wrong code and a wrong CCCD get
 * the same words, as from the portal.
 */
#include <stdlib.h>
#include <string.h>

#include "client/lookup.h"
#include "plain.h"

static void
print_found(struct plain *p, const struct tracking_lookup *l)
{
	char when[32];

	plain_say(p, PLAIN_T(p, "Hồ sơ %s: %s.", "Dossier %s: %s."), l->code,
	    l->status_label);
	if (l->procedure_name[0] != '\0')
		plain_say(p, PLAIN_T(p, "Thủ tục: %s", "Procedure: %s"),
		    l->procedure_name);
	if (l->agency_name[0] != '\0')
		plain_say(p, PLAIN_T(p, "Cơ quan tiếp nhận: %s",
		    "Receiving agency: %s"), l->agency_name);
	tracking_datetime(l->submitted_at, when, sizeof when);
	if (when[0] != '\0')
		plain_say(p, PLAIN_T(p, "Ngày nộp: %s", "Submitted: %s"), when);
	if (l->appointment_date[0] != '\0')
		plain_say(p, PLAIN_T(p, "Ngày hẹn trả: %s", "Appointment: %s"),
		    l->appointment_date);
}

/* Sends the lookup l wants and prints its answer: PLAIN_OK or PLAIN_QUIT. */
static int
send_lookup(struct plain *p, struct lookup *l)
{
	struct flow_run run;
	int rc;

	flow_run_init(&run, p->session, &lookup_flow, l);
	if ((rc = plain_flow(p, &run)) != PLAIN_OK)
		return rc;
	if (l->state == LOOKUP_FOUND)
		print_found(p, &l->result);
	else
		plain_say(p, "%s", l->message);
	return PLAIN_OK;
}

static int
run_lookup(struct plain *p)
{
	static const char *const labels[2][2] = {
		{ "Mã hồ sơ", "Dossier code" },
		{ "Số CCCD", "CCCD number" },
	};
	static const char *const rules[2][2] = {
		{ "như trên giấy tiếp nhận, 000.00.20.H34-261127-0001",
		    "as on the receipt, 000.00.20.H34-261127-0001" },
		{ "12 chữ số", "12 digits" },
	};
	struct plain_field f;
	struct plain_menu m;
	struct lookup l;
	const char *items[2];
	char *v[2] = { NULL, NULL }, *answer;
	size_t choice;
	int i = 0, rc = PLAIN_OK, en = p->opt.lang == LANG_EN;

	lookup_init(&l, p->opt.lang);
	plain_say(p, "%s", plain_t(p, "Tra cứu hồ sơ", "Look up a dossier"));
	while (rc == PLAIN_OK) {
		/* The two questions; "<" on the CCCD goes back to the code. */
		while (i < 2) {
			memset(&f, 0, sizeof f);
			f.label = labels[i][en];
			f.rule = rules[i][en];
			f.value = v[i];
			f.flags = PLAIN_FIELD_REQUIRED;
			f.max = 64;
			rc = plain_ask(p, &f, &answer);
			if (rc == PLAIN_BACK && i == 1) {
				i = 0;
				rc = PLAIN_OK;
				continue;
			}
			if (rc != PLAIN_OK)
				goto out;
			free(v[i]);
			v[i++] = answer;
		}
		if (!lookup_ask(&l, v[0], v[1])) {
			/* Said, and that question again. */
			plain_say(p, "%s", l.message);
			i = l.bad_field - 1;
			continue;
		}
		if ((rc = send_lookup(p, &l)) != PLAIN_OK)
			break;
		items[0] = plain_t(p, "Tra cứu hồ sơ khác", "Look up another");
		items[1] = plain_t(p, "Quay lại", "Back");
		memset(&m, 0, sizeof m);
		m.items = items;
		m.n = 2;
		m.def = 0;
		rc = plain_menu(p, &m, &choice);
		if (rc == PLAIN_OK && choice == 1)
			rc = PLAIN_BACK;
		i = 0;
	}
out:
	lookup_free(&l);
	free(v[0]);
	free(v[1]);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_lookup = {
	.label = { "Tra cứu hồ sơ", "Look up a dossier" },
	.when = PLAIN_ALWAYS,
	.run = run_lookup,
};
