/*
 * The lifecycle's table: the labels of the national statuses, the
 * transitions allowed and no others, and who may make each.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "portal/lifecycle.h"

static void
test_labels(void **state)
{
	(void)state;
	assert_string_equal(portal_dossier_status_label(1), "Mới đăng ký");
	assert_string_equal(portal_dossier_status_label(5),
	    "Yêu cầu bổ sung giấy tờ");
	assert_string_equal(portal_dossier_status_label(6),
	    "Yêu cầu thực hiện nghĩa vụ tài chính");
	assert_string_equal(portal_dossier_status_label(10), "Đã trả kết quả");
	assert_string_equal(portal_dossier_status_label(11), "");
	assert_string_equal(portal_dossier_status_label(-1), "");
	assert_string_equal(portal_dossier_status_name(4), "processing");
	assert_int_equal(portal_dossier_status_parse("7"), 7);
	assert_int_equal(portal_dossier_status_parse("withdrawing"), 7);
	assert_int_equal(portal_dossier_status_parse("0"), 0);
	assert_int_equal(portal_dossier_status_parse("11"), -1);
	assert_int_equal(portal_dossier_status_parse("7x"), -1);
	assert_int_equal(portal_dossier_status_parse(""), -1);
	assert_true(portal_dossier_status_terminal(3));
	assert_true(portal_dossier_status_terminal(8));
	assert_true(portal_dossier_status_terminal(10));
	assert_false(portal_dossier_status_terminal(9));
}

/* Every (from, to) the table allows, as research §3 draws them. */
static const int allowed[][2] = {
	{ 1, 2 }, { 1, 3 }, { 2, 4 }, { 4, 5 }, { 4, 6 }, { 4, 8 }, { 4, 9 },
	{ 5, 4 }, { 6, 4 }, { 6, 9 }, { 9, 10 }, { 7, 8 },
	{ 1, 7 }, { 2, 7 }, { 4, 7 }, { 5, 7 }, { 6, 7 },
};

static int
is_allowed(int from, int to)
{
	size_t i;

	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (allowed[i][0] == from && allowed[i][1] == to)
			return 1;
	return 0;
}

static void
test_table(void **state)
{
	const struct portal_lifecycle_transition *t;
	int from, to, n = 0, found;

	(void)state;
	for (t = portal_lifecycle_transitions; t->action != NULL; t++) {
		assert_true(is_allowed(t->from, t->to));
		assert_false(portal_dossier_status_terminal(t->from));
		assert_ptr_equal(portal_lifecycle_find(t->from, t->actor,
		    t->action), t);
		n++;
	}
	for (from = 0; from <= 10; from++)
		for (to = 0; to <= 10; to++) {
			found = 0;
			for (t = portal_lifecycle_transitions; t->action !=
			    NULL; t++)
				found |= t->from == from && t->to == to;
			assert_int_equal(found, is_allowed(from, to));
		}
	assert_int_equal(n, (int)(sizeof allowed / sizeof allowed[0]));
}

static void
test_actors(void **state)
{
	const struct portal_lifecycle_transition *t;

	(void)state;
	/* Only the citizen withdraws and sends the supplement back. */
	assert_null(portal_lifecycle_find(1, PORTAL_LIFECYCLE_OFFICER,
	    "withdraw"));
	t = portal_lifecycle_find(5, PORTAL_LIFECYCLE_CITIZEN, "supplement");
	assert_non_null(t);
	assert_int_equal(t->to, 4);
	assert_true(t->needs & PORTAL_LIFECYCLE_SIGNED);
	t = portal_lifecycle_find(4, PORTAL_LIFECYCLE_OFFICER, "supplement");
	assert_int_equal(t->to, 5);
	assert_true(t->needs & PORTAL_LIFECYCLE_NOTE);
	assert_null(portal_lifecycle_find(4, PORTAL_LIFECYCLE_CITIZEN,
	    "finish"));
	assert_null(portal_lifecycle_find(9, PORTAL_LIFECYCLE_CITIZEN,
	    "withdraw"));
	assert_true(portal_lifecycle_find(6, PORTAL_LIFECYCLE_OFFICER,
	    "fees") == NULL);
	assert_true(portal_lifecycle_find(4, PORTAL_LIFECYCLE_OFFICER,
	    "fees")->needs & PORTAL_LIFECYCLE_AMOUNT);
	assert_true(portal_lifecycle_find(9, PORTAL_LIFECYCLE_OFFICER,
	    "return")->needs & PORTAL_LIFECYCLE_RESULT);
	assert_true(portal_lifecycle_action_known(PORTAL_LIFECYCLE_OFFICER,
	    "receive"));
	assert_false(portal_lifecycle_action_known(PORTAL_LIFECYCLE_CITIZEN,
	    "receive"));
	assert_false(portal_lifecycle_action_known(PORTAL_LIFECYCLE_OFFICER,
	    "fly"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_actors),
	};

	return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
