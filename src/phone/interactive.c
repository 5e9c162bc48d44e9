/*
 * dvc-phone's interactive mode: a plain-text loop over standard input
 * (a terminal or a pipe) that shows the citizen's signing requests as
 * they come, through a long poll on /ca/app/requests with wait and
 * cursor, asks y/n and then the PIN for each, and approves logins from a
 * scanned URL or a typed user code.
 *
 * One poll() waits on standard input and on the long poll together, so a
 * typed line is answered at once.  Lines are read in order and each is
 * taken by the question being asked (enum ask): with a pipe, "y", the PIN
 * and "q" answer the first request and quit.  The PIN and the passcode
 * are read without echo when standard input is a terminal.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "json.h"
#include "phone/interactive.h"
#include "phone/login.h"
#include "phone/phone.h"
#include "phone/phone_device.h"
#include "phone/signing.h"
#include "signproto.h"
#include "xmalloc.h"

#define POLL_WAIT	25		/* seconds the server may hold a poll */
#define POLL_TIMEOUT_MS	((POLL_WAIT + 15) * 1000L)
#define RETRY_MS	5000		/* after a failed poll */
#define LINE_MAX_BYTES	4096
/* A request shown: 100 documents of 200-byte titles fit. */
#define SHOW_MAX_BYTES	(64 * 1024)

/* The question the next line answers. */
enum ask {
	ASK_NONE,		/* a command, a login code or URL */
	ASK_SIGN,		/* y/n for the current request */
	ASK_PIN,		/* its PIN */
	ASK_LOGIN,		/* y/n for a login */
	ASK_PASSCODE		/* the VNeID passcode for it */
};

/* A request the phone has shown, with the state it was last seen in. */
struct seen {
	char	id[SIGNPROTO_CODE_LEN + 1];
	char	state[16];
	int	queued;		/* waiting, to be asked about */
};

struct phone_session {
	struct phone		*ph;
	struct phone_device	*dev;		/* NULL: logins only */
	const char		*passcode;	/* --passcode, or NULL */
	struct httpc		*poll_http;
	struct httpc_multi	*multi;
	int			 polling;
	long long		 next_poll_ms;	/* when not polling */
	char			 cursor[64];
	cJSON			*last_list;	/* the last list answer */

	struct seen		*seen;
	size_t			 nseen;

	enum ask		 ask;
	char			 current[SIGNPROTO_CODE_LEN + 1];
	char			 login_code[16];
	int			 login_approve;

	struct buf		 in;		/* a line not yet ended */
	int			 tty;
	int			 prompt_open;	/* a prompt waits on its line */
	int			 echo_off;
	struct termios		 saved;
	int			 quit;
};

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the terminal ---- */

static void
echo_set(struct phone_session *s, int on)
{
	struct termios t;

	if (!s->tty || s->echo_off == !on)
		return;
	if (on)
		tcsetattr(STDIN_FILENO, TCSANOW, &s->saved);
	else {
		t = s->saved;
		t.c_lflag &= ~(tcflag_t)ECHO;
		t.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	s->echo_off = !on;
}

/* Asks q: prints its prompt, with echo off for the secrets. */
static void
ask(struct phone_session *s, enum ask q)
{
	struct phone *ph = s->ph;

	s->ask = q;
	s->prompt_open = 1;
	echo_set(s, q != ASK_PIN && q != ASK_PASSCODE);
	switch (q) {
	case ASK_NONE:
		printf("> ");
		break;
	case ASK_SIGN:
		printf("%s", PHONE_T(ph, "Xác nhận ký? (y/n) ",
		    "Sign it? (y/n) "));
		break;
	case ASK_PIN:
		printf("%s", PHONE_T(ph, "Mã PIN ký số: ", "Signing PIN: "));
		break;
	case ASK_LOGIN:
		printf("%s", PHONE_T(ph, "Đồng ý đăng nhập? (y/n) ",
		    "Approve the login? (y/n) "));
		break;
	case ASK_PASSCODE:
		printf("%s", PHONE_T(ph, "Mật khẩu VNeID: ",
		    "VNeID passcode: "));
		break;
	}
	fflush(stdout);
}

/* Ends the line of an open prompt before something else is shown. */
static void
end_prompt(struct phone_session *s)
{
	if (s->prompt_open)
		putchar('\n');
	s->prompt_open = 0;
}

/* ---- what the phone has seen ---- */

static struct seen *
seen_find(struct phone_session *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (strcmp(s->seen[i].id, id) == 0)
			return &s->seen[i];
	return NULL;
}

static struct seen *
seen_add(struct phone_session *s, const char *id)
{
	struct seen *e;

	s->seen = xreallocarray(s->seen, s->nseen + 1, sizeof *s->seen);
	e = &s->seen[s->nseen++];
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", id);
	return e;
}

/* e's state: a word of the protocol ("waiting", "signed", ...), cut to fit. */
static void
set_state(struct seen *e, const char *state)
{
	size_t n = strnlen(state, sizeof e->state - 1);

	memcpy(e->state, state, n);
	e->state[n] = '\0';
}

/* The first request waiting to be asked about, or NULL. */
static struct seen *
next_queued(struct phone_session *s)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].queued)
			return &s->seen[i];
	return NULL;
}

