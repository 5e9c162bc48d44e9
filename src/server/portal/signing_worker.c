/*
 * The portal's signing worker: one thread that follows the waiting
 * transactions at their providers by long poll, all at once on one curl
 * multi handle, never asking about one transaction more than once per
 * POLL_GAP_MS.  When a transaction ends it completes the signatures (on
 * success), records the end and wakes the clients long-polling the
 * portal, in every instance.  The transactions live in the database, so
 * after a restart the worker finds the waiting ones again.
 *
 * Several instances of the portal may share the database: each follows
 * only the transactions it holds a lease on (signing_store.h), taken
 * when it starts one or when one is free or its lease ended, renewed at
 * every scan for timings.signing_lease seconds, given up at a stop.  Its
 * record of an end holds only while the transaction still waits under
 * its lease, so that no transaction is ended twice; when an instance
 * dies, another takes its transactions over once their leases end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cades.h"
#include "clock.h"
#include "httpc.h"
#include "json.h"
#include "log.h"
#include "pades.h"
#include "portal/ca_client.h"
#include "portal/notify.h"
#include "portal/portal.h"
#include "portal/signing_state.h"
#include "portal/signing_store.h"
#include "portal/signing_worker.h"
#include "server.h"
#include "xmalloc.h"

#define POLL_GAP_MS	2000
#define MAX_FOLLOWED	256
#define RESCAN_MS	1000
/* The longest status wait the provider API takes (signing-protocol.md). */
#define PROVIDER_WAIT_MAX 30

struct followed {
	char		 id[32];	/* the signing's public id */
	struct httpc	*h;		/* its status request, or NULL */
	char		*body;		/* what h sends */
	int64_t		 next_ms;	/* when it may be asked again */
	int		 asking;	/* h is under way */
	int		 seen;		/* still waiting at the last scan */
};

struct portal_signing_worker {
	struct server		*srv;
	pthread_t		 thread;
	int			 wake[2];	/* a pipe: kick and stop */
	volatile		 int		 stop;
	struct httpc_multi	*multi;
	struct followed		 f[MAX_FOLLOWED];
	size_t			 n;
};

static void
notify(struct server *srv, const char *id)
{
	char key[64];

	snprintf(key, sizeof key, "signing:%s", id);
	portal_notify(srv, key);
}


enum status
portal_signing_complete(struct server *srv, const struct portal_signing *s,
    const cJSON *signatures, struct buf **results, size_t *n, char *err,
    size_t errsz)
{
	struct portal_signing_file *files = NULL;
	struct pades_prepared prep;
	const cJSON *sig;
	const void *chain[2];
	size_t chain_len[2], nfiles = 0, i;
	struct buf value;
	const char *doc;
	struct buf *out;
	enum status st;

	*results = NULL;
	*n = 0;
	st = portal_signing_files(srv->db[SERVER_PORTAL], s->id, &files,
	    &nfiles);
	if (st != STATUS_OK)
		return st;
	out = xcalloc(nfiles, sizeof *out);
	chain[0] = s->chain_ca.data;
	chain_len[0] = s->chain_ca.len;
	chain[1] = s->chain_root.data;
	chain_len[1] = s->chain_root.len;
	for (i = 0; i < nfiles; i++) {
		cJSON_ArrayForEach(sig, signatures) {
			doc = cJSON_GetStringValue(cJSON_GetObjectItem(sig,
			    "doc_id"));
			if (doc != NULL && strcmp(doc, files[i].doc_id) == 0)
				break;
		}
		if (sig == NULL || portal_ca_base64(cJSON_GetStringValue(
		    cJSON_GetObjectItem(sig, "signature_value")), &value) ==
		    -1) {
			snprintf(err, errsz, "no signature for %s",
			    files[i].doc_id);
			st = STATUS_ERR_CRYPTO;
			break;
		}
		buf_init(&out[i], 64 * 1024 * 1024);
		if (files[i].seq == 0) {
			memset(&prep, 0, sizeof prep);
			prep.pdf = files[i].prepared;
			prep.signed_attrs = files[i].signed_attrs;
			st = pades_finish(&prep, value.data, value.len,
			    s->cert.data,
			    s->cert.len, chain, chain_len, 2, &out[i], err,
			    errsz);
		} else
			st = cades_finish(files[i].signed_attrs.data,
			    files[i].signed_attrs.len, value.data, value.len,
			    s->cert.data, s->cert.len, chain, chain_len, 2,
			    &out[i], err, errsz);
		buf_free(&value);
		if (st != STATUS_OK)
			break;
	}
	portal_signing_files_free(files, nfiles);
	if (st != STATUS_OK) {
		for (i = 0; i < nfiles; i++)
			buf_free(&out[i]);
		free(out);
		return st;
	}
	*results = out;
	*n = nfiles;
	return STATUS_OK;
}

