/*
 * What the integration tests share: starting and stopping a real
 * dvc-server on 127.0.0.1 with a port chosen at run time and its data in a
 * temporary folder, and paths into the source and build trees.
 */
#ifndef DVC_TESTLIB_H
#define DVC_TESTLIB_H

#include <sys/types.h>
#include <limits.h>
#include <stdint.h>

struct db;

/*
 * HTTPS for a test server: its certificate and key (--tls-cert,
 * --tls-key) and the CAs its roles trust when they call each other
 * (--ca-file; NULL: the system's).  The strings must outlive the server.
 */
struct test_tls {
	const char	*cert;
	const char	*key;
	const char	*ca_file;
};

struct test_server {
	pid_t	pid;
	unsigned port;
	char	url[64];		/* "http://127.0.0.1:NNNNN", or https */
	char	dir[PATH_MAX];		/* the temporary folder */
	char	data[PATH_MAX];		/* dir/data, the data folder */
	char	config[PATH_MAX];	/* dir/config.json */
	char	log[PATH_MAX];		/* dir/server.log */
	const char *const *args;	/* the extra arguments, kept for restarts */
	struct test_tls tls;		/* HTTPS when tls.cert is set */
	/* The portal's PostgreSQL database (DVC_TEST_PG=1), "" for SQLite. */
	char	database[PATH_MAX + 64];
};

/*
 * The configuration tests run with: second-scale timings and cheap KDF
 * costs.  extra, when not NULL, is JSON text of top-level members that
 * replace the defaults', such as "\"timings\": {...}".
 */
const char	*test_config_default(void);

/*
 * Makes a temporary folder, writes the configuration (config_json, or the
 * default when NULL) and starts dvc-server on port 0 with the given extra
 * arguments (NULL-terminated, may be NULL; they must outlive the server,
 * since a restart passes them again).  With DVC_TEST_PG=1 in the
 * environment, the portal's tables go into a PostgreSQL database of the
 * server's own (tests/lib/cluster.h), named by database.url in the
 * configuration written (for the commands a test runs with it) and by
 * DVC_DATABASE_URL in the server's environment (for a configuration the
 * test writes again).  Returns 0, or -1 with a message on stderr.
 */
int	test_server_start(struct test_server *, const char *config_json,
	    const char *const *args);
/*
 * The same over HTTPS with tls (copied; its strings must outlive the
 * server): ts->url is then "https://127.0.0.1:NNNNN".
 */
int	test_server_start_tls(struct test_server *, const char *config_json,
	    const char *const *args, const struct test_tls *tls);

/*
 * A throwaway PKI made by openssl(1) in a temporary folder of its own: a
 * CA; from it, with one key, a server certificate for 127.0.0.1 and
 * localhost (subjectAltName), one that has expired, and one for another
 * name; and another CA that signed none of them.
 */
struct test_pki {
	char	dir[PATH_MAX];
	char	ca[PATH_MAX];		/* dir/ca.pem */
	char	other_ca[PATH_MAX];	/* dir/other-ca.pem */
	char	other_key[PATH_MAX];	/* its key: no server certificate's */
	char	key[PATH_MAX];		/* dir/server.key */
	char	cert[PATH_MAX];		/* dir/server.pem: 127.0.0.1 */
	char	expired[PATH_MAX];	/* dir/expired.pem */
	char	wrong_host[PATH_MAX];	/* dir/wrong-host.pem: dvc.invalid */
};

/* Makes the PKI; 0, or -1 with openssl's output on stderr. */
int	test_pki_make(struct test_pki *);
/* Removes its folder. */
void	test_pki_cleanup(struct test_pki *);
/* Starts the server again on the same folder, after a stop. */
int	test_server_restart(struct test_server *);
/*
 * The same, and on the same port too, so that a client still holding
 * ts->url finds it again; tried again for 10 s while the port is taken
 * (by the local end of another test's connection): -1 after that.
 */
int	test_server_restart_same_port(struct test_server *);
/* SIGTERM, then waits; returns the exit status, or -1. */
int	test_server_stop(struct test_server *);
/* Stops the server if running and removes its folder. */
void	test_server_cleanup(struct test_server *);
/* The server's log so far; caller frees. */
char	*test_server_log(const struct test_server *);
/*
 * Waits (a minute at most) for the ca role's worker to have made every
 * demo key, so that a first call for a certificate does not queue
 * behind that work on a loaded machine: 0, or -1 when it never did.
 */
