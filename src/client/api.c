/*
 * Fetching the portal's description, the one call from which a client
 * learns everything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/api.h"
#include "httpc.h"
#include "json.h"
#include "xmalloc.h"

enum status
api_info_parse(const char *body, size_t len, const char *url,
    struct api_info *info, char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *idp = NULL, *list = NULL, *anchors = NULL, *p;
	const char *name, *province, *issuer, *client_id, *id, *pname;
	cJSON *root = NULL;
	char perr[160];
	enum status s;

	memset(info, 0, sizeof *info);
	s = json_parse(body, len, &root, perr, sizeof perr);
	if (s != STATUS_OK) {
		snprintf(err, errsz, "%s: %s", url, perr);
		return s;
	}
	name = province = issuer = client_id = NULL;
	if ((s = json_get_string(root, "name", 1, &name, &je)) ||
	    (s = json_get_string(root, "province", 1, &province, &je)) ||
	    (s = json_get_object(root, "idp", 1, &idp, &je)) ||
	    (s = json_get_string(idp, "issuer", 1, &issuer, &je)) ||
	    (s = json_get_string(idp, "client_id", 1, &client_id, &je)) ||
	    (s = json_get_array(root, "providers", 1, &list, &je)))
		goto bad;
	info->name = xstrdup(name);
	info->province = xstrdup(province);
	info->issuer = xstrdup(issuer);
	info->client_id = xstrdup(client_id);
	cJSON_ArrayForEach(p, list) {
		if (info->nproviders == API_MAX_PROVIDERS)
			break;
		id = pname = NULL;
		if ((s = json_get_string(p, "id", 1, &id, &je)) ||
		    (s = json_get_string(p, "name", 1, &pname, &je)))
			goto bad;
		info->providers[info->nproviders].id = xstrdup(id);
		info->providers[info->nproviders].name = xstrdup(pname);
		info->nproviders++;
	}
	/* Optional for older portals. */
	if ((s = json_get_array(root, "signature_anchors", 0, &anchors, &je)))
		goto bad;
	cJSON_ArrayForEach(p, anchors) {
		if (info->nanchors == API_MAX_ANCHORS)
			break;
		if (cJSON_IsString(p) && p->valuestring[0] != '\0')
			info->anchors[info->nanchors++] =
			    xstrdup(p->valuestring);
	}
	cJSON_Delete(root);
	return STATUS_OK;
bad:
	snprintf(err, errsz, "%s: %s", url, je.message);
	api_info_free(info);
	cJSON_Delete(root);
	return s;
}

void
api_info_error(const char *base, const char *url, enum status s,
    long http_status, const char *detail, enum lang lang, char *err,
    size_t errsz)
{
	if (s == STATUS_ERR_TLS)
		/* detail says what is wrong and what to do. */
		snprintf(err, errsz, lang == LANG_EN ?
		    "cannot connect securely to the portal at %s: %s." :
		    "không kết nối an toàn được tới cổng dịch vụ công tại %s: "
		    "%s.", base, detail);
	else if (s != STATUS_OK)
		snprintf(err, errsz, lang == LANG_EN ?
		    "cannot reach the portal at %s: %s. Check the address "
		    "and that the server is running." :
		    "không kết nối được cổng dịch vụ công tại %s: %s. Hãy "
		    "kiểm tra địa chỉ và máy chủ.", base, detail);
	else
		snprintf(err, errsz, lang == LANG_EN ?
		    "%s answered HTTP %ld; is it a dvc portal?" :
		    "%s trả lời HTTP %ld; đây có phải cổng dịch vụ công?",
		    url, http_status);
}

enum status
api_info_fetch(struct httpc *h, const char *base, struct api_info *info,
    enum lang lang, char *err, size_t errsz)
{
	struct httpc_response resp;
	char *url;
	enum status s;

	memset(info, 0, sizeof *info);
	url = api_info_url(base);
	s = httpc_get(h, url, &resp);
	if (s != STATUS_OK || resp.status != 200) {
		api_info_error(base, url, s, resp.status, httpc_error(h), lang,
		    err, errsz);
		if (s == STATUS_OK)
			s = STATUS_ERR_HTTP;
		goto out;
	}
	s = api_info_parse(buf_str(&resp.body), resp.body.len, url, info,
	    err, errsz);
out:
	httpc_response_free(&resp);
	free(url);
	return s;
}

char *
api_info_url(const char *base)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/api/v1/info", (int)n, base);
}

void
api_info_free(struct api_info *info)
{
	size_t i;

	free(info->name);
	free(info->province);
	free(info->issuer);
	free(info->client_id);
	for (i = 0; i < info->nproviders; i++) {
		free(info->providers[i].id);
		free(info->providers[i].name);
	}
	for (i = 0; i < info->nanchors; i++)
		free(info->anchors[i]);
	memset(info, 0, sizeof *info);
}
