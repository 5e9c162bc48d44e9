/*
 * The portal's routes.
 */
#include <stddef.h>

#include "portal/catalog.h"
#include "portal/dossier.h"
#include "portal/portal.h"
#include "portal/signature.h"
#include "portal/signing.h"

const struct route portal_routes[] = {
	{ "GET", "/api/v1/info", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_info, "the portal, its identity provider and providers" },
	{ "GET", "/api/v1/me", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_me, "the citizen the bearer token belongs to" },
	{ "GET", "/api/v1/procedures", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_list, "list and search the catalog" },
	{ "GET", "/api/v1/procedures/{code}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, catalog_detail, "a procedure in full" },
	{ "GET", "/api/v1/featured", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_featured, "the featured services" },
	{ "GET", "/api/v1/agencies", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_agencies, "the agencies, in Vietnamese order" },
	{ "GET", "/api/v1/fields", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_fields, "the fields (lĩnh vực), in Vietnamese order" },
	{ "POST", "/api/v1/dossiers", "portal", HTTP_JSON, 4 * 1024,
	    HTTP_STYLE_PORTAL, dossier_route_create, "start a draft" },
	{ "GET", "/api/v1/dossiers", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    dossier_route_list, "the citizen's dossiers" },
	{ "GET", "/api/v1/dossiers/{id}", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    dossier_route_get, "a dossier, with what it still lacks" },
	{ "PATCH", "/api/v1/dossiers/{id}", "portal", HTTP_JSON, 64 * 1024,
	    HTTP_STYLE_PORTAL, dossier_route_patch, "save part of the form" },
	{ "DELETE", "/api/v1/dossiers/{id}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, dossier_route_delete, "delete a draft" },
	{ "PUT", "/api/v1/dossiers/{id}/data", "portal", HTTP_JSON, 64 * 1024,
	    HTTP_STYLE_PORTAL, dossier_route_replace, "save the whole form" },
	{ "PUT", "/api/v1/dossiers/{id}/attachments/{document}", "portal",
	    NULL, DOSSIER_ATTACHMENT_MAX, HTTP_STYLE_PORTAL,
	    dossier_route_attach, "attach a PDF, JPEG or PNG" },
	{ "DELETE", "/api/v1/dossiers/{id}/attachments/{document}", "portal",
	    NULL, 0, HTTP_STYLE_PORTAL, dossier_route_detach,
	    "remove an attachment" },
	{ "GET", "/api/v1/signatures", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    signature_route_list, "the citizen's signatures" },
	{ "POST", "/api/v1/signatures", "portal", HTTP_JSON, 8 * 1024,
	    HTTP_STYLE_PORTAL, signature_route_create, "add a signature" },
	{ "GET", "/api/v1/signatures/{id}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signature_route_get, "a signature" },
	{ "PUT", "/api/v1/signatures/{id}", "portal", HTTP_JSON, 8 * 1024,
	    HTTP_STYLE_PORTAL, signature_route_update, "change a signature" },
	{ "DELETE", "/api/v1/signatures/{id}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signature_route_delete, "delete a signature" },
	{ "GET", "/api/v1/signatures/{id}/image", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signature_route_get_image, "the stamp image" },
	{ "PUT", "/api/v1/signatures/{id}/image", "portal", NULL,
	    SIGNATURE_IMAGE_MAX, HTTP_STYLE_PORTAL, signature_route_put_image,
	    "set the stamp image (PNG or JPEG)" },
	{ "DELETE", "/api/v1/signatures/{id}/image", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signature_route_delete_image,
	    "back to a text stamp" },
	{ "POST", "/api/v1/dossiers/{id}/signing", "portal", HTTP_JSON,
	    4 * 1024, HTTP_STYLE_PORTAL, signing_route_start,
	    "sign the dossier with a signature (Ký số)" },
	{ "GET", "/api/v1/dossiers/{id}/document", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signing_route_document,
	    "the signed declaration (PDF)" },
	{ "GET", "/api/v1/signing/{id}", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    signing_route_get, "a signing's state; ?wait=N long-polls" },
	{ "DELETE", "/api/v1/signing/{id}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, signing_route_cancel, "cancel a signing" },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};
