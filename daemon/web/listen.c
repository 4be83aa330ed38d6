/* The console's listening socket (web_impl.h): the one systemd passes
 * (socket activation, vigie-web.socket), or web.listen's — a TCP address
 * or a unix socket path. Whatever its origin, a socket that is neither a
 * unix socket nor bound to a loopback address is refused unless the console
 * speaks TLS itself: passwords and session cookies never cross a network in
 * clear. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include "vigie/xalloc.h"
#include "web_impl.h"

/* What the socket is bound to: AF_UNIX, or an address and whether it is
 * loopback (0.0.0.0 and :: are not). */
static int describe(int fd, bool *is_unix, bool *loopback, char *where, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	*is_unix = ss.ss_family == AF_UNIX;
	*loopback = false;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		*loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
		snprintf(where, size, "%s:%u", host, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		snprintf(where, size, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else if (ss.ss_family == AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		snprintf(where, size, "%s", un->sun_path[0] ? un->sun_path : "(unix)");
	} else {
		return -1;
	}
	return 0;
}

static int open_unix(const char *path, char **err)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct stat sb;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(un.sun_path)) {
		*err = xasprintf("web.listen %s: path too long for a unix socket", path);
		return -1;
	}
	memcpy(un.sun_path, path, strlen(path) + 1);
	/* A socket file left by a previous run; never anything else. */
	if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
		unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	/* rw for the owner and the group (the reverse proxy's): others
	 * cannot connect, so cannot claim to be the proxy. */
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&un, sizeof(un)) != 0) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (listen(fd, 128) != 0)
		goto fail;
	return fd;
fail:
	*err = xasprintf("cannot listen on %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int open_tcp(const char *listen_on, char **err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai = NULL;
	char host[256], port[16];
	unsigned p;
	int fd = -1, one = 1, rc;

	if (config_listen_split(listen_on, host, sizeof(host), &p) != 0) {
		*err = xasprintf("web.listen \"%s\" is not HOST:PORT", listen_on);
		return -1;
	}
	snprintf(port, sizeof(port), "%u", p);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		*err = xasprintf("web.listen %s: %s", listen_on, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)) != 0) || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0) {
		*err = xasprintf("cannot listen on %s: %s", listen_on, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int listen_open(const char *listen_on, bool tls, bool *is_unix, bool *activated,
    char **err)
{
	int n = sd_listen_fds(1), fd;
	bool loopback;
	char where[256] = "";

	*err = NULL;
	*activated = n > 0;
	if (n > 1) {
		*err = xasprintf("systemd passed %d sockets; vigie-web listens on one", n);
		return -1;
	}
	if (n == 1) {
		fd = SD_LISTEN_FDS_START;
		if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
			*err = xasprintf("the socket systemd passed is not a listening stream socket");
			return -1;
		}
	} else if (listen_on[0] == '/') {
		fd = open_unix(listen_on, err);
	} else {
		fd = open_tcp(listen_on, err);
	}
	if (fd < 0)
		return -1;
	if (describe(fd, is_unix, &loopback, where, sizeof(where)) != 0) {
		*err = xasprintf("cannot tell what the listening socket is bound to: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!*is_unix && !loopback && !tls) {
		*err = xasprintf("refusing to listen on %s without TLS: it is not a loopback "
		    "address, and passwords and session cookies would cross the network in "
		    "clear; set web.tls_cert_file and web.tls_key_file, or listen on "
		    "127.0.0.1 or a unix socket behind a reverse proxy", where);
		close(fd);
		return -1;
	}
	return fd;
}
