/*
 * The modes of what the three programs leave on disk, after a whole flow
 * run under umask 022 and under umask 000: the server's data folder (its
 * databases with their -wal and -shm while it runs, secrets, keys), the
 * folder of dvc's store while dvc runs, the files dvc saves for the
 * citizen (a result file through the line mode; the signed declaration
 * and the receipt through the same tracking_save the full screen calls),
 * and dvc-phone's key folder: every file 0600 and every folder 0700, the
 * folders dvc and dvc-phone find open set back to 0700.  A data folder
 * others may read stops dvc-server, which names chmod 700.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "client/tracking.h"
#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define WAIT_MS	TRANSCRIPT_WAIT_MS

/* Login codes that outlive a slow machine's steps. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 60, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 30, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_server server;

static int
teardown(void **state)
{
	(void)state;
	umask(022);
	test_server_cleanup(&server);
	return 0;
}

/*
 * Every folder under dir (itself included) 0700 and every file 0600;
 * the number of files seen.
 */
static int
check_modes(const char *dir)
{
	struct dirent *e;
	struct stat sb;
	DIR *d;
	char *path;
	int n = 0;

	assert_int_equal(lstat(dir, &sb), 0);
	if ((sb.st_mode & 07777) != 0700)
		fail_msg("%s is mode %04o, not 0700", dir,
		    (unsigned)(sb.st_mode & 07777));
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		assert_int_equal(lstat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode))
			n += check_modes(path);
		else if ((sb.st_mode & 07777) != 0600)
			fail_msg("%s is mode %04o, not 0600", path,
			    (unsigned)(sb.st_mode & 07777));
		else
			n++;
		free(path);
	}
	closedir(d);
	return n;
}

static long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Each of the files in dir, mode 0600. */
static void
check_files(const char *dir, const char *const *names)
{
	struct stat sb;
	char *path;

	for (; *names != NULL; names++) {
		path = xasprintf("%s/%s", dir, *names);
		if (lstat(path, &sb) != 0)
			fail_msg("%s is not there", path);
		if ((sb.st_mode & 07777) != 0600)
			fail_msg("%s is mode %04o, not 0600", path,
			    (unsigned)(sb.st_mode & 07777));
		free(path);
	}
}

/* A line of `demo --json`'s n-th citizen: the value of key. */
static void
demo_value(int n, const char *key, char *out, size_t outsz)
{
	char *cmd, *text, *line, *save = NULL;
	const char *v = NULL;
	cJSON *j = NULL;
	int st, i;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), server.data);
	text = test_run(cmd, &st);
	assert_int_equal(st, 0);
	line = strtok_r(text, "\n", &save);
	for (i = 0; i < n && line != NULL; i++)
		line = strtok_r(NULL, "\n", &save);
	assert_non_null(line);
	assert_int_equal(json_parse(line, strlen(line), &j, NULL, 0),
	    STATUS_OK);
	assert_int_equal(json_get_string(j, key, 1, &v, NULL), STATUS_OK);
	snprintf(out, outsz, "%s", v);
	cJSON_Delete(j);
	free(text);
	free(cmd);
}

/* dvc-phone with its files in phone/: activates citizen n's signing app. */
static void
phone_activate(const char *phone, int n)
{
	char cccd[16], code[32], *cmd, *out;
	int st;

	demo_value(n, "cccd", cccd, sizeof cccd);
	demo_value(n, "activation_code", code, sizeof code);
	cmd = xasprintf("XDG_DATA_HOME='%s' '%s' --server %s activate "
	    "--cccd %s --code %s 2>&1", phone, test_build_path("dvc-phone"),
	    server.url, cccd, code);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("%s: %s", cmd, out);
	free(out);
	free(cmd);
}

static void
wait_for(struct transcript *t, const char *text)
{
	if (transcript_wait(t, text, WAIT_MS) != 0)
		fail_msg("waited for \"%s\"", text);
}

static void
answer(struct transcript *t, const char *question, const char *line)
{
	wait_for(t, question);
	assert_int_equal(transcript_send(t, line), 0);
}

/* dvc --plain logs citizen 0 in, approved with dvc-phone. */
static void
dvc_login(struct transcript *t, const char *client)
{
	const char *argv[] = { test_build_path("dvc"), "--plain", "--portal",
	    server.url, NULL };
	char *env[2], ucode[16], cccd[16], pass[16], *cmd, *out;
	int st;

	env[0] = xasprintf("XDG_DATA_HOME=%s", client);
	env[1] = NULL;
	assert_int_equal(transcript_start(t, argv, (const char *const *)env),
	    0);
	free(env[0]);
	answer(t, "Chọn số (1-6; Enter: 1): ", "5");
	wait_for(t, "Đang chờ xác nhận trên điện thoại");
	assert_int_equal(transcript_find(t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4})", ucode, sizeof ucode), 0);
	demo_value(0, "cccd", cccd, sizeof cccd);
	demo_value(0, "passcode", pass, sizeof pass);
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s "
	    "2>&1", test_build_path("dvc-phone"), server.url, ucode, cccd,
	    pass);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("%s: %s", cmd, out);
	free(out);
	free(cmd);
	wait_for(t, "Đăng nhập thành công");
}

