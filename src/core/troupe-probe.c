/* troupe-probe.c: is a server up? One TCP connect or HTTP GET, with a timeout
 *
 * What the probe worker repeats at its interval, and what a cluster asks
 * before it counts a new member as ready. A TCP check passes when a connection
 * is accepted; an HTTP check when a GET gets a whole response with a status
 * below 400. A check that fails says why in words, which is what the user
 * sees as the reason a server is down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-probe.h"

void
troupe_probe_spec_free (TroupeProbeSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->host);
  troupe_http_url_free (spec->url);
  g_free (spec);
}

TroupeProbeSpec *
troupe_probe_spec_copy (const TroupeProbeSpec *spec)
{
  TroupeProbeSpec *copy = g_memdup2 (spec, sizeof *spec);

  copy->host = g_strdup (spec->host);
  if (spec->url != NULL)
    {
      copy->url = g_new0 (TroupeHttpUrl, 1);
      copy->url->host = g_strdup (spec->url->host);
      copy->url->port = spec->url->port;
      copy->url->path = g_strdup (spec->url->path);
      copy->url->host_header = g_strdup (spec->url->host_header);
    }
  return copy;
}

/* "HOST:PORT" or "[IPV6]:PORT"; HOST may be a name. */
static gboolean
parse_address (const char  *text,
               char       **host,
               guint16     *port)
{
  g_autofree char *host_part = NULL;
  const char *port_part;
  guint64 number;

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        return FALSE;
      host_part = g_strndup (text + 1, end - text - 1);
      port_part = end + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL)
        return FALSE;
      host_part = g_strndup (text, colon - text);
      port_part = colon + 1;
    }
  if (host_part[0] == '\0' ||
      !g_ascii_string_to_unsigned (port_part, 10, 1, 65535, &number, NULL))
    return FALSE;
  *host = g_steal_pointer (&host_part);
  *port = number;
  return TRUE;
}

static gboolean
get_member (JsonObject   *object,
            const char   *name,
            GType         type,
            JsonNode    **node,
            GError      **error)
{
  *node = json_object_get_member (object, name);
  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (*node) &&
      (json_node_get_value_type (*node) == type ||
       (type == G_TYPE_INT64 && json_node_get_value_type (*node) == G_TYPE_DOUBLE)))
    return TRUE;
  if (type == G_TYPE_STRING)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be text"), name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be a number"), name);
  return FALSE;
}

static gboolean
get_milliseconds (JsonObject  *object,
                  const char  *name,
                  guint        fallback,
                  guint       *value,
                  GError     **error)
{
  JsonNode *node;
  double number;

  if (!get_member (object, name, G_TYPE_INT64, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  number = json_node_get_double (node);
  if (number < 1 || number > G_MAXINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” must be a number of milliseconds, at least 1"), name);
      return FALSE;
    }
  *value = (guint) number;
  return TRUE;
}

/**
 * troupe_probe_spec_new_from_json:
 * @data: {"address": "HOST:PORT"} or {"url": "http://…"}, with "mode" ("tcp"
 *   or "http"; http when a url is given), "path" (for http with an address),
 *   "interval" and "timeout" in ms, and "count"
 * @default_host: (nullable): where to aim when @data names no address
 * @default_port: likewise
 *
 * Returns: (transfer full) (nullable): the probe, or %NULL with an error
 *   saying what is wrong with @data
 */
TroupeProbeSpec *
troupe_probe_spec_new_from_json (JsonNode    *data,
                                 const char  *default_host,
                                 guint16      default_port,
                                 GError     **error)
{
  g_autoptr(TroupeProbeSpec) spec = g_new0 (TroupeProbeSpec, 1);
  JsonObject *object;
  JsonNode *address;
  JsonNode *url;
  JsonNode *mode;
  JsonNode *path;
  JsonNode *count;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The probe needs an object such as {\"address\": \"127.0.0.1:8000\"}"));
      return NULL;
    }
  object = json_node_get_object (data);
  if (!get_member (object, "address", G_TYPE_STRING, &address, error) ||
      !get_member (object, "url", G_TYPE_STRING, &url, error) ||
      !get_member (object, "mode", G_TYPE_STRING, &mode, error) ||
      !get_member (object, "path", G_TYPE_STRING, &path, error) ||
      !get_member (object, "count", G_TYPE_INT64, &count, error) ||
      !get_milliseconds (object, "interval", TROUPE_PROBE_DEFAULT_INTERVAL_MS,
                         &spec->interval_ms, error) ||
      !get_milliseconds (object, "timeout", TROUPE_PROBE_DEFAULT_TIMEOUT_MS,
                         &spec->timeout_ms, error))
    return NULL;

  if (mode == NULL)
    spec->mode = url != NULL || path != NULL ? TROUPE_PROBE_HTTP : TROUPE_PROBE_TCP;
  else if (g_str_equal (json_node_get_string (mode), "tcp"))
    spec->mode = TROUPE_PROBE_TCP;
  else if (g_str_equal (json_node_get_string (mode), "http"))
    spec->mode = TROUPE_PROBE_HTTP;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The probe’s mode is “tcp” or “http”, not “%s”"),
                   json_node_get_string (mode));
      return NULL;
    }

  if (count != NULL)
    {
      double number = json_node_get_double (count);

      if (number < 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” must be a number, at least 1"), "count");
          return NULL;
        }
      spec->count = (guint64) number;
    }

  if (url != NULL)
    {
      spec->url = troupe_http_url_parse (json_node_get_string (url), error);
      if (spec->url == NULL)
        return NULL;
      spec->host = g_strdup (spec->url->host);
      spec->port = spec->url->port;
    }
  else if (address != NULL)
    {
      if (!parse_address (json_node_get_string (address), &spec->host, &spec->port))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an address: give HOST:PORT, such as 127.0.0.1:8000"),
                       json_node_get_string (address));
          return NULL;
        }
    }
  else if (default_host != NULL && default_port != 0)
    {
      spec->host = g_strdup (default_host);
      spec->port = default_port;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The probe needs an “address” (HOST:PORT) or a “url”"));
      return NULL;
    }

  if (spec->mode == TROUPE_PROBE_HTTP && spec->url == NULL)
    {
      const char *path_text = path != NULL ? json_node_get_string (path) : "/";
      g_autofree char *text = NULL;

      text = g_strdup_printf (strchr (spec->host, ':') != NULL ? "http://[%s]:%u%s%s"
                                                                : "http://%s:%u%s%s",
                              spec->host, spec->port, path_text[0] == '/' ? "" : "/", path_text);
      spec->url = troupe_http_url_parse (text, error);
      if (spec->url == NULL)
        return NULL;
    }
  return g_steal_pointer (&spec);
}

