/*
 * GET /idp/userinfo (OpenID Connect Core §5.3): the citizen's name, birth
 * date and gender, which access tokens leave out.
 */
#ifndef DVC_IDP_USERINFO_H
#define DVC_IDP_USERINFO_H

#include "http.h"

void	idp_userinfo(struct http_req *, struct http_resp *);

#endif