int	test_server_wait_ca_keys(const struct test_server *);

/* A demo citizen of a server's data folder (dvc-server demo --json). */
struct test_citizen {
	char	cccd[13];
	char	name[128];
	char	passcode[7];
	char	activation_code[16];	/* "" until the ca role enrols it */
};

/* The n-th demo citizen (from 0); -1 when there is none. */
int	test_demo_citizen(const struct test_server *, int n,
	    struct test_citizen *);
/*
 * Logs the n-th demo citizen in through the device grant, approving on the
 * idp's phone API as dvc-phone would; the access token (caller frees), or
 * NULL with a message on stderr.
 */
char	*test_login(const struct test_server *, int n);
/*
 * Approves a device login's user code (as shown by a client that logs
 * in itself) as the n-th demo citizen; 0 or -1.
 */
int	test_login_approve(const struct test_server *, int n,
	    const char *user_code);

/*
 * Starts a device login (RFC 8628) as dvc does: its user code (as shown,
 * XXXX-XXXX) and device code; 0 or -1.
 */
int	test_login_start(const struct test_server *, char *user_code,
	    size_t usz, char *device_code, size_t dsz);

/*
 * POSTs the JSON text body to ts's path from the local address from
 * ("127.0.0.2": on Linux all of 127.0.0.0/8 reaches a server on
 * 127.0.0.1), binding the socket with libcurl's CURLOPT_INTERFACE.
 * Returns the HTTP status, or -1 when this host cannot send from there.
 * *out (may be NULL) gets the JSON answer (caller cJSON_Delete), and
 * *retry_after (may be NULL) its Retry-After header, 0 without one.
 */
struct cJSON;
long	test_post_from(const struct test_server *, const char *from,
	    const char *path, const char *body, struct cJSON **out,
	    unsigned *retry_after);

/*
 * An HTTP client for ts (httpc.h): over HTTPS it trusts ts->tls.ca_file.
 * Caller frees with httpc_free.
 */
struct httpc;
struct httpc	*test_http(const struct test_server *);

/* $DVC_BUILD_DIR/name and $DVC_SOURCE_DIR/name; static storage. */
const char	*test_build_path(const char *name);
const char	*test_source_path(const char *name);
/*
 * The file $DVC_SOURCE_DIR/name whole, a NUL after its *len bytes (len
 * may be NULL); caller frees.  NULL when it cannot be read.
 */
char	*test_source_read(const char *name, size_t *len);
/* Runs a shell command and returns its output (caller frees) and status. */
char	*test_run(const char *cmd, int *status);

/*
 * The benchmarks' quick mode (tests/lib/bench.c): whether BENCH_QUICK
 * asks for it (set and not "0"), and full or quick as it says.
 */
int	test_bench_quick(void);
long	test_bench_n(long full, long quick);

/*
 * The citizen's signing app, over the same device signing as dvc-phone
 * (src/phone/phone_device.h): a P-256 key activated with the demo citizen's
 * one-time activation code, so once per citizen and server.  A phone
 * follows its server across restarts (it reads ts->url at each call), so
 * ts must outlive it.
 */
struct test_phone;
/*
 * Activates a phone for the n-th demo citizen of ts (its activation code
 * from `demo --json`); NULL on failure (message on stderr).  Caller frees
 * with test_phone_free().
 */
struct test_phone *test_phone_activate(const struct test_server *, int n);
/*
 * Waits up to timeout_s for a waiting request; fills its id (as the API
 * gives it) and control code; 0 or -1.  The request is the newest waiting
 * one that this phone has not given before, so that each call finds the
 * next new request.
 */
int	test_phone_wait_request(struct test_phone *, char *id, size_t idsz,
	    char control_code[5], int timeout_s);
/*
 * Confirms with the citizen's demo PIN (pin NULL) or the one given;
 * returns the HTTP status (0 when the server cannot be reached).
 */
long	test_phone_confirm(struct test_phone *, const char *id,
	    const char *pin);
long	test_phone_reject(struct test_phone *, const char *id);
/* Request id as the phone's API gives it (caller cJSON_Delete), or NULL. */
struct cJSON *test_phone_request(struct test_phone *, const char *id);
void	test_phone_free(struct test_phone **);