/**
 * troupe_probe_spec_describe:
 *
 * Returns: (transfer full): what the probe checks, as "tcp 127.0.0.1:8000" or
 *   "http http://127.0.0.1:8000/health"
 */
char *
troupe_probe_spec_describe (const TroupeProbeSpec *spec)
{
  if (spec->mode == TROUPE_PROBE_HTTP)
    return g_strdup_printf ("http http://%s%s", spec->url->host_header, spec->url->path);
  if (strchr (spec->host, ':') != NULL)
    return g_strdup_printf ("tcp [%s]:%u", spec->host, spec->port);
  return g_strdup_printf ("tcp %s:%u", spec->host, spec->port);
}

/**
 * troupe_probe_check:
 * @latency_usec: (out) (optional): how long the check took, pass or fail
 *
 * Checks once, blocking for up to the probe's timeout: for a worker thread.
 *
 * Returns: %TRUE if the server is up; else @error says why not (or is
 *   G_IO_ERROR_CANCELLED)
 */
gboolean
troupe_probe_check (const TroupeProbeSpec  *spec,
                    gint64                 *latency_usec,
                    GCancellable           *cancellable,
                    GError                **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean up = FALSE;

  if (spec->mode == TROUPE_PROBE_TCP)
    {
      g_autoptr(GSocket) socket = troupe_http_connect (spec->host, spec->port, spec->timeout_ms,
                                                       cancellable, error);

      if (socket != NULL)
        {
          g_socket_close (socket, NULL);
          up = TRUE;
        }
    }
  else
    {
      g_autoptr(TroupeHttpClient) client = troupe_http_client_new (spec->url, spec->timeout_ms,
                                                                   FALSE);
      int status = 0;

      if (troupe_http_client_request (client, "GET", &status, cancellable, error))
        {
          if (status < 400)
            up = TRUE;
          else
            g_set_error (error, TROUPE_HTTP_ERROR, TROUPE_HTTP_FAILURE_BAD_RESPONSE,
                         _("The server answered with status %d"), status);
        }
    }

  if (latency_usec != NULL)
    *latency_usec = g_get_monotonic_time () - start;
  return up;
}

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const TroupeProbeSpec *spec = task_data;
  GError *error = NULL;
  gint64 *latency = g_new0 (gint64, 1);

  if (troupe_probe_check (spec, latency, cancellable, &error))
    g_task_return_pointer (task, latency, g_free);
  else
    {
      g_free (latency);
      g_task_return_error (task, error);
    }
}

/**
 * troupe_probe_check_async:
 *
 * Checks once on a thread of GLib's own pool.
 */
void
troupe_probe_check_async (const TroupeProbeSpec *spec,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, troupe_probe_check_async);
  g_task_set_task_data (task, troupe_probe_spec_copy (spec),
                        (GDestroyNotify) troupe_probe_spec_free);
  g_task_run_in_thread (task, check_in_thread);
}

gboolean
troupe_probe_check_finish (GAsyncResult  *result,
                           gint64        *latency_usec,
                           GError       **error)
{
  g_autofree gint64 *latency = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == troupe_probe_check_async,
                        FALSE);

  latency = g_task_propagate_pointer (G_TASK (result), error);
  if (latency == NULL)
    return FALSE;
  if (latency_usec != NULL)
    *latency_usec = *latency;
  return TRUE;
}