static const char *
str_of(const cJSON *o, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return v != NULL ? v : "";
}

/* Request id in the last list the server gave, or NULL. */
static const cJSON *
request_in_list(struct phone_session *s, const char *id)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(s->last_list, "requests"))
		if (strcmp(str_of(r, "id"), id) == 0)
			return r;
	return NULL;
}

/*
 * Shows request r as it is asked about: the control code and the
 * documents first and clear, then who asks and for what.
 */
static void
show_request(struct phone_session *s, const cJSON *r)
{
	struct phone *ph = s->ph;
	const char *sp = str_of(r, "service_provider");
	struct buf b;
	enum status st;

	buf_init(&b, SHOW_MAX_BYTES);
	st = buf_printf(&b, "\n== %s ", PHONE_T(ph, "Yêu cầu ký",
	    "Signing request"));
	if (st == STATUS_OK)
		st = phone_buf_add_clean(&b, str_of(r, "display_id"));
	if (st == STATUS_OK)
		st = buf_printf(&b, " ==\n%s %s  ", PHONE_T(ph,
		    "Mã kiểm tra", "Control code"), str_of(r, "control_code"));
	if (st == STATUS_OK)
		st = phone_buf_add_docs(ph, &b, r, 1);
	if (st == STATUS_OK)
		st = buf_addc(&b, '\n');
	if (st == STATUS_OK)
		st = phone_buf_add_clean(&b, str_of(cJSON_GetObjectItem(r,
		    "provider"), "name"));
	if (st == STATUS_OK)
		st = buf_addstr(&b, "  ");
	if (st == STATUS_OK)
		st = phone_buf_add_clean(&b, str_of(r, "description"));
	if (st == STATUS_OK && *sp != '\0') {
		st = buf_addstr(&b, " · ");
		if (st == STATUS_OK)
			st = phone_buf_add_clean(&b, sp);
	}
	if (st == STATUS_OK)
		st = buf_printf(&b, "  %s\n", phone_request_state_text(ph, r));
	end_prompt(s);
	fputs(st == STATUS_OK ? buf_str(&b) : "\n== … ==\n", stdout);
	buf_free(&b);
}

/* Asks about the next waiting request, if nothing else is being asked. */
static void
ask_next(struct phone_session *s)
{
	const cJSON *r;
	struct seen *e;

	if (s->ask != ASK_NONE)
		return;
	while ((e = next_queued(s)) != NULL) {
		e->queued = 0;
		if ((r = request_in_list(s, e->id)) == NULL ||
		    strcmp(str_of(r, "state"), "waiting") != 0)
			continue;
		snprintf(s->current, sizeof s->current, "%s", e->id);
		show_request(s, r);
		ask(s, ASK_SIGN);
		return;
	}
	ask(s, ASK_NONE);
}

/*
 * Forgets the requests the last list no longer has (ended more than ten
 * minutes ago), so that a long session keeps a bounded table.
 */
static void
seen_prune(struct phone_session *s)
{
	size_t i = 0;

	while (i < s->nseen) {
		if (request_in_list(s, s->seen[i].id) != NULL ||
		    strcmp(s->seen[i].id, s->current) == 0) {
			i++;
			continue;
		}
		memmove(&s->seen[i], &s->seen[i + 1],	/* keeps the order */
		    (s->nseen - i - 1) * sizeof *s->seen);
		s->nseen--;
	}
}

/*
 * Takes a list answer: new requests are shown and queued, changed ones
 * are told; all is 1 to list every request (the first list, or "l").
 */
