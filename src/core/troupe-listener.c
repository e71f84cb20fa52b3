/* troupe-listener.c: a TCP socket bound and listening, to share among a cluster's members
 *
 * Troupe binds and listens once; every member then accepts on the same socket,
 * and the kernel hands each new connection to one of them. The socket is left
 * blocking: the flag belongs to the open file that all members share, and a
 * simple member that blocks in accept() must not see EAGAIN; Node and other
 * event loops make it non-blocking themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "troupe-listener.h"

#define BACKLOG 511

G_DEFINE_QUARK (troupe-listen-error-quark, troupe_listen_error)

/**
 * troupe_listen_parse_address:
 * @text: "HOST:PORT", ":PORT", "PORT" or "[IPV6]:PORT"; the host is an IP
 *   address or "localhost", and defaults to 127.0.0.1
 * @host: (out): the host
 * @port: (out): the port; 0 picks a free one
 *
 * Returns: %TRUE if @text is an address to listen on
 */
gboolean
troupe_listen_parse_address (const char  *text,
                             char       **host,
                             guint16     *port,
                             GError     **error)
{
  g_autofree char *host_part = NULL;
  const char *port_part;
  const char *colon;
  guint64 number;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        goto bad;
      host_part = g_strndup (text + 1, end - text - 1);
      port_part = end + 2;
    }
  else if ((colon = strrchr (text, ':')) != NULL)
    {
      host_part = g_strndup (text, colon - text);
      port_part = colon + 1;
    }
  else
    port_part = text;

  if (!g_ascii_string_to_unsigned (port_part, 10, 0, 65535, &number, NULL))
    goto bad;
  if (host_part == NULL || host_part[0] == '\0')
    {
      g_free (host_part);
      host_part = g_strdup (TROUPE_LISTEN_DEFAULT_HOST);
    }
  else if (g_str_equal (host_part, "localhost"))
    {
      g_free (host_part);
      host_part = g_strdup ("127.0.0.1");
    }
  else if (!g_hostname_is_ip_address (host_part))
    {
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_BAD_ADDRESS,
                   _("“%s” is not an IP address (or localhost)"), host_part);
      return FALSE;
    }

  *host = g_steal_pointer (&host_part);
  *port = (guint16) number;
  return TRUE;

bad:
  g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_BAD_ADDRESS,
               _("“%s” is not an address to listen on: give HOST:PORT, such as 127.0.0.1:8000"),
               text);
  return FALSE;
}

/**
 * troupe_listen_tcp:
 * @host: an IP address
 * @port: the port, or 0 for a free one
 * @bound_port: (out) (optional): the port it is bound to
 * @saved_errno: (out) (optional): the errno of a failure, for peers that want it
 * @error: why it cannot listen, for people
 *
 * Returns: the listening socket (close-on-exec, blocking), or -1
 */
int
troupe_listen_tcp (const char *host,
                   guint16     port,
                   guint16    *bound_port,
                   int        *saved_errno,
                   GError    **error)
{
  struct sockaddr_storage address = { 0 };
  socklen_t length;
  int family;
  int fd;
  int one = 1;
  int failure;

  g_return_val_if_fail (host != NULL, -1);

  if (inet_pton (AF_INET, host, &((struct sockaddr_in *) &address)->sin_addr) == 1)
    {
      family = AF_INET;
      ((struct sockaddr_in *) &address)->sin_family = AF_INET;
      ((struct sockaddr_in *) &address)->sin_port = htons (port);
      length = sizeof (struct sockaddr_in);
    }
  else if (inet_pton (AF_INET6, host, &((struct sockaddr_in6 *) &address)->sin6_addr) == 1)
    {
      family = AF_INET6;
      ((struct sockaddr_in6 *) &address)->sin6_family = AF_INET6;
      ((struct sockaddr_in6 *) &address)->sin6_port = htons (port);
      length = sizeof (struct sockaddr_in6);
    }
  else
    {
      if (saved_errno != NULL)
        *saved_errno = EINVAL;
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_BAD_ADDRESS,
                   _("“%s” is not an IP address"), host);
      return -1;
    }

  fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    goto failed;
  /* A restarted cluster can take its port again at once, despite old
   * connections in TIME_WAIT. */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &address, length) != 0 || listen (fd, BACKLOG) != 0)
    goto failed;

  if (bound_port != NULL)
    {
      length = sizeof address;
      getsockname (fd, (struct sockaddr *) &address, &length);
      *bound_port = ntohs (family == AF_INET ? ((struct sockaddr_in *) &address)->sin_port
                                             : ((struct sockaddr_in6 *) &address)->sin6_port);
    }
  return fd;

failed:
  failure = errno;
  if (fd >= 0)
    close (fd);
  if (saved_errno != NULL)
    *saved_errno = failure;
  switch (failure)
    {
    case EADDRINUSE:
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_IN_USE,
                   _("Port %u on %s is already in use"), port, host);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_NOT_ALLOWED,
                   _("Not allowed to listen on port %u on %s (ports below 1024 need privileges)"),
                   port, host);
      break;
    case EADDRNOTAVAIL:
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_BAD_ADDRESS,
                   _("%s is not an address of this machine"), host);
      break;
    default:
      g_set_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_FAILED,
                   _("Cannot listen on %s port %u: %s"), host, port, g_strerror (failure));
      break;
    }
  return -1;
}
