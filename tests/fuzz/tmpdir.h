/*
 * Where the fuzz targets keep their scratch files (a store, a data
 * folder, a configuration file): /dev/shm when it can be written, so
 * that SQLite's syncs cost nothing, else $TMPDIR, else /tmp.
 */
#ifndef DVC_FUZZ_TMPDIR_H
#define DVC_FUZZ_TMPDIR_H

/* A new folder there, "dvc-fuzz-<what>-XXXXXX" made; caller frees. */
char	*fuzz_tmpdir(const char *what);
/* Removes dir and all it holds, at the end of a run. */
void	 fuzz_tmpdir_remove(const char *dir);

#endif