static void
take_list(struct phone_session *s, cJSON *j, int all)
{
	struct phone *ph = s->ph;
	const cJSON *list, *r;
	const char *id, *state;
	struct seen *e;
	char *line;
	int i, n, told = 0;

	snprintf(s->cursor, sizeof s->cursor, "%s", str_of(j, "cursor"));
	cJSON_Delete(s->last_list);
	s->last_list = j;
	list = cJSON_GetObjectItem(j, "requests");
	n = cJSON_GetArraySize(list);
	for (i = n - 1; i >= 0; i--) {	/* oldest first */
		r = cJSON_GetArrayItem(list, i);
		id = str_of(r, "id");
		state = str_of(r, "state");
		if (strlen(id) != SIGNPROTO_CODE_LEN)
			continue;
		e = seen_find(s, id);
		if (e != NULL && strcmp(e->state, state) == 0 && !all)
			continue;
		if (e == NULL)
			e = seen_add(s, id);
		else if (strcmp(id, s->current) == 0 &&
		    strcmp(state, "waiting") != 0 &&
		    (s->ask == ASK_SIGN || s->ask == ASK_PIN)) {
			echo_set(s, 1);
			s->ask = ASK_NONE;
			s->current[0] = '\0';
		}
		set_state(e, state);
		e->queued = strcmp(state, "waiting") == 0 &&
		    strcmp(id, s->current) != 0;
		told = 1;
		if (e->queued && s->ask == ASK_NONE && !all)
			continue;	/* ask_next() shows it in full */
		end_prompt(s);
		line = phone_request_line(ph, r);
		fputs(line, stdout);
		free(line);
	}
	seen_prune(s);
	if (all && n == 0) {
		end_prompt(s);
		printf("%s\n", PHONE_T(ph, "Không có yêu cầu ký nào.",
		    "No signing requests."));
	}
	if (s->ask == ASK_NONE && next_queued(s) != NULL)
		ask_next(s);
	else if (told || all)
		ask(s, s->ask);
}

/* The JSON of a 200 answer, or NULL after a message. */
static cJSON *
list_answer(struct phone_session *s, struct httpc *h, enum status st,
    struct httpc_response *resp)
{
	struct phone *ph = s->ph;
	cJSON *j = NULL;

	if (st != STATUS_OK) {
		fprintf(stderr, "dvc-phone: %s %s: %s\n", PHONE_T(ph,
		    "không kết nối được", "cannot reach"), ph->server,
		    httpc_error(h));
		return NULL;
	}
	if (resp->status != 200 || json_parse(buf_str(&resp->body),
	    resp->body.len, &j, NULL, 0) != STATUS_OK ||
	    !cJSON_IsArray(cJSON_GetObjectItem(j, "requests"))) {
		cJSON_Delete(j);
		fprintf(stderr, "dvc-phone: %s HTTP %ld\n", PHONE_T(ph,
		    "máy chủ trả lời", "the server answered"), resp->status);
		return NULL;
	}
	return j;
}

/* Lists the requests now, without waiting; all as take_list's. */
static void
list_now(struct phone_session *s, int all)
{
	struct httpc_response resp;
	enum status st;
	cJSON *j;

	if (s->dev == NULL) {
		ask(s, s->ask);
		return;
	}
	st = phone_device_call(s->dev, s->ph->http, "GET", s->ph->server,
	    "/ca/app/requests", NULL, NULL, 0, &resp);
	if ((j = list_answer(s, s->ph->http, st, &resp)) != NULL)
		take_list(s, j, all);
	else
		ask(s, s->ask);
	httpc_response_free(&resp);
}

static void
poll_start(struct phone_session *s)
{
	struct phone_device_request r;
	char *query;

	if (s->dev == NULL || s->polling || now_ms() < s->next_poll_ms)
		return;
	query = xasprintf("wait=%d&cursor=%s", POLL_WAIT, s->cursor);
	if (phone_device_prepare(s->dev, "GET", s->ph->server,
	    "/ca/app/requests", query, NULL, POLL_TIMEOUT_MS, &r) ==
	    STATUS_OK && httpc_multi_start(s->multi, s->poll_http, &r.req) ==
	    STATUS_OK)
		s->polling = 1;
	else
		s->next_poll_ms = now_ms() + RETRY_MS;
	phone_device_request_free(&r);
	free(query);
}

static void
poll_done(struct phone_session *s)
{
	struct httpc_response resp;
	struct httpc *h;
	enum status st;
	cJSON *j;

	while (httpc_multi_done(s->multi, &h, &resp, &st)) {
		s->polling = 0;
		if (st == STATUS_OK && phone_device_clock_check(s->dev, &resp))
			;	/* the clock is corrected: poll again now */
		else if ((j = list_answer(s, h, st, &resp)) != NULL)
			take_list(s, j, 0);
		else
			s->next_poll_ms = now_ms() + RETRY_MS;
		httpc_response_free(&resp);
	}
}

