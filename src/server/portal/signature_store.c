/*
 * The portal's statements on signature settings.  As with dossiers, every
 * lookup is by public id and owner together.
 */
#include <stdlib.h>
#include <string.h>

#include "portal/signature_store.h"
#include "utf8.h"
#include "xmalloc.h"

enum stmt {
	STMT_INSERT,
	STMT_UPDATE,
	STMT_GET,
	STMT_LIST,
	STMT_DELETE,
	STMT_IMAGE,
	STMT_SET_IMAGE,
	STMT__MAX
};

#define COLUMNS "id, public_id, owner_sub, name, phone, keyword, type, " \
	"account, provider, image IS NOT NULL, cert_serial, cert_subject, " \
	"cert_valid_from, cert_valid_to, created_at, updated_at"

static const char *const stmts[STMT__MAX] = {
	[STMT_INSERT] = "INSERT INTO signature_profiles (public_id, owner_sub, "
	    "name, phone, keyword, type, account, provider, cert_serial, "
	    "cert_subject, cert_valid_from, cert_valid_to, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_UPDATE] = "UPDATE signature_profiles SET name = ?, phone = ?, "
	    "keyword = ?, account = ?, provider = ?, cert_serial = ?, "
	    "cert_subject = ?, cert_valid_from = ?, cert_valid_to = ?, "
	    "updated_at = ? WHERE id = ?",
	[STMT_GET] = "SELECT " COLUMNS " FROM signature_profiles "
	    "WHERE public_id = ? AND owner_sub = ?",
	[STMT_LIST] = "SELECT " COLUMNS " FROM signature_profiles "
	    "WHERE owner_sub = ? ORDER BY created_at, id",
	[STMT_DELETE] = "DELETE FROM signature_profiles WHERE id = ?",
	[STMT_IMAGE] = "SELECT image FROM signature_profiles WHERE id = ? "
	    "AND image IS NOT NULL",
	[STMT_SET_IMAGE] = "UPDATE signature_profiles SET image = ?, "
	    "updated_at = ? WHERE id = ?",
};

void
portal_signature_clear(struct portal_signature_profile *s)
{
	free(s->name);
	free(s->keyword);
	free(s->cert_subject);
	memset(s, 0, sizeof *s);
}

static int
row_profile(void *ctx, struct db_row *st)
{
	struct portal_signature_profile *s = ctx;

	s->id = db_column_int64(st, 0);
	db_column_copy(st, 1, s->public_id, sizeof s->public_id);
	db_column_copy(st, 2, s->owner_sub, sizeof s->owner_sub);
	s->name = db_column_dup(st, 3);
	db_column_copy(st, 4, s->phone, sizeof s->phone);
	s->keyword = db_column_dup(st, 5);
	db_column_copy(st, 6, s->type, sizeof s->type);
	db_column_copy(st, 7, s->account, sizeof s->account);
	db_column_copy(st, 8, s->provider, sizeof s->provider);
	s->has_image = db_column_int(st, 9);
	db_column_copy(st, 10, s->cert_serial, sizeof s->cert_serial);
	s->cert_subject = db_column_dup(st, 11);
	db_column_copy(st, 12, s->cert_valid_from, sizeof s->cert_valid_from);
	db_column_copy(st, 13, s->cert_valid_to, sizeof s->cert_valid_to);
	s->created_at = db_column_int64(st, 14);
	s->updated_at = db_column_int64(st, 15);
	return 1;
}

enum status
portal_signature_insert(struct db *db, const struct portal_signature_profile *s,
    int64_t now)
{
	return db_exec(db, stmts[STMT_INSERT], NULL, "ttttttttttttii",
	    s->public_id, s->owner_sub, s->name, s->phone, s->keyword, s->type,
	    s->account, s->provider, s->cert_serial, s->cert_subject,
	    s->cert_valid_from, s->cert_valid_to, now, now);
}

enum status
portal_signature_update(struct db *db, const struct portal_signature_profile *s,
    int64_t now)
{
	return db_exec(db, stmts[STMT_UPDATE], NULL, "tttttttttii", s->name,
	    s->phone, s->keyword, s->account, s->provider, s->cert_serial,
	    s->cert_subject, s->cert_valid_from, s->cert_valid_to, now, s->id);
}

enum status
portal_signature_get(struct db *db, const char *public_id,
    const char *owner_sub, struct portal_signature_profile *s)
{
	enum status st;
	int found;

	memset(s, 0, sizeof *s);
	/* Bytes that are not text name no row (PostgreSQL refuses them). */
	if (!utf8_valid(public_id, strlen(public_id)))
		return STATUS_ERR_NOTFOUND;
	st = db_query(db, stmts[STMT_GET], row_profile, s, &found, "tt",
	    public_id, owner_sub);
	st = db_found(st, found);
	return st;
}

struct list_ctx {
	portal_signature_fn	 fn;
	void			*ctx;
};

static int
row_list(void *ctx, struct db_row *st)
{
	struct list_ctx *lc = ctx;
	struct portal_signature_profile s;

	memset(&s, 0, sizeof s);
	row_profile(&s, st);
	lc->fn(lc->ctx, &s);
	portal_signature_clear(&s);
	return 0;
}

enum status
portal_signature_list(struct db *db, const char *owner_sub,
    portal_signature_fn fn, void *ctx)
{
	struct list_ctx lc = { fn, ctx };

	return db_query(db, stmts[STMT_LIST], row_list, &lc, NULL, "t",
	    owner_sub);
}

enum status
portal_signature_delete(struct db *db, int64_t id)
{
	return db_exec(db, stmts[STMT_DELETE], NULL, "i", id);
}

struct blob {
	void	*data;
	size_t	 len;
};

static int
row_blob(void *ctx, struct db_row *st)
{
	struct blob *b = ctx;

	const void *p = db_column_blob(st, 0, &b->len);

	b->data = xmalloc(b->len);
	if (b->len > 0)
		memcpy(b->data, p, b->len);
	return 1;
}

enum status
portal_signature_image(struct db *db, int64_t id, void **png, size_t *len)
{
	struct blob b = { NULL, 0 };
	enum status s;
	int found;

	s = db_query(db, stmts[STMT_IMAGE], row_blob, &b, &found, "i", id);
	s = db_found(s, found);
	*png = b.data;
	*len = b.len;
	return s;
}

enum status
portal_signature_set_image(struct db *db, int64_t id, const void *png,
    size_t len, int64_t now)
{
	return db_exec(db, stmts[STMT_SET_IMAGE], NULL, "bii", png, len, now,
	    id);
}
