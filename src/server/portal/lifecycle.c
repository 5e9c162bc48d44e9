/*
 * The statuses of a dossier and the one table of the changes allowed
 * between them (domain research §3):
 *
 *	1 -> 2 | 3		received, or refused at reception
 *	2 -> 4			sent for processing
 *	4 -> 5 | 6 | 8 | 9	supplement asked, fees asked, stopped, done
 *	5 -> 4			the citizen supplemented (re-signed)
 *	6 -> 4 | 9		paid: processing goes on, or it is done
 *	1, 2, 4, 5, 6 -> 7	the citizen asks to withdraw it
 *	7 -> 8			the withdrawal is carried out
 *	9 -> 10			the result is returned
 */
#include <stdlib.h>
#include <string.h>

#include "portal/lifecycle.h"

static const struct {
	const char	*name;
	const char	*label;
} statuses[PORTAL_DOSSIER__STATUSES] = {
#define X(e, n, nm, lb) [n] = { nm, lb },
	PORTAL_DOSSIER_STATUS_INFO(X)
#undef X
};

#define OFFICER	PORTAL_LIFECYCLE_OFFICER
#define CITIZEN	PORTAL_LIFECYCLE_CITIZEN

const struct portal_lifecycle_transition portal_lifecycle_transitions[] = {
	{ 1, 2, OFFICER, "receive", 0, "receive it at the one-stop desk" },
	{ 1, 3, OFFICER, "refuse", PORTAL_LIFECYCLE_NOTE,
	    "refuse it at reception, "
	    "saying why" },
	{ 2, 4, OFFICER, "process", 0, "send it for processing" },
	{ 6, 4, OFFICER, "process", 0, "the fees are paid: processing goes "
	    "on" },
	{ 4, 5, OFFICER, "supplement", PORTAL_LIFECYCLE_NOTE, "ask for a "
	    "supplement, saying what is missing" },
	{ 4, 6, OFFICER, "fees", PORTAL_LIFECYCLE_AMOUNT, "ask for the fees" },
	{ 4, 8, OFFICER, "stop", PORTAL_LIFECYCLE_NOTE,
	    "stop processing, saying "
	    "why" },
	{ 7, 8, OFFICER, "stop", 0, "carry out the citizen's withdrawal" },
	{ 4, 9, OFFICER, "finish", 0, "processing is done" },
	{ 6, 9, OFFICER, "finish", 0, "the fees are paid and it is done" },
	{ 9, 10, OFFICER, "return", PORTAL_LIFECYCLE_RESULT,
	    "return the result "
	    "file" },
	{ 5, 4, CITIZEN, "supplement", PORTAL_LIFECYCLE_SIGNED, "send the "
	    "supplemented files, signed again" },
	{ 1, 7, CITIZEN, "withdraw", 0, "withdraw the dossier" },
	{ 2, 7, CITIZEN, "withdraw", 0, "withdraw the dossier" },
	{ 4, 7, CITIZEN, "withdraw", 0, "withdraw the dossier" },
	{ 5, 7, CITIZEN, "withdraw", 0, "withdraw the dossier" },
	{ 6, 7, CITIZEN, "withdraw", 0, "withdraw the dossier" },
	{ 0, 0, OFFICER, NULL, 0, NULL }
};

const char *
portal_dossier_status_name(int status)
{
	if (status < 0 || status >= PORTAL_DOSSIER__STATUSES)
		return "";
	return statuses[status].name;
}

const char *
portal_dossier_status_label(int status)
{
	if (status < 0 || status >= PORTAL_DOSSIER__STATUSES)
		return "";
	return statuses[status].label;
}

int
portal_dossier_status_terminal(int status)
{
	return status == PORTAL_DOSSIER_REFUSED || status ==
	    PORTAL_DOSSIER_STOPPED || status == PORTAL_DOSSIER_RETURNED;
}

int
portal_dossier_status_parse(const char *s)
{
	char *end;
	long n;
	int i;

	if (s == NULL || *s == '\0')
		return -1;
	n = strtol(s, &end, 10);
	if (*end == '\0')
		return n >= 0 && n < PORTAL_DOSSIER__STATUSES ? (int)n : -1;
	for (i = 0; i < PORTAL_DOSSIER__STATUSES; i++)
		if (strcmp(s, statuses[i].name) == 0)
			return i;
	return -1;
}

const struct portal_lifecycle_transition *
portal_lifecycle_find(int from, enum portal_lifecycle_actor actor,
    const char *action)
{
	const struct portal_lifecycle_transition *t;

	for (t = portal_lifecycle_transitions; t->action != NULL; t++)
		if (t->from == from && t->actor == actor &&
		    strcmp(t->action, action) == 0)
			return t;
	return NULL;
}

int
portal_lifecycle_action_known(enum portal_lifecycle_actor actor,
    const char *action)
{
	const struct portal_lifecycle_transition *t;

	for (t = portal_lifecycle_transitions; t->action != NULL; t++)
		if (t->actor == actor && strcmp(t->action, action) == 0)
			return 1;
	return 0;
}