/* ---- lines ---- */

static int
is_yes(const char *l)
{
	return strcmp(l, "y") == 0 || strcmp(l, "Y") == 0 ||
	    strcmp(l, "c") == 0 || strcmp(l, "có") == 0 ||
	    strcmp(l, "yes") == 0;
}

static int
is_no(const char *l)
{
	return strcmp(l, "n") == 0 || strcmp(l, "N") == 0 ||
	    strcmp(l, "k") == 0 || strcmp(l, "không") == 0 ||
	    strcmp(l, "no") == 0;
}

static void
help(struct phone_session *s)
{
	printf("%s\n", PHONE_T(s->ph,
	    "Yêu cầu ký hiện ra khi đến. Gõ mã đăng nhập hoặc dán URL từ mã "
	    "QR để duyệt đăng nhập; l: xem lại danh sách; q: thoát.",
	    "Signing requests show as they come. Type a login code or paste "
	    "the URL from the QR code to approve a login; l: list again; "
	    "q: quit."));
}

/* Marks the current request as decided by this phone. */
static void
decided(struct phone_session *s, const char *state)
{
	struct seen *e = seen_find(s, s->current);

	if (e != NULL)
		set_state(e, state);
	s->current[0] = '\0';
}

static void
login_decide(struct phone_session *s, const char *passcode)
{
	phone_login_decide(s->ph, s->login_code, passcode, s->login_approve);
	s->login_code[0] = '\0';
	s->ask = ASK_NONE;
	ask_next(s);
}

static void
line_idle(struct phone_session *s, const char *l)
{
	struct phone *ph = s->ph;
	char client[128];

	if (*l == '\0' || strcmp(l, "l") == 0) {
		list_now(s, 1);
		return;
	}
	if (strcmp(l, "?") == 0 || strcmp(l, "h") == 0) {
		help(s);
		ask(s, ASK_NONE);
		return;
	}
	if (phone_login_lookup(ph, l, client, sizeof client, s->login_code,
	    sizeof s->login_code) != PHONE_EXIT_OK) {
		ask(s, ASK_NONE);
		return;
	}
	printf(PHONE_T(ph, "Yêu cầu đăng nhập từ %s, mã xác nhận %s\n",
	    "Login request from %s, confirmation code %s\n"), client,
	    s->login_code);
	ask(s, ASK_LOGIN);
}

static void
line_sign(struct phone_session *s, const char *l)
{
	if (is_yes(l))
		ask(s, ASK_PIN);
	else if (is_no(l)) {
		if (phone_decide(s->ph, s->dev, s->current, NULL, NULL) ==
		    PHONE_EXIT_OK)
			decided(s, "rejected");
		s->current[0] = '\0';
		s->ask = ASK_NONE;
		ask_next(s);
	} else
		ask(s, ASK_SIGN);
}

static void
line_pin(struct phone_session *s, const char *l)
{
	enum phone_exit rc;
	int tries;

	if (*l == '\0') {
		printf("%s\n", PHONE_T(s->ph, "Để sau; gõ l để xem lại.",
		    "Later; type l to list again."));
		s->current[0] = '\0';
		s->ask = ASK_NONE;
		ask_next(s);
		return;
	}
	if (strlen(l) != 6 || strspn(l, "0123456789") != 6) {
		echo_set(s, 1);
		printf("%s\n", PHONE_T(s->ph, "Mã PIN gồm đúng 6 chữ số.",
		    "The PIN is exactly 6 digits."));
		ask(s, ASK_PIN);
		return;
	}
	echo_set(s, 1);
	rc = phone_decide(s->ph, s->dev, s->current, l, &tries);
	if (rc == PHONE_EXIT_WRONG_SECRET && tries > 0) {
		ask(s, ASK_PIN);
		return;
	}
	if (rc == PHONE_EXIT_OK)
		decided(s, "signed");
	s->current[0] = '\0';
	s->ask = ASK_NONE;
	ask_next(s);
}

static void
line_login(struct phone_session *s, const char *l)
{
	if (!is_yes(l) && !is_no(l)) {
		ask(s, ASK_LOGIN);
		return;
	}
	s->login_approve = is_yes(l);
	if (s->passcode != NULL)
		login_decide(s, s->passcode);
	else
		ask(s, ASK_PASSCODE);
}