/*
 * In "Hồ sơ của tôi", the returned dossier's result saved into saved/,
 * then its signed declaration with the receipt beside it.
 */
static void
dvc_save_result(struct transcript *t, const char *saved)
{
	answer(t, "Chọn số (1-6; Enter: 5): ", "5");
	answer(t, "Chọn số (1-5; Enter: 1): ", "3");
	answer(t, "Chọn số (1; Enter: 1): ", "");
	wait_for(t, "1. Lưu tệp kết quả ket-qua.pdf");
	answer(t, "Chọn số (1-3; Enter: 3): ", "1");
	answer(t, "Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: "
	    "ket-qua.pdf): ", saved);
	wait_for(t, "Đã lưu vào ");
	answer(t, "Chọn số (1-3; Enter: 3): ", "2");
	answer(t, "Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: thư mục "
	    "hiện tại): ", saved);
	wait_for(t, "Đã lưu ");
	wait_for(t, "Chọn số (1-3; Enter: 3): ");
}

static void
whole_flow_under(mode_t mask)
{
	struct transcript t;
	struct test_flow f;
	const char *names[4];
	char *client, *phone, *saved, *dir, *pdf, *txt;
	int st;

	umask(mask);
	assert_int_equal(test_server_start(&server, config, NULL), 0);
	client = xasprintf("%s/client", server.dir);
	phone = xasprintf("%s/phone", server.dir);
	saved = xasprintf("%s/saved", server.dir);
	assert_int_equal(mkdir(client, 0755), 0);
	assert_int_equal(mkdir(phone, 0755), 0);
	assert_int_equal(mkdir(saved, 0755), 0);
	/* Folders of their own found open: set back to 0700. */
	dir = xasprintf("%s/dvc", client);
	assert_int_equal(mkdir(dir, 0755), 0);
	free(dir);
	dir = xasprintf("%s/dvc-phone", phone);
	assert_int_equal(mkdir(dir, 0755), 0);
	phone_activate(phone, 1);
	assert_true(check_modes(dir) >= 1);
	free(dir);
	assert_int_equal(test_whole_flow(&server, 0, &f), 0);
	dvc_login(&t, client);
	dvc_save_result(&t, saved);
	/* While dvc and the server run: their WAL files too. */
	dir = xasprintf("%s/dvc", client);
	assert_true(check_modes(dir) >= 3);
	check_files(dir, (const char *const []){ "dvc.db", "dvc.db-wal",
	    "dvc.db-shm", NULL });
	free(dir);
	assert_true(check_modes(server.data) >= 12);
	check_files(server.data, (const char *const []){ "portal.db-wal",
	    "portal.db-shm", "idp.db-wal", "ca.db-wal", "idp-secret",
	    "ca-secret", "log-secret", NULL });
	names[0] = "ket-qua.pdf";
	names[1] = pdf = xasprintf("%s.pdf", f.code);
	names[2] = txt = xasprintf("%s.txt", f.code);
	names[3] = NULL;
	check_files(saved, names);
	free(pdf);
	free(txt);
	transcript_close(&t);
	st = transcript_finish(&t, WAIT_MS);
	assert_true(WIFEXITED(st));
	transcript_free(&t);
	assert_int_equal(test_server_stop(&server), 0);
	assert_true(check_modes(server.data) >= 9);
	/* A clean stop leaves no WAL behind. */
	dir = xasprintf("%s/portal.db-wal", server.data);
	assert_true(access(dir, F_OK) == -1 || file_size(dir) == 0);
	free(dir);
	free(saved);
	free(phone);
	free(client);
}

static void
test_umask_022(void **state)
{
	(void)state;
	whole_flow_under(022);
}

static void
test_umask_000(void **state)
{
	(void)state;
	whole_flow_under(000);
}

/* A data folder others may enter: refused, naming the command. */
static void
test_open_data_folder_refused(void **state)
{
	char *dir, *cmd, *out, *want;
	int st;

	(void)state;
	assert_int_equal(test_server_start(&server, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&server), 0);
	dir = xasprintf("%s/open", server.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	cmd = xasprintf("'%s' --listen 127.0.0.1:0 --data '%s' </dev/null "
	    "2>&1", test_build_path("dvc-server"), dir);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	want = xasprintf("chmod 700 %s", dir);
	if (strstr(out, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, out);
	free(out);
	/* Nothing was made in it. */
	free(cmd);
	cmd = xasprintf("ls -A '%s'", dir);
	out = test_run(cmd, &st);
	assert_string_equal(out, "");
	free(out);
	free(cmd);
	/* The server's own data folder, opened, is refused as well. */
	assert_int_equal(chmod(server.data, 0750), 0);
	cmd = xasprintf("'%s' --listen 127.0.0.1:0 --data '%s' </dev/null "
	    "2>&1", test_build_path("dvc-server"), server.data);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "chmod 700"));
	free(out);
	free(cmd);
	assert_int_equal(chmod(server.data, 0700), 0);
	assert_int_equal(test_server_restart(&server), 0);
	free(want);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_umask_022, teardown),
		cmocka_unit_test_teardown(test_umask_000, teardown),
		cmocka_unit_test_teardown(test_open_data_folder_refused,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
