/*
 * The home menu: the portal's menus as on its web page ("Dịch vụ công
 * trực tuyến", "Dịch vụ hành chính công nổi bật", "Tìm kiếm nâng cao", "Tra cứu hồ
 * sơ"), then "Đăng nhập" or, once logged in, the account, and "Thoát".
 * A flow joins the menu by a line in this table.  "<" asks before it
 * quits, and the way out says goodbye.
 */
#include "plain.h"

static const struct plain_flow *const home[] = {
	&plain_flow_catalog,
	&plain_flow_featured,
	&plain_flow_search,
	&plain_flow_lookup,
	&plain_flow_login,
	&plain_flow_account,
};

int
plain_home(struct plain *p)
{
	int rc;

	/* A draft cut short comes back first, where it was. */
	if (plain_wizard_restore(p) == PLAIN_QUIT)
		return PLAIN_QUIT;
	rc = plain_flows(p, plain_t(p, "Trang chủ", "Home"), home,
	    sizeof home / sizeof home[0], plain_t(p, "Thoát", "Quit"),
	    plain_t(p, "Thoát dvc?", "Quit dvc?"));
	if (rc == PLAIN_BACK)
		plain_say(p, "%s", plain_t(p, "Tạm biệt.", "Goodbye."));
	return rc == PLAIN_BACK ? PLAIN_OK : rc;
}