static void
take_line(struct phone_session *s, char *l)
{
	size_t n = strlen(l);
	enum ask was = s->ask;

	if (n > 0 && l[n - 1] == '\r')
		l[--n] = '\0';
	if (!s->tty)		/* the line was not echoed: end the prompt's */
		end_prompt(s);
	s->prompt_open = 0;
	while (*l == ' ' || *l == '\t')
		l++;
	n = strlen(l);
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		l[--n] = '\0';
	if (strcmp(l, "q") == 0) {	/* never a PIN or passcode: digits */
		s->quit = 1;
		return;
	}
	switch (was) {
	case ASK_NONE:
		line_idle(s, l);
		break;
	case ASK_SIGN:
		line_sign(s, l);
		break;
	case ASK_PIN:
		line_pin(s, l);
		break;
	case ASK_LOGIN:
		line_login(s, l);
		break;
	case ASK_PASSCODE:
		echo_set(s, 1);
		login_decide(s, l);
		break;
	}
	OPENSSL_cleanse(l, strlen(l));
}

/* Reads what standard input has; 0, or -1 at its end. */
static int
read_input(struct phone_session *s)
{
	char chunk[512], *nl, *line;
	ssize_t n;
	size_t len;

	n = read(STDIN_FILENO, chunk, sizeof chunk);
	if (n == -1 && errno == EINTR)
		return 0;
	if (n <= 0) {
		if (s->in.len > 0) {	/* a last line without its newline */
			line = buf_detach(&s->in, NULL);
			take_line(s, line);
			free(line);
		}
		return -1;
	}
	if (buf_add(&s->in, chunk, (size_t)n) != STATUS_OK) {
		buf_init(&s->in, LINE_MAX_BYTES);	/* a line too long */
		return 0;
	}
	while (!s->quit && (nl = memchr(s->in.data, '\n', s->in.len)) !=
	    NULL) {
		len = (size_t)(nl - s->in.data);
		line = xstrndup(s->in.data, len);
		memmove(s->in.data, nl + 1, s->in.len - len - 1);
		s->in.len -= len + 1;
		s->in.data[s->in.len] = '\0';
		take_line(s, line);
		free(line);
	}
	OPENSSL_cleanse(chunk, sizeof chunk);
	return 0;
}

enum phone_exit
phone_interactive(struct phone *ph, const char *passcode)
{
	struct phone_session s;
	struct sigaction sa, old_int, old_term, old_hup;
	struct pollfd fds[16];
	enum phone_exit rc;
	size_t nfds;
	int wait;

	memset(&s, 0, sizeof s);
	s.ph = ph;
	s.passcode = passcode;
	buf_init(&s.in, LINE_MAX_BYTES);
	setvbuf(stdout, NULL, _IOLBF, 0);
	s.tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &s.saved) == 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	s.poll_http = httpc_new(&ph->http_config);
	s.multi = httpc_multi_new();
	s.dev = phone_saved_device(ph, &rc);
	if (s.dev == NULL) {
		if (rc != PHONE_EXIT_NOT_ACTIVATED)
			goto out;
		fprintf(stderr, "%s\n", PHONE_T(ph, "Chỉ duyệt đăng nhập.",
		    "Logins only."));
	}
	printf(PHONE_T(ph, "dvc-phone: CCCD %s trên %s\n",
	    "dvc-phone: CCCD %s on %s\n"), ph->cccd, ph->server);
	help(&s);
	list_now(&s, 1);
	while (!s.quit && !stop_signal) {
		poll_start(&s);
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[0].revents = 0;
		wait = s.dev == NULL ? -1 : s.polling ? 1000 :
		    (int)(s.next_poll_ms - now_ms());
		if (s.dev != NULL && (wait < 0 || wait > 1000))
			wait = 1000;
		nfds = s.polling ? httpc_multi_fds(s.multi, fds + 1,
		    sizeof fds / sizeof fds[0] - 1, &wait) : 0;
		if (poll(fds, nfds + 1, wait) == -1 && errno != EINTR)
			break;
		if (s.polling) {
			httpc_multi_perform(s.multi);
			poll_done(&s);
		}
		if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
		    read_input(&s) == -1)
			break;
	}
	rc = PHONE_EXIT_OK;
out:
	echo_set(&s, 1);
	end_prompt(&s);
	httpc_multi_free(&s.multi);
	httpc_free(&s.poll_http);
	phone_device_free(&s.dev);
	cJSON_Delete(s.last_list);
	free(s.seen);
	buf_free(&s.in);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return rc;
}
