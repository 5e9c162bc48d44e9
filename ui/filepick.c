/*
 * The file picker; see filepick.h.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "filepick.h"
#include "utf8.h"
#include "xmalloc.h"

void
filepick_init(struct filepick *fp)
{
	memset(fp, 0, sizeof *fp);
	field_init(&fp->path, PATH_MAX);
}

void
filepick_free(struct filepick *fp)
{
	field_free(&fp->path);
	files_entries_free(fp->all, fp->nall);
	free(fp->ents);
	free(fp->folder);
	memset(fp, 0, sizeof *fp);
}

const char *
filepick_path(const struct filepick *fp)
{
	return field_text(&fp->path);
}

int
filepick_in_field(const struct filepick *fp)
{
	return !fp->in_list;
}

/* The folder of the path typed: itself when it is one, else its parent. */
static char *
path_folder(const char *p)
{
	const char *slash;

	if (p[0] == '\0')
		return getcwd(NULL, 0);
	if (p[strlen(p) - 1] == '/')
		return xstrdup(p);
	if ((slash = strrchr(p, '/')) == NULL)
		return getcwd(NULL, 0);
	if (slash == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(slash - p));
}

/* The name being typed: the path's part after its last '/'. */
static const char *
typed_name(const char *p)
{
	const char *slash = strrchr(p, '/');

	return slash != NULL ? slash + 1 : p;
}

/*
 * s folded for matching (diacritics and case aside, utf8_fold), or a
 * copy of its bytes when it is no UTF-8 (a name on disk may not be).
 * Caller frees.
 */
static char *
folded(const char *s)
{
	char *f;

	return utf8_fold(s, &f) == STATUS_OK ? f : xstrdup(s);
}

/* Whether name begins with the name typed, folded as tf. */
static int
begins(const char *name, const char *tf)
{
	char *nf = folded(name);
	int yes = strncmp(nf, tf, strlen(tf)) == 0;

	free(nf);
	return yes;
}

/* The entries shown: those that begin with the name typed. */
static void
filter_entries(struct filepick *fp)
{
	const char *t = fp->typed ? typed_name(field_text(&fp->path)) : "";
	char *tf = folded(t);
	size_t i;

	free(fp->ents);
	fp->ents = xcalloc(fp->nall + 1, sizeof *fp->ents);
	fp->nents = 0;
	for (i = 0; i < fp->nall; i++)
		if (t[0] == '\0' || (strcmp(fp->all[i].name, "..") != 0 &&
		    begins(fp->all[i].name, tf)))
			fp->ents[fp->nents++] = fp->all[i];
	free(tf);
	fp->sel.n = fp->nents;
	if (fp->sel.sel >= fp->nents)
		fp->sel.sel = fp->sel.top = 0;
	if (fp->nents == 0)
		fp->in_list = 0;
}

/* Lists the folder of the path (unless it is the one listed), filtered. */
static void
list_folder(struct filepick *fp, enum lang lang)
{
	char *dir = path_folder(field_text(&fp->path));

	if (dir == NULL)
		dir = xstrdup(".");
	if (fp->folder != NULL && strcmp(fp->folder, dir) == 0) {
		free(dir);
		filter_entries(fp);
		return;
	}
	free(fp->folder);
	fp->folder = dir;
	files_entries_free(fp->all, fp->nall);
	fp->all = NULL;
	fp->nall = 0;
	fp->error[0] = '\0';
	files_list(dir, lang, &fp->all, &fp->nall, fp->error,
	    sizeof fp->error);
	fp->sel.sel = fp->sel.top = 0;
	filter_entries(fp);
}