/* Records the end of a transaction the provider reported. */
static void
ended(struct server *srv, const char *id, int tran_status,
    const cJSON *signatures)
{
	struct portal_signing s;
	struct buf *results = NULL;
	size_t n = 0, i;
	char err[300], tag[LOG_TAG_LEN];
	const char *state = portal_signing_state_of(tran_status);

	if (portal_signing_by_public_id(srv->db[SERVER_PORTAL], id,
	    &s) != STATUS_OK)
		return;
	if (tran_status == 1 && portal_signing_complete(srv, &s, signatures,
	    &results, &n, err, sizeof err) != STATUS_OK) {
		log_error("portal: signing id=%s: the provider's signatures do "
		    "not complete: %s", log_tag(id, tag), err);
		state = PORTAL_SIGNING_FAILED;
		tran_status = 4004;
	}
	if (portal_signing_end_held(srv->db[SERVER_PORTAL], s.id,
	    portal_instance(), clock_now(), state, tran_status, results,
	    n) == STATUS_OK) {
		log_info("portal: signing id=%s %s", log_tag(id, tag), state);
		notify(srv, id);
	} else
		log_info("portal: signing id=%s: ended elsewhere, or no longer "
		    "held here", log_tag(id, tag));
	for (i = 0; i < n; i++)
		buf_free(&results[i]);
	free(results);
	portal_signing_clear(&s);
}

static struct followed *
find(struct portal_signing_worker *w, const char *id)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->f[i].id, id) == 0)
			return &w->f[i];
	return NULL;
}

static void
drop(struct portal_signing_worker *w, struct followed *f)
{
	if (f->h != NULL) {
		if (f->asking)
			httpc_multi_cancel(w->multi, f->h);
		httpc_free(&f->h);
	}
	free(f->body);
	*f = w->f[--w->n];
}

/* Starts a status long poll for f. */
static void
ask(struct portal_signing_worker *w, struct followed *f)
{
	struct server *srv = w->srv;
	const struct provider *p;
	struct httpc_request req;
	struct httpc_config hc;
	struct portal_signing s;
	char *url = NULL;
	unsigned wait = srv->cfg.long_poll_max < PROVIDER_WAIT_MAX ?
	    srv->cfg.long_poll_max : PROVIDER_WAIT_MAX;

	if (portal_signing_by_public_id(srv->db[SERVER_PORTAL], f->id,
	    &s) != STATUS_OK)
		return;
	p = portal_ca_provider(srv, s.provider);
	if (p == NULL) {
		portal_signing_clear(&s);
		return;
	}
	free(f->body);
	portal_ca_status_request(p, s.transaction_id, wait, &url, &f->body);
	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = (long)(wait + 15) * 1000;
	hc.max_response = 4 * 1024 * 1024;
	hc.ca_file = srv->cfg.tls_ca_file;
	if (f->h == NULL)
		f->h = httpc_new(&hc);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.content_type = "application/json";
	req.body = f->body;
	req.body_len = strlen(f->body);
	f->asking = httpc_multi_start(w->multi, f->h, &req) == STATUS_OK;
	f->next_ms = clock_now_ms() + POLL_GAP_MS;
	free(url);
	portal_signing_clear(&s);
}

/* Follows f, by public id, unless it is followed already or too many are. */
static void
follow(struct portal_signing_worker *w, const char *id)
{
	struct followed *f = find(w, id);
	char tag[LOG_TAG_LEN];

	if (f == NULL && w->n < MAX_FOLLOWED) {
		f = &w->f[w->n++];
		memset(f, 0, sizeof *f);
		snprintf(f->id, sizeof f->id, "%s", id);
		log_info("portal: signing id=%s followed here",
		    log_tag(id, tag));
	}
	if (f != NULL)
		f->seen = 1;
}

/*
 * The transactions held here, their leases renewed, and those free to
 * take: their public ids, into ids (caller frees); -1 when the database
 * did not answer.  Nothing is written while nothing waits.
 */
static int
leases(struct portal_signing_worker *w, char ***ids, size_t *n)
{
	struct db *db = w->srv->db[SERVER_PORTAL];
	char **got = NULL;
	size_t ngot = 0, i;
	int64_t now = clock_now(), until = now + w->srv->cfg.signing_lease;

	*ids = NULL;
	*n = 0;
	if (w->n == 0) {
		if (portal_signing_waiting(db, &got, &ngot) != STATUS_OK)
			return -1;
		for (i = 0; i < ngot; i++)
			free(got[i]);
		free(got);
		if (ngot == 0)
			return 0;
	}
	if (portal_signing_renew(db, portal_instance(), until, ids, n) !=
	    STATUS_OK)
		return -1;
	if (*n < MAX_FOLLOWED && portal_signing_claim(db, portal_instance(),
	    now, until, MAX_FOLLOWED - *n, &got, &ngot) == STATUS_OK) {
		*ids = xreallocarray(*ids, *n + ngot + 1, sizeof **ids);
		memcpy(*ids + *n, got, ngot * sizeof *got);
		*n += ngot;
		free(got);
	}
	return 0;
}

/* Follows what is held here; forgets what is not (ended, or taken over). */
static void
scan(struct portal_signing_worker *w)
{
	char **ids = NULL;
	size_t n = 0, i;

	if (leases(w, &ids, &n) == -1)
		return;
	for (i = 0; i < w->n; i++)
		w->f[i].seen = 0;
	for (i = 0; i < n; i++) {
		follow(w, ids[i]);
		free(ids[i]);
	}
	free(ids);
	for (i = 0; i < w->n; )
		if (!w->f[i].seen)
			drop(w, &w->f[i]);
		else
			i++;
}

