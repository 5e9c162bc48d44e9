/*
 * The client's local store: one SQLite file, $XDG_DATA_HOME/dvc/dvc.db
 * (the folder mode 0700, the file 0600), in WAL mode with versioned
 * migrations.  It keeps the session of each portal: the portal's URL,
 * the identity provider it uses, the refresh token, the access token
 * with its expiry, and who is logged in.  Version 2 adds the catalog
 * cache: answers of the portal's public catalog, keyed by URL, with
 * their ETag, revalidated with If-None-Match.  Version 3 adds the
 * drafts' journal: what the citizen typed into a dossier's form, saved
 * on every change, with the changes the portal has not yet taken, so
 * that a client killed mid-form starts again where the citizen was;
 * version 4 marks the entries that are supplements.
 *
 * Several dvc processes may share the store.  A token refresh holds the
 * store's write lock (BEGIN IMMEDIATE) from before it sends the refresh
 * token until it has saved the rotated one, so two processes never spend
 * the same refresh token; the other process finds the lock taken
 * (STATUS_ERR_LOCKED, at once, never blocking the UI) and tries again a
 * moment later, when it reads the new tokens.
 */
#ifndef DVC_STORE_H
#define DVC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "client/telex.h"
#include "status.h"

struct store;

/* What is kept of a login to a portal.  Strings are owned: caller frees. */
struct store_session {
	char	*portal;		/* the key: the portal's base URL */
	char	*issuer;
	char	*client_id;
	char	*token_endpoint;	/* for refreshing */
	char	*revoke_endpoint;	/* for logging out; may be NULL */
	char	*refresh_token;
	char	*access_token;		/* may be NULL */
	int64_t	 access_expires;	/* Unix seconds; 0 unknown */
	char	*sub;			/* who, from /api/v1/me */
	char	*cccd;
	char	*name;
	int64_t	 updated_at;
};

/*
 * Opens the store in dir, or in $XDG_DATA_HOME/dvc (~/.local/share/dvc)
 * when dir is NULL, creating it.  NULL with a message in err on failure.
 */
struct store	*store_open(const char *dir, char *err, size_t errsz);
void		 store_close(struct store **);
/* The database file's path. */
const char	*store_path(const struct store *);
/* The schema version in force. */
int		 store_version(const struct store *);

/* STATUS_ERR_NOTFOUND when no one is logged in to portal. */
enum status	 store_session_get(struct store *, const char *portal,
		    struct store_session *);
/* Inserts or replaces the session of s->portal. */
enum status	 store_session_put(struct store *, const struct store_session *);
/* Forgets the session of portal (logout). */
enum status	 store_session_forget(struct store *, const char *portal);
/* Frees the strings and zeroes s (wiping the tokens first). */
void		 store_session_free(struct store_session *);

/*
 * The refresh lock.  store_refresh_lock takes the write lock, or returns
 * STATUS_ERR_LOCKED at once when another process holds it.  While it is
 * held, store_session_get/put run inside the locked transaction.
 * store_refresh_unlock commits (commit 1) or rolls back (commit 0).
 */
enum status	 store_refresh_lock(struct store *);
enum status	 store_refresh_unlock(struct store *, int commit);
int		 store_refresh_locked(const struct store *);

/*
 * The catalog cache.  store_cache_get gives the ETag and the body (NUL
 * added after len bytes; caller frees both), or STATUS_ERR_NOTFOUND.
 * store_cache_put inserts or replaces url's entry.
 */
enum status	 store_cache_get(struct store *, const char *url, char **etag,
		    char **body, size_t *len);
enum status	 store_cache_put(struct store *, const char *url,
		    const char *etag, const void *body, size_t len);

/*
 * The citizen's settings, by name: store_setting_get gives the value
 * (caller frees) or STATUS_ERR_NOTFOUND; store_setting_put sets it.
 * store_typing is the typing of Vietnamese text chosen last (TELEX_OFF
 * when none was), kept from one run to the next, which
 * store_set_typing changes.
 */
enum status	 store_setting_get(struct store *, const char *name,
		    char **value);
enum status	 store_setting_put(struct store *, const char *name,
		    const char *value);
enum telex_method store_typing(struct store *);
enum status	 store_set_typing(struct store *, enum telex_method);

/*
 * A draft in the journal.  local_id is made by the client (and is the
 * Idempotency-Key that creates the portal's draft); values and pending
 * are JSON objects (field key to value; pending holds the changes not
 * yet sent, a removed value as null); focus says where the citizen was
 * ("page:item"); phase is 0 when the wizard was left, 1 while it is on
 * screen, 2 while a signing waits for the phone.
 */
#define STORE_PHASE_CLOSED	0
#define STORE_PHASE_FORM	1
#define STORE_PHASE_SIGNING	2

struct store_draft {
	char	*local_id;
	char	*portal;
	char	*procedure;	/* its local code */
	char	*title;		/* its name, for lists */
	char	*dossier_id;	/* NULL until the portal made it */
	char	*values;
	char	*pending;
	char	*focus;		/* may be NULL */
	int	 phase;
	int	 supplement;	/* a supplement to a dossier sent back */
	int64_t	 updated_at;
};

/* Each gives STATUS_ERR_NOTFOUND when there is none; free with _free. */
enum status	 store_draft_get(struct store *, const char *local_id,
		    struct store_draft *);
enum status	 store_draft_by_dossier(struct store *, const char *portal,
		    const char *dossier_id, struct store_draft *);
/* The latest draft of portal whose phase is not CLOSED. */
enum status	 store_draft_active(struct store *, const char *portal,
		    struct store_draft *);
/* Inserts or replaces d->local_id's entry, stamped with the time. */
enum status	 store_draft_put(struct store *, const struct store_draft *);
enum status	 store_draft_forget(struct store *, const char *local_id);
void		 store_draft_free(struct store_draft *);

#endif
