/*
 * How a signing transaction shows: its state from the provider's code and
 * its description in the API, with every document the phone signs.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "json.h"
#include "portal/ca_client.h"
#include "portal/signing_state.h"
#include "portal/signing_store.h"
#include "server.h"
#include "signproto.h"

const char *
portal_signing_state_of(int tran_status)
{
	switch (tran_status) {
	case 1:
		return PORTAL_SIGNING_SIGNED;
	case 4000:
		return PORTAL_SIGNING_WAITING;
	case 4001:
		return PORTAL_SIGNING_EXPIRED;
	case 4002:
		return PORTAL_SIGNING_REJECTED;
	case 4009:
		return PORTAL_SIGNING_CANCELLED;
	default:
		return PORTAL_SIGNING_FAILED;
	}
}

static void
add_doc(void *ctx, const char *doc_id, const char *doc_name)
{
	cJSON *d = cJSON_CreateObject();
	char shown[16];

	if (doc_id != NULL && strlen(doc_id) == SIGNPROTO_CODE_LEN)
		signproto_code_display(doc_id, shown);
	else
		snprintf(shown, sizeof shown, "%s", doc_id != NULL ? doc_id :
		    "");
	cJSON_AddStringToObject(d, "doc_id", shown);
	cJSON_AddStringToObject(d, "name", doc_name != NULL ? doc_name : "");
	cJSON_AddItemToArray(ctx, d);
}

cJSON *
portal_signing_describe(struct server *srv, const struct portal_signing *s)
{
	const struct provider *p = portal_ca_provider(srv, s->provider);
	cJSON *o, *w = NULL;
	char shown[16], when[40];
	int64_t left = s->expires_at - clock_now();

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "signing_id", s->public_id);
	cJSON_AddStringToObject(o, "state", s->state);
	cJSON_AddNumberToObject(o, "tran_status", s->tran_status);
	cJSON_AddStringToObject(o, "provider", s->provider);
	cJSON_AddStringToObject(o, "provider_name", p != NULL ? p->name :
	    s->provider);
	signproto_code_display(s->doc_id, shown);
	cJSON_AddStringToObject(o, "doc_id", shown);
	cJSON_AddStringToObject(o, "control_code", s->control_code);
	/* Every file the phone signs, as it lists them. */
	portal_signing_docs(srv->db[SERVER_PORTAL], s->id, add_doc,
	    cJSON_AddArrayToObject(o, "documents"));
	clock_format_vn(s->expires_at, when, sizeof when, "iso8601");
	cJSON_AddStringToObject(o, "expires_at", when);
	cJSON_AddNumberToObject(o, "expires_in", (double)(left > 0 &&
	    strcmp(s->state, PORTAL_SIGNING_WAITING) == 0 ? left : 0));
	if (json_parse(s->warnings, strlen(s->warnings), &w, NULL, 0) !=
	    STATUS_OK)
		w = cJSON_CreateArray();
	cJSON_AddItemToObject(o, "warnings", w);
	/* What sending it again needs: the same signature, the same text. */
	if (s->signature_id[0] != '\0')
		cJSON_AddStringToObject(o, "signature_id", s->signature_id);
	else
		cJSON_AddNullToObject(o, "signature_id");
	if (s->declaration_etag[0] != '\0')
		cJSON_AddStringToObject(o, "declaration_etag",
		    s->declaration_etag);
	else
		cJSON_AddNullToObject(o, "declaration_etag");
	return o;
}

