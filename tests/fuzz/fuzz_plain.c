/*
 * libFuzzer target: the line mode's answer reader (plain/plain.c), the
 * lines a citizen or a script types at dvc --plain.  The input is what
 * arrives on standard input, read to its end: the questions of the
 * flows (a field with Telex or VNI, a numbered menu, a yes/no question,
 * a wait's line) take its lines in turn until it runs out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plain.h"
#include "tmpdir.h"
#include "validate.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct plain	*p;
static char		*dir;

static void
finish(void)
{
	plain_free(&p);
	fuzz_tmpdir_remove(dir);
}

/* The check of a CCCD field, as the account's and the wizard's. */
static int
check_cccd(void *ctx, const char *answer, char *msg, size_t msgsz)
{
	struct cccd_info ci;

	(void)ctx;
	if (cccd_check(answer, NULL, CCCD_GENDER_ANY, &ci) == VALIDATE_ERR_OK)
		return 0;
	snprintf(msg, msgsz, "CCCD gồm 12 chữ số.");
	return 1;
}

static void
setup(void)
{
	struct plain_options opt;
	char err[256];

	dir = fuzz_tmpdir("plain");
	memset(&opt, 0, sizeof opt);
	opt.portal = "http://127.0.0.1:9";
	opt.store_dir = dir;
	opt.lang = LANG_VI;
	if ((p = plain_new(&opt, err, sizeof err)) == NULL) {
		fprintf(stderr, "fuzz_plain: %s\n", err);
		abort();
	}
	if ((p->out = fopen("/dev/null", "w")) == NULL)
		abort();
	p->in_tty = 0;
	atexit(finish);
}

/* One question of each kind in turn; PLAIN_QUIT at the end of input. */
static int
ask(unsigned i)
{
	static const char *const items[] = { "Đăng ký khai sinh",
	    "Cấp lại thẻ CCCD", "Đăng ký thường trú" };
	struct plain_menu m = { .title = "Thủ tục", .items = items, .n = 3,
	    .def = 0, .help = "Chọn một thủ tục." };
	struct plain_field f = { .label = "Họ và tên", .rule = "chữ in hoa",
	    .value = "NGUYỄN VĂN A", .help = "Như trên giấy khai sinh.",
	    .flags = PLAIN_FIELD_VI | PLAIN_FIELD_REQUIRED, .max = 100 };
	struct plain_field id = { .label = "Số CCCD", .rule = "12 chữ số",
	    .flags = PLAIN_FIELD_REQUIRED, .max = 12, .check = check_cccd };
	enum plain_wait_cmd cmd;
	char *answer = NULL;
	size_t choice;
	int rc, yes;

	switch (i % 5) {
	case 0:
		rc = plain_ask(p, &f, &answer);
		break;
	case 1:
		rc = plain_menu(p, &m, &choice);
		break;
	case 2:
		rc = plain_confirm(p, "Nộp hồ sơ?", &yes);
		break;
	case 3:
		rc = plain_ask(p, &id, &answer);
		break;
	default:
		rc = plain_wait_line(p, "c: hủy.", i % 2, &cmd, &answer);
		break;
	}
	free(answer);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	unsigned i;

	if (p == NULL)
		setup();
	buf_reset(&p->in);
	if (len > 32 * 1024 || buf_add(&p->in, data, len) != STATUS_OK)
		return 0;
	p->eof = 1;
	p->too_long = 0;
	p->quit = 0;
	p->mid_line = 0;
	p->method = TELEX_OFF;
	for (i = 0; i < 100000; i++)
		if (ask(i) == PLAIN_QUIT || p->in.len == 0)
			break;
	return 0;
}
