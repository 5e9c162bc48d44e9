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
	draft_entries_free(fp->ents, fp->nents);
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

/* Lists the folder of the path, unless it is the one listed. */
static void
list_folder(struct filepick *fp, enum lang lang)
{
	char *dir = path_folder(field_text(&fp->path));

	if (dir == NULL)
		dir = xstrdup(".");
	if (fp->folder != NULL && strcmp(fp->folder, dir) == 0) {
		free(dir);
		return;
	}
	free(fp->folder);
	fp->folder = dir;
	draft_entries_free(fp->ents, fp->nents);
	fp->ents = NULL;
	fp->nents = 0;
	fp->error[0] = '\0';
	draft_folder_list(dir, lang, &fp->ents, &fp->nents, fp->error,
	    sizeof fp->error);
	fp->sel.n = fp->nents;
	fp->sel.sel = fp->sel.top = 0;
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
	list_folder(fp, lang);
}

/* Enter on the path or on an entry: into a folder, or a file chosen. */
static enum filepick_result
choose(struct filepick *fp, enum lang lang)
{
	const char *p = field_text(&fp->path);
	struct draft_entry *e;
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
		if (!fp->in_list && fp->nents > 0)
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
		if (wch & WIDGET_CH_TEXT)
			list_folder(fp, lang);
		return wch != 0 ? FILEPICK_CHANGED : FILEPICK_NONE;
	default:
		return FILEPICK_NONE;
	}
}

void
filepick_draw(struct app *a, struct filepick *fp, const char *title,
    int top, int height)
{
	char line[PATH_MAX + 64], size[32];
	int i, x, y = top + 3, cx;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, title);
	draw_text(a, top + 1, 2, 10, STYLE_NORMAL, app_t(a, "Tệp:", "File:"));
	cx = draw_input(a, &fp->path, top + 1, 13, a->cols - 16);
	if (!fp->in_list) {
		a->focus_y = top + 1;
		a->focus_x = cx;
	}
	if (fp->error[0] != '\0')
		draw_text(a, y++, 2, a->cols - 4, STYLE_ERROR, fp->error);
	list_scroll(&fp->sel, (size_t)(height - 5));
	for (i = 0; i < height - 5 && fp->sel.top + (size_t)i < fp->sel.n;
	    i++, y++) {
		size_t n = fp->sel.top + (size_t)i;
		const struct draft_entry *e = &fp->ents[n];

		if (e->dir)
			snprintf(line, sizeof line, "%s/", e->name);
		else {
			if (e->size >= 1024 * 1024)
				snprintf(size, sizeof size, "%.1f MB",
				    (double)e->size / (1024 * 1024));
			else
				snprintf(size, sizeof size, "%lld KB",
				    (e->size + 1023) / 1024);
			snprintf(line, sizeof line, "%s  (%s)", e->name, size);
		}
		x = draw_item(a, y, 2, a->cols - 4, fp->in_list &&
		    n == fp->sel.sel, STYLE_NORMAL, line);
		if (fp->in_list && n == fp->sel.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (fp->nents == 0 && fp->error[0] == '\0')
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Thư mục không có tệp PDF, JPG hay PNG.", "The folder has no "
		    "PDF, JPG or PNG file."));
	draw_wrapped(a, top + height - 2, 2, a->cols - 4, 2, STYLE_DIM,
	    app_t(a, "Tệp nằm trên máy đang chạy dvc. Enter: mở thư mục hoặc "
	    "gửi tệp; Tab: danh sách; Ctrl-B: quay lại.", "Files are on the "
	    "machine dvc runs on. Enter: open a folder or send the file; Tab: "
	    "the list; Ctrl-B: back."));
}
