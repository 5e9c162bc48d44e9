/*
 * PostgreSQL as a db.h engine, for the portal of dvc-server: where is a
 * libpq connection string or URI ("postgresql:///dvc?host=/run/postgresql").
 * Only dvc-server links libpq: the engine is in the server's layer, and
 * db.c never names it.
 */
#ifndef DVC_DB_PG_H
#define DVC_DB_PG_H

struct db_driver;

extern const struct db_driver db_pg;

#endif