/* A status answer arrived for f. */
static void
answered(struct portal_signing_worker *w, struct followed *f,
    struct httpc_response *resp, enum status st)
{
	const cJSON *data;
	cJSON *j = NULL;
	char tag[LOG_TAG_LEN];
	int ts;

	if (st != STATUS_OK || json_parse(buf_str(&resp->body),
	    resp->body.len, &j, NULL, 0) != STATUS_OK) {
		log_warn("portal: signing id=%s: status unanswered (%s)",
		    log_tag(f->id, tag), httpc_error(f->h));
		return;
	}
	data = cJSON_GetObjectItem(j, "data");
	if (resp->status == 200 && cJSON_IsNumber(cJSON_GetObjectItem(data,
	    "tran_status"))) {
		ts = cJSON_GetObjectItem(data, "tran_status")->valueint;
		if (ts != 4000)
			ended(w->srv, f->id, ts, cJSON_GetObjectItem(data,
			    "signatures"));
	} else if (resp->status == 404)
		ended(w->srv, f->id, 4004, NULL);
	cJSON_Delete(j);
}

static void *
run(void *arg)
{
	struct portal_signing_worker *w = arg;
	struct httpc_response resp;
	struct httpc *h;
	struct pollfd pfd;
	enum status st;
	int64_t last_scan = 0, now;
	char drain[64];
	size_t i;

	while (!w->stop) {
		now = clock_now_ms();
		if (now - last_scan >= RESCAN_MS) {
			scan(w);
			last_scan = now;
		}
		for (i = 0; i < w->n; i++)
			if (!w->f[i].asking && w->f[i].next_ms <= now)
				ask(w, &w->f[i]);
		pfd.fd = w->wake[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		httpc_multi_wait(w->multi, &pfd, 1, 250);
		if (pfd.revents & POLLIN) {
			while (read(w->wake[0], drain, sizeof drain) > 0)
				continue;
			last_scan = 0;
		}
		httpc_multi_perform(w->multi);
		while (httpc_multi_done(w->multi, &h, &resp, &st)) {
			for (i = 0; i < w->n; i++)
				if (w->f[i].h == h) {
					w->f[i].asking = 0;
					answered(w, &w->f[i], &resp, st);
					break;
				}
			httpc_response_free(&resp);
		}
	}
	return NULL;
}

int
portal_signing_worker_start(struct server *srv, char *err, size_t errsz)
{
	struct portal_state *ps = srv->portal;
	struct portal_signing_worker *w;

	/* One process has an SQLite database: leases left are a dead one's. */
	if (db_engine(srv->db[SERVER_PORTAL]) == DB_ENGINE_SQLITE &&
	    portal_signing_release(srv->db[SERVER_PORTAL], NULL) !=
	    STATUS_OK) {
		snprintf(err, errsz, "signing worker: cannot free the leases "
		    "in the portal's database");
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->srv = srv;
	if (pipe2(w->wake, O_NONBLOCK | O_CLOEXEC) == -1) {
		snprintf(err, errsz, "signing worker: %s", strerror(errno));
		free(w);
		return -1;
	}
	w->multi = httpc_multi_new();
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		snprintf(err, errsz, "signing worker: cannot start a thread");
		httpc_multi_free(&w->multi);
		close(w->wake[0]);
		close(w->wake[1]);
		free(w);
		return -1;
	}
	ps->signing = w;
	return 0;
}

void
portal_signing_worker_kick(struct server *srv)
{
	struct portal_state *ps = srv->portal;

	if (ps->signing != NULL && write(ps->signing->wake[1], "k", 1) < 0)
		log_debug("signing worker: kick: %s", strerror(errno));
}

void
portal_signing_worker_take(struct server *srv, int64_t id)
{
	int64_t now = clock_now();

	if (portal_signing_claim_one(srv->db[SERVER_PORTAL], id,
	    portal_instance(), now, now + srv->cfg.signing_lease) != STATUS_OK)
		log_debug("signing worker: a new signing is held elsewhere");
	portal_signing_worker_kick(srv);
}

void
portal_signing_worker_stop(struct server *srv)
{
	struct portal_state *ps = srv->portal;
	struct portal_signing_worker *w = ps->signing;

	if (w == NULL)
		return;
	w->stop = 1;
	if (write(w->wake[1], "s", 1) < 0)
		log_debug("signing worker: stop: %s", strerror(errno));
	pthread_join(w->thread, NULL);
	while (w->n > 0)
		drop(w, &w->f[0]);
	/* Another instance takes them over at once. */
	if (portal_signing_release(srv->db[SERVER_PORTAL],
	    portal_instance()) != STATUS_OK)
		log_warn("signing worker: cannot give up its leases");
	httpc_multi_free(&w->multi);
	close(w->wake[0]);
	close(w->wake[1]);
	free(w);
	ps->signing = NULL;
}
