/*
 * A throwaway PKI for the HTTPS tests, made by openssl(1) as an operator
 * would make one: P-256 keys, a CA with keyCertSign, server certificates
 * with subjectAltName and serverAuth.  An expired certificate is one whose
 * validity ended a day before it began (-days -1), which every verifier
 * refuses as expired today.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xmalloc.h"

/* The CAs' and the servers' extensions, and a subject for req. */
static const char pki_config[] =
    "[req]\n"
    "distinguished_name = dn\n"
    "prompt = no\n"
    "[dn]\n"
    "CN = dvc test CA\n"
    "[ca]\n"
    "basicConstraints = critical, CA:TRUE\n"
    "keyUsage = critical, keyCertSign, cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "[server]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage = critical, digitalSignature\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
    "[wrong_host]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage = critical, digitalSignature\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = DNS:dvc.invalid\n";

/* The shell commands, run in the PKI's folder. */
static const char pki_script[] =
    "set -e; umask 077\n"
    "key() { openssl genpkey -algorithm EC "
    "-pkeyopt ec_paramgen_curve:P-256 -out \"$1\"; }\n"
    "ca() { key \"$1.key\"; openssl req -config pki.cnf -new -x509 "
    "-key \"$1.key\" -subj \"/CN=$2\" -extensions ca -days 3 "
    "-out \"$1.pem\"; }\n"
    "ca ca 'dvc test CA'\n"
    "ca other-ca 'dvc other CA'\n"
    "key server.key\n"
    "openssl req -config pki.cnf -new -key server.key -subj /CN=127.0.0.1 "
    "-out server.csr\n"
    "sign() { openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
    "-CAcreateserial -extfile pki.cnf -extensions \"$1\" -days \"$2\" "
    "-out \"$3\"; }\n"
    "sign server 2 server.pem\n"
    "sign server -1 expired.pem\n"
    "sign wrong_host 2 wrong-host.pem\n";

static int
pki_path(char *dst, const struct test_pki *pki, const char *name)
{
	return snprintf(dst, PATH_MAX, "%s/%s", pki->dir, name) >= PATH_MAX ?
	    -1 : 0;
}

int
test_pki_make(struct test_pki *pki)
{
	const char *tmp = getenv("TMPDIR");
	char *cmd, *out, *conf;
	FILE *fp;
	int st;

	memset(pki, 0, sizeof *pki);
	snprintf(pki->dir, sizeof pki->dir, "%s/dvc-pki.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(pki->dir) == NULL) {
		fprintf(stderr, "test: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	if (pki_path(pki->ca, pki, "ca.pem") == -1 ||
	    pki_path(pki->other_ca, pki, "other-ca.pem") == -1 ||
	    pki_path(pki->other_key, pki, "other-ca.key") == -1 ||
	    pki_path(pki->key, pki, "server.key") == -1 ||
	    pki_path(pki->cert, pki, "server.pem") == -1 ||
	    pki_path(pki->expired, pki, "expired.pem") == -1 ||
	    pki_path(pki->wrong_host, pki, "wrong-host.pem") == -1) {
		fprintf(stderr, "test: TMPDIR is too long\n");
		return -1;
	}
	conf = xasprintf("%s/pki.cnf", pki->dir);
	fp = fopen(conf, "w");
	st = fp == NULL || fputs(pki_config, fp) == EOF;
	if (fp != NULL && fclose(fp) == EOF)
		st = 1;
	free(conf);
	if (st) {
		fprintf(stderr, "test: cannot write pki.cnf: %s\n",
		    strerror(errno));
		return -1;
	}
	cmd = xasprintf("cd '%s' && { %s} 2>&1", pki->dir, pki_script);
	out = test_run(cmd, &st);
	if (st != 0)
		fprintf(stderr, "test: openssl could not make the PKI:\n%s",
		    out);
	free(out);
	free(cmd);
	return st == 0 ? 0 : -1;
}

void
test_pki_cleanup(struct test_pki *pki)
{
	char *cmd;
	int st;

	if (pki->dir[0] == '\0')
		return;
	cmd = xasprintf("rm -rf '%s'", pki->dir);
	free(test_run(cmd, &st));
	free(cmd);
	pki->dir[0] = '\0';
}
