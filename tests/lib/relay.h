/*
 * A counting TCP relay on loopback, for the client benchmarks: dvc takes
 * it for the portal, and it forwards each connection to the server,
 * counting the bytes each way (HTTP as sent, headers and bodies, no
 * TCP/IP) and the requests.  One thread; at most RELAY_CONNS connections
 * at a time.  Connections whose far end belongs to a given process (the
 * server calling itself through its public URL) are forwarded but not
 * counted.
 */
#ifndef DVC_TEST_RELAY_H
#define DVC_TEST_RELAY_H

#include <sys/types.h>

#include <pthread.h>
#include <stddef.h>

#define RELAY_CONNS	16

struct relay {
	int		 lfd;
	unsigned	 port;		/* where it listens */
	unsigned	 target;	/* the server's port */
	pid_t		 skip_pid;	/* not counted; 0 none */
	int		 trace;		/* each read on stderr */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	int		 stop;
	size_t		 up, down, requests;
	size_t		 auth;		/* of up, Authorization lines */
	int		 fds[RELAY_CONNS][3];	/* client, server, counted */
};

/*
 * Listens on 127.0.0.1:port (0: any; r->port says which) and starts the
 * thread.  target may be set (r->target) until the first connection.
 * 0, or -1.
 */
int	relay_start(struct relay *, unsigned port, unsigned target);
void	relay_stop(struct relay *);
/* The counts so far. */
void	relay_read(struct relay *, size_t *up, size_t *down,
	    size_t *requests);
/* Of the bytes up so far, those of Authorization header lines. */
size_t	relay_auth(struct relay *);
/* A free port on loopback, released at once (for a server's config). */
unsigned relay_free_port(void);

#endif