/*
 * Dossiers (tests/lib/dossier.c).  test_api makes one request with the
 * bearer token (NULL: none) and parses a JSON answer into *out (may be
 * NULL; caller cJSON_Delete); it returns the HTTP status, 0 when the
 * server cannot be reached.
 */
struct cJSON;
long	test_api(const struct test_server *, const char *token,
	    const char *method, const char *path, const char *type,
	    const void *body, size_t len, struct cJSON **out);
/*
 * GETs path with the bearer token (NULL: none): the HTTP status (0 when
 * the server cannot be reached), the body into *body (initialised here;
 * caller buf_free) and its media type into type.
 */
struct buf;
long	test_get(const struct test_server *, const char *token,
	    const char *path, struct buf *body, char *type, size_t typesz);
/*
 * The element of a portal error's "fields" (field_error.h) at exactly
 * path, or NULL; and its message or code, NULL when there is none.
 */
const struct cJSON *test_field(const struct cJSON *error, const char *path);
const char	*test_field_message(const struct cJSON *error,
		    const char *path);
const char	*test_field_code(const struct cJSON *error, const char *path);
/*
 * Writes the demo root CA, as the provider's get_certificate gives it in
 * chain_data (with the portal's SP credentials of the data folder), to
 * pem_path; 0 or -1.
 */
int	test_demo_root(const struct test_server *, const char *pem_path);
/* Adds a signature setting (VNPT SmartCA) with a stamp; 0 or -1. */
int	test_signature_add(const struct test_server *, const char *token,
	    char *id, size_t idsz);
/* A complete khai sinh draft of demo citizen n; its id (caller frees). */
char	*test_complete_draft(const struct test_server *, const char *token,
	    int n);
/*
 * GET the dossier's declaration: its text into *text (may be NULL;
 * caller frees) and its ETag into etag (may be NULL); the HTTP status.
 */
long	test_declaration(const struct test_server *, const char *token,
	    const char *id, char **text, char *etag, size_t etagsz);
/*
 * POST /api/v1/dossiers/{id}/signing with If-Match: if_match (NULL: no
 * If-Match); the HTTP status, the JSON answer in *out (may be NULL).
 */
long	test_sign_request(const struct test_server *, const char *token,
	    const char *id, const char *signature_id, const char *if_match,
	    struct cJSON **out);
/*
 * Starts signing a dossier as a client does: fetches the declaration and
 * starts with its ETag.  The signing's id (caller frees) or NULL.
 */
char	*test_sign_start(const struct test_server *, const char *token,
	    const char *id, const char *signature_id);
/* Long-polls a signing until it is signed (0) or ends otherwise (-1). */
int	test_sign_wait(const struct test_server *, const char *token,
	    const char *signing_id);
/* Signs a dossier as it is now, confirming on the phone; 0 or -1. */
int	test_sign_dossier(const struct test_server *, const char *token,
	    const char *id, const char *signature_id, struct test_phone *);
/* A complete draft, signed; its id (caller frees) or NULL. */
char	*test_signed_dossier(const struct test_server *, const char *token,
	    int n, const char *signature_id, struct test_phone *);
/* The officer's key of the server's data folder, into key; 0 or -1. */
int	test_read_officer_key(const struct test_server *, char *key, size_t keysz);
/* POST /api/v1/officer/dossiers/CODE/ACTION (body JSON or NULL). */
long	test_officer(const struct test_server *, const char *key,
	    const char *code, const char *action, const char *body);
/*
 * Submits the signed dossier id, then has the officer receive, process
 * and finish it and return it with result (a PDF's bytes) as the file
 * dir/ket-qua.pdf; the dossier's code into code.  0 or -1.
 */
int	test_returned_dossier(const struct test_server *, const char *token,
	    const char *id, const char *result, char *code, size_t codesz);

/*
 * SQL that takes portal.db back before the migrations that a second run
 * could not repeat (a column or a table added), from the newest down,
 * for a test that makes a store as an earlier version left it: undo
 * these, then delete schema_migrations from the version wanted on.
 * Each such migration adds its undoing here.
 */
