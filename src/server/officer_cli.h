/*
 * `dvc-server officer ...`: a thin command line over the officers' API
 * (docs/lifecycle.md), for the one-stop desk and for tests.
 */
#ifndef DVC_OFFICER_CLI_H
#define DVC_OFFICER_CLI_H

struct officer_cli {
	const char	*server;	/* --server URL; NULL: $DVC_SERVER */
	const char	*key;		/* --key; NULL: $DVC_OFFICER_KEY, DATA */
	const char	*data_dir;	/* where the key is kept */
	const char	*note;		/* --note */
	const char	*amount;	/* --amount, đồng */
	const char	*result;	/* --result FILE */
	const char	*status;	/* --status, for list */
	const char	*ca_file;	/* --ca-file, for HTTPS; NULL: system */
	int		 json;		/* --json: the API's answers as they are */
};

/*
 * Runs "officer" with its words (argv[0] is the subcommand).  Returns the
 * exit status: 0, 1 when the server refused or failed, 2 on bad usage.
 */
int	officer_cli_run(const struct officer_cli *, int argc, char **argv);

#endif
