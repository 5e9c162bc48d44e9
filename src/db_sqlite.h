/*
 * SQLite as a db.h engine: one database file, opened in WAL mode with
 * foreign keys and a busy timeout, each connection keeping the statements
 * it has prepared.
 */
#ifndef DVC_DB_SQLITE_H
#define DVC_DB_SQLITE_H

#include "db_driver.h"

extern const struct db_driver db_sqlite;

#endif