#define TEST_PORTAL_UNDO_SCHEMA \
	"ALTER TABLE signings DROP COLUMN lease_until;" \
	"ALTER TABLE signings DROP COLUMN lease_holder;" \
	"ALTER TABLE signings DROP COLUMN declaration_etag;" \
	"ALTER TABLE signings DROP COLUMN signature_id;" \
	"DROP TABLE IF EXISTS citizen_changes;" \
	"ALTER TABLE citizen_seen DROP COLUMN seen_seq;" \
	"ALTER TABLE dossiers DROP COLUMN change_seq;"

/*
 * Runs sql (one or more statements) on the portal database of ts, the
 * server's portal.db or, with DVC_TEST_PG=1, its PostgreSQL database
 * (through psql): the rows it gives, a line each with its columns
 * between '|', or NULL with the error on stderr.  Caller frees.
 */
char	*test_portal_sql(const struct test_server *, const char *sql);
/*
 * Whether ts keeps its portal in SQLite: for the cases that write a
 * store as an earlier version of the SQLite schema left it, which a
 * PostgreSQL database, starting at its baseline, never was.  Else prints
 * "skipped: why" for the case to skip().
 */
int	test_portal_sqlite(const struct test_server *, const char *why);

/*
 * The portal store of ts through the portal's own statements (with one
 * connection): its portal.db, or with DVC_TEST_PG=1 its PostgreSQL
 * database.  NULL with a message on stderr.  Caller db_close()s.
 */
struct db	*test_portal_open(const struct test_server *);

/*
 * What an earlier version of the portal could have stored, written into
 * the server's portal.db through the portal's store (tests/lib/store.c).
 * test_token_sub is the sub of a token's citizen (caller frees) or NULL.
 * test_store_old_signature stores, for the token's citizen, a signature
 * setting at VNPT SmartCA with another account and certificate subject;
 * its id into id.  test_store_foreign_declaration records the dossier id
 * of the token's citizen as signed, in its current version, with the
 * signed declaration of other_token's dossier other_id.  0 or -1.
 */
char	*test_token_sub(const struct test_server *, const char *token);
int	test_store_old_signature(const struct test_server *, const char *token,
	    const char *account, const char *subject, char *id, size_t idsz);
int	test_store_foreign_declaration(const struct test_server *,
	    const char *token, const char *id, const char *other_token,
	    const char *other_id);
/*
 * test_store_old_appointment gives the dossier of that code the
 * appointment at, as a portal that did not count working hours could
 * have, in a database whose appointments were never checked against
 * the hours.  0 or -1.
 */
int	test_store_old_appointment(const struct test_server *,
	    const char *code, int64_t at);

/* What test_whole_flow went through, for the checks that follow it. */
struct test_flow {
	char	user_code[16];		/* the login's, as the idp gave it */
	char	page[256];		/* the verification page's URL */
	char	signature_id[64];
	char	dossier_id[64];
	char	signing_id[64];
	char	request_id[64];		/* the phone's id of the request */
	char	code[40];		/* the dossier's code */
};
/*
 * The whole flow of demo citizen n over the API (tests/lib/whole.c): a
 * login whose verification page is opened at its URL, a signature
 * setting, a dossier signed on a test phone activated for n, submitted,
 * received, processed, finished and returned with a result file, read,
 * and looked up by its code and the CCCD.  0, or -1 with a message on
 * stderr.
 */
int	test_whole_flow(const struct test_server *, int n, struct test_flow *);

/*
 * Form values of procedure 1.000689 with signer as the applicant and
 * "Nội dung" and "Ghi chú" of paragraphs and notes sentences
 * (tests/lib/values.c); NULL if they do not parse.  Caller frees.
 */
struct cJSON	*test_pdf_values(const char *signer, size_t paragraphs,
		    size_t notes);

/*
 * Seeds of the fuzz targets from the tests' own inputs (tests/lib/seed.c):
 * when DVC_FUZZ_SEED names a folder, writes data as one input of target
 * (DVC_FUZZ_SEED/target/hash), after the selector byte tag (-1: none).
 * subst (may be NULL) is { secret, name, ..., NULL }: each secret of the
 * test's data folder is written as the name the fuzz server fills in
 * ("@SP_PASSWORD@", tests/fuzz/serve.h).
 */
void	test_seed(const char *target, int tag, const void *data, size_t len);
void	test_seed_subst(const char *target, int tag, const void *data,
	    size_t len, const char *const *subst);

#endif
