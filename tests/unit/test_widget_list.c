/*
 * Unit tests of the list (ui/widget.c): the selection moved by actions
 * and by Home and End, wrapping at both ends, what each move says
 * changed, the keys that are not the list's (pages are the screens'),
 * an empty list, and the top row following the selection as the height
 * changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "widget.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static unsigned
act(struct list *l, enum action a)
{
	struct key k = { KEY_C_NONE, 0 };

	return list_handle(l, a, &k);
}

static unsigned
press(struct list *l, enum key_code code)
{
	struct key k = { code, 0 };

	return list_handle(l, ACTION_NONE, &k);
}

static void
assert_list(const struct list *l, size_t sel, size_t top)
{
	assert_int_equal(l->sel, sel);
	assert_int_equal(l->top, top);
}

static void
test_moves(void **state)
{
	struct list l = { 5, 0, 0 };

	(void)state;
	assert_int_equal(act(&l, ACTION_DOWN), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 1);
	assert_int_equal(act(&l, ACTION_NEXT), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 2);
	assert_int_equal(act(&l, ACTION_UP), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 1);
	assert_int_equal(act(&l, ACTION_PREV), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 0);
	/* Both ends wrap. */
	assert_int_equal(act(&l, ACTION_UP), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 4);
	assert_int_equal(act(&l, ACTION_DOWN), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 0);
	assert_int_equal(act(&l, ACTION_PREV), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 4);
	assert_int_equal(act(&l, ACTION_NEXT), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 0);
	/* Home and End, as keys (no action of their own). */
	assert_int_equal(press(&l, KEY_C_END), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 4);
	assert_int_equal(press(&l, KEY_C_END), WIDGET_CH_CURSOR);
	assert_int_equal(l.sel, 4);
	assert_int_equal(press(&l, KEY_C_HOME), WIDGET_CH_SELECTION);
	assert_int_equal(l.sel, 0);
	assert_int_equal(press(&l, KEY_C_HOME), WIDGET_CH_CURSOR);
	assert_int_equal(l.sel, 0);
	/* The top row is list_scroll's alone. */
	assert_int_equal(l.top, 0);
}

static void
test_one_item(void **state)
{
	struct list l = { 1, 0, 0 };

	(void)state;
	/* Taken, but nothing moves: only the cursor is drawn again. */
	assert_int_equal(act(&l, ACTION_DOWN), WIDGET_CH_CURSOR);
	assert_int_equal(act(&l, ACTION_UP), WIDGET_CH_CURSOR);
	assert_int_equal(act(&l, ACTION_NEXT), WIDGET_CH_CURSOR);
	assert_int_equal(act(&l, ACTION_PREV), WIDGET_CH_CURSOR);
	assert_int_equal(press(&l, KEY_C_END), WIDGET_CH_CURSOR);
	assert_int_equal(l.sel, 0);
}

static void
test_not_for_it(void **state)
{
	static const enum action acts[] = {
		ACTION_SELECT, ACTION_BACK, ACTION_PAGE_NEXT,
		ACTION_PAGE_PREV, ACTION_QUIT, ACTION_HELP, ACTION_DELETE,
	};
	static const enum key_code codes[] = {
		KEY_C_PGDN, KEY_C_PGUP, KEY_C_ENTER, KEY_C_LEFT, KEY_C_RIGHT,
		KEY_C_ESC, KEY_C_CHAR,
	};
	struct list l = { 30, 7, 3 };
	size_t i;

	(void)state;
	/* Pages belong to the screens (the catalog asks the portal for
	 * the next 15), so the list leaves PgDn and PgUp to them. */
	for (i = 0; i < nitems(acts); i++) {
		struct key k = { KEY_C_PGDN, 0 };

		if (list_handle(&l, acts[i], &k) != 0)
			fail_msg("action %d was taken by the list", acts[i]);
		if (list_handle(&l, acts[i], NULL) != 0)
			fail_msg("action %d was taken by the list", acts[i]);
	}
	for (i = 0; i < nitems(codes); i++)
		if (press(&l, codes[i]) != 0)
			fail_msg("key code %d was taken by the list", codes[i]);
	assert_int_equal(list_handle(&l, ACTION_NONE, NULL), 0);
	assert_list(&l, 7, 3);
}

static void
test_empty(void **state)
{
	static const enum action acts[] = {
		ACTION_UP, ACTION_DOWN, ACTION_NEXT, ACTION_PREV,
	};
	struct list l = { 0, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < nitems(acts); i++)
		assert_int_equal(act(&l, acts[i]), 0);
	assert_int_equal(press(&l, KEY_C_HOME), 0);
	assert_int_equal(press(&l, KEY_C_END), 0);
	list_scroll(&l, 10);
	assert_list(&l, 0, 0);
}

static void
test_scroll(void **state)
{
	struct list l = { 20, 0, 0 };
	int i;

	(void)state;
	/* Down within the 5 rows: the top stays. */
	for (i = 0; i < 4; i++)
		act(&l, ACTION_DOWN);
	list_scroll(&l, 5);
	assert_list(&l, 4, 0);
	/* One more: the selection is the last row shown. */
	act(&l, ACTION_DOWN);
	list_scroll(&l, 5);
	assert_list(&l, 5, 1);
	for (i = 0; i < 3; i++)
		act(&l, ACTION_DOWN);
	list_scroll(&l, 5);
	assert_list(&l, 8, 4);
	/* Up within the rows shown: the top stays, then follows. */
	for (i = 0; i < 4; i++)
		act(&l, ACTION_UP);
	list_scroll(&l, 5);
	assert_list(&l, 4, 4);
	act(&l, ACTION_UP);
	list_scroll(&l, 5);
	assert_list(&l, 3, 3);
	/* End, Home and a wrap jump the top with them. */
	press(&l, KEY_C_END);
	list_scroll(&l, 5);
	assert_list(&l, 19, 15);
	press(&l, KEY_C_HOME);
	list_scroll(&l, 5);
	assert_list(&l, 0, 0);
	act(&l, ACTION_UP);
	list_scroll(&l, 5);
	assert_list(&l, 19, 15);
	act(&l, ACTION_DOWN);
	list_scroll(&l, 5);
	assert_list(&l, 0, 0);
	/* No rows: nothing to follow. */
	l.sel = 12;
	list_scroll(&l, 0);
	assert_list(&l, 12, 0);
}

static void
test_resize(void **state)
{
	struct list l = { 20, 12, 0 };

	(void)state;
	list_scroll(&l, 10);
	assert_list(&l, 12, 3);
	/* Smaller: the selection stays on screen, at its last row. */
	list_scroll(&l, 4);
	assert_list(&l, 12, 9);
	list_scroll(&l, 1);
	assert_list(&l, 12, 12);
	/* Larger: the selection still shown, the rows below filled. */
	list_scroll(&l, 4);
	assert_list(&l, 12, 12);
	list_scroll(&l, 10);
	assert_list(&l, 12, 10);
	/* Room for all: all shown, from the first. */
	list_scroll(&l, 30);
	assert_list(&l, 12, 0);
	/* At the end, a taller window shows more of what is above. */
	l.sel = 19;
	list_scroll(&l, 5);
	assert_list(&l, 19, 15);
	list_scroll(&l, 8);
	assert_list(&l, 19, 12);
	/* The list made shorter (a new answer): no empty rows below. */
	l.n = 6;
	l.sel = 5;
	list_scroll(&l, 5);
	assert_list(&l, 5, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_one_item),
		cmocka_unit_test(test_not_for_it),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_resize),
	};
	return cmocka_run_group_tests_name("widget_list", tests, NULL, NULL);
}
