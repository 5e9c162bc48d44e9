/*
 * The account menu (the name at the top right of the portal's page):
 * "Thông tin tài khoản" from GET /api/v1/me, "Cập nhật chữ ký", "Hồ sơ
 * của tôi" and "Đăng xuất".  Once logged out (or the session lost) the
 * menu has nothing left and goes back home.
 */
#include <stdlib.h>

#include "plain.h"
#include "xmalloc.h"

static char *
account_label(struct plain *p)
{
	const char *who = session_name(p->session);

	return xasprintf("%s%s%s", plain_t(p, "Tài khoản", "Account"),
	    who != NULL ? ": " : "", who != NULL ? who : "");
}

static const struct plain_flow *const account[] = {
	&plain_flow_me,
	&plain_flow_signatures,
	&plain_flow_dossiers,
	&plain_flow_logout,
};

static int
run_account(struct plain *p)
{
	int rc;

	rc = plain_flows(p, plain_t(p, "Tài khoản", "Account"), account,
	    sizeof account / sizeof account[0], plain_t(p, "Quay lại",
	    "Back"), NULL);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_account = {
	.label = { "Tài khoản", "Account" },
	.label_now = account_label,
	.when = PLAIN_LOGGED_IN,
	.run = run_account,
};

/* "Thông tin tài khoản": asks /api/v1/me again, then its facts. */
static int
run_me(struct plain *p)
{
	const struct session_me *me;
	struct buf b;

	session_me_fetch(p->session);
	while (!p->quit && session_me_state(p->session) == SESSION_LOAD_BUSY)
		plain_step(p, -1);
	if (p->quit)
		return PLAIN_QUIT;
	me = session_me(p->session);
	if (me == NULL) {
		plain_say(p, "%s %s", plain_t(p, "Không tải được thông tin "
		    "tài khoản.", "Could not load the account details."),
		    session_error(p->session));
		return PLAIN_OK;
	}
	plain_say(p, "%s", plain_t(p, "Thông tin tài khoản",
	    "Account details"));
	buf_init(&b, 8192);
	session_me_facts(me, p->opt.lang, &b);
	plain_text(p, buf_str(&b));
	buf_free(&b);
	return PLAIN_OK;
}

const struct plain_flow plain_flow_me = {
	.label = { "Thông tin tài khoản", "Account details" },
	.when = PLAIN_LOGGED_IN,
	.run = run_me,
};

/* "Đăng xuất": forgets the session now; the tokens are revoked after. */
static int
run_logout(struct plain *p)
{
	session_logout(p->session);
	plain_say(p, "%s", plain_t(p, "Đã đăng xuất.", "Logged out."));
	p->focus = &plain_flow_login;
	return PLAIN_OK;
}

const struct plain_flow plain_flow_logout = {
	.label = { "Đăng xuất", "Log out" },
	.when = PLAIN_LOGGED_IN,
	.run = run_logout,
};