/* The bytes a and b begin with alike, whole characters only. */
static size_t
common_prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	while (n > 0 && ((unsigned char)a[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Tab in the path: the name typed completed as far as the entries shown
 * agree, a single one whole (a folder with its '/', then listed).
 * Returns 1 when the path grew.
 */
static int
complete(struct filepick *fp, enum lang lang)
{
	const char *p = field_text(&fp->path), *t = typed_name(p);
	char *name, *tf, *nf, *np;
	size_t i, n;
	int grew;

	if (!fp->typed || t[0] == '\0' || fp->nents == 0)
		return 0;
	n = strlen(fp->ents[0].name);
	for (i = 1; i < fp->nents; i++) {
		size_t c = common_prefix(fp->ents[0].name, fp->ents[i].name);

		n = c < n ? c : n;
	}
	name = fp->nents == 1 ? xasprintf("%s%s", fp->ents[0].name,
	    fp->ents[0].dir ? "/" : "") : xstrndup(fp->ents[0].name, n);
	/* Only what adds to the name typed, never what loses of it. */
	tf = folded(t);
	nf = folded(name);
	grew = strcmp(name, t) != 0 && (fp->nents == 1 ||
	    (strncmp(nf, tf, strlen(tf)) == 0 && strlen(nf) > strlen(tf)));
	free(nf);
	free(tf);
	if (grew) {
		np = xasprintf("%.*s%s", (int)(t - p), p, name);
		field_set_raw(&fp->path, np);
		free(np);
		fp->refused[0] = '\0';
		list_folder(fp, lang);
	}
	free(name);
	return grew;
}

void
filepick_refuse(struct filepick *fp, const char *why)
{
	snprintf(fp->refused, sizeof fp->refused, "%s", why);
}

void
filepick_open(struct filepick *fp, enum lang lang)
{
	char *cwd;

	/* Paths keep their bytes: a name NFC-normalised is not found. */
	if (fp->folder == NULL) {
		cwd = getcwd(NULL, 0);
		field_set_raw(&fp->path, cwd != NULL ? cwd : ".");
		if (cwd != NULL && strcmp(cwd, "/") != 0) {
			free(cwd);
			cwd = xasprintf("%s/", field_text(&fp->path));
			field_set_raw(&fp->path, cwd);
		}
		free(cwd);
	} else if (field_text(&fp->path)[0] == '\0')
		field_set_raw(&fp->path, fp->folder);
	fp->path.method = TELEX_OFF;
	fp->in_list = 0;
	fp->typed = 0;
	fp->refused[0] = '\0';
	list_folder(fp, lang);
}

/* Enter on the path or on an entry: into a folder, or a file chosen. */
static enum filepick_result
choose(struct filepick *fp, enum lang lang)
{
	const char *p = field_text(&fp->path);
	struct files_entry *e;
	struct stat sb;
	char *np, *dir;

	if (!fp->in_list) {
		if (p[0] != '\0' && p[strlen(p) - 1] != '/') {
			/* A folder's path typed without its '/' opens it. */
			if (stat(p, &sb) == -1 || !S_ISDIR(sb.st_mode))
				return FILEPICK_CHOSEN;
			np = xasprintf("%s/", p);
			field_set_raw(&fp->path, np);
			free(np);
		}
		list_folder(fp, lang);
		fp->in_list = fp->nents > 0;
		return FILEPICK_CHANGED;
	}
	if (fp->sel.sel >= fp->nents)
		return FILEPICK_CHANGED;
	e = &fp->ents[fp->sel.sel];
	if (strcmp(e->name, "..") == 0) {
		dir = xstrdup(fp->folder);
		while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
		np = strrchr(dir, '/');
		if (np != NULL)
			np[np == dir ? 1 : 0] = '\0';
		np = xasprintf("%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/");
		free(dir);
	} else
		np = xasprintf("%s%s%s%s", fp->folder,
		    fp->folder[strlen(fp->folder) - 1] == '/' ? "" : "/",
		    e->name, e->dir ? "/" : "");
	field_set_raw(&fp->path, np);
	free(np);
	if (!e->dir)
		return FILEPICK_CHOSEN;
	list_folder(fp, lang);
	return FILEPICK_CHANGED;
}

enum filepick_result
filepick_key(struct filepick *fp, enum action act, const struct key *k,
    enum lang lang)
{
	unsigned wch;

	/* Shift-Tab on the first entry goes back to the path. */
	if (fp->in_list && act == ACTION_PREV && fp->sel.sel == 0) {
		fp->in_list = 0;
		return FILEPICK_CHANGED;
	}
	if (fp->in_list && list_handle(&fp->sel, act == ACTION_NEXT ?
	    ACTION_DOWN : act == ACTION_PREV ? ACTION_UP : act, k))
		return FILEPICK_CHANGED;
	switch (act) {
	case ACTION_NEXT:
		if (!fp->in_list && !complete(fp, lang) && fp->nents > 0)
			fp->in_list = 1;
		return FILEPICK_CHANGED;
	case ACTION_PREV:
		fp->in_list = 0;
		return FILEPICK_CHANGED;
	case ACTION_SELECT:
		return choose(fp, lang);
	case ACTION_BACK:
		if (!fp->in_list)
			return FILEPICK_CLOSED;
		fp->in_list = 0;
		return FILEPICK_CHANGED;
	case ACTION_NONE:
	case ACTION_TELEX:
		if (fp->in_list)
			return FILEPICK_NONE;
		wch = field_handle_key(&fp->path, k);
		if (wch & WIDGET_CH_TEXT) {
			fp->typed = 1;
			fp->refused[0] = '\0';
			list_folder(fp, lang);
		}
		return wch != 0 ? FILEPICK_CHANGED : FILEPICK_NONE;
	default:
		return FILEPICK_NONE;
	}
}

/* An entry as the list shows it: "name/", or "name  (12 KB)". */
static char *
entry_label(void *ctx, size_t i)
{
	const struct files_entry *e = &((struct filepick *)ctx)->ents[i];
	char size[32];

	if (e->dir)
		return xasprintf("%s/", e->name);
	if (e->size >= 1024 * 1024)
		snprintf(size, sizeof size, "%.1f MB",
		    (double)e->size / (1024 * 1024));
	else
		snprintf(size, sizeof size, "%lld KB", (e->size + 1023) / 1024);
	return xasprintf("%s  (%s)", e->name, size);
}

void
filepick_draw(struct app *a, struct filepick *fp, const char *title,
    int top, int height)
{
	const char *why = fp->refused[0] != '\0' ? fp->refused : fp->error;
	const char *t = fp->typed ? typed_name(field_text(&fp->path)) : "";
	char *line;
	int y = top + 3, cx, help, bottom;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, title);
	draw_text(a, top + 1, 2, 10, STYLE_NORMAL, app_t(a, "Tệp:", "File:"));
	cx = draw_input(a, &fp->path, top + 1, 13, a->cols - 16);
	if (!fp->in_list) {
		a->focus_y = top + 1;
		a->focus_x = cx;
	}
	line = xstrdup(app_t(a, "Tệp nằm trên máy đang chạy dvc. Gõ để lọc, "
	    "Tab: điền tiếp tên hoặc sang danh sách; Enter: mở thư mục hoặc "
	    "gửi tệp; Ctrl-B: quay lại.", "Files are on the machine dvc runs "
	    "on. Type to filter, Tab: complete the name or go to the list; "
	    "Enter: open a folder or send the file; Ctrl-B: back."));
	help = draw_rows(a, a->cols - 4, line);
	help = help > 3 ? 3 : help;
	bottom = top + height - help;
	draw_wrapped(a, bottom, 2, a->cols - 4, help, STYLE_DIM, line);
	free(line);
	/* Why a file or the folder cannot be taken, at once, in place. */
	if (why[0] != '\0')
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR, why);
	if (fp->nents > 0) {
		draw_menu(a, &fp->sel, y, 2, a->cols - 4, bottom - 1 - y,
		    fp->in_list, entry_label, fp);
		return;
	}
	if (fp->error[0] != '\0')
		return;
	line = t[0] != '\0' && fp->nall > 0 ? xasprintf(APP_T(a, "Không có "
	    "thư mục hay tệp nào bắt đầu bằng \"%s\".", "No folder or file "
	    "begins with \"%s\"."), t) : xstrdup(app_t(a, "Thư mục không có "
	    "tệp PDF, JPG hay PNG.", "The folder has no PDF, JPG or PNG "
	    "file."));
	draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_DIM, line);
	free(line);
}
