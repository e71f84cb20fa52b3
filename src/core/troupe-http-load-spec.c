/* troupe-http-load-spec.c: what the load worker is asked to do, read from its start data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-http-load.h"

void
troupe_http_load_spec_free (TroupeHttpLoadSpec *spec)
{
  if (spec == NULL)
    return;
  troupe_http_url_free (spec->url);
  g_free (spec->method);
  g_free (spec);
}

static gboolean
get_value (JsonObject  *object,
           const char  *name,
           GType        type,
           JsonNode   **node,
           GError     **error)
{
  *node = json_object_get_member (object, name);
  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (*node))
    {
      GType held = json_node_get_value_type (*node);

      if (held == type || (type == G_TYPE_DOUBLE && held == G_TYPE_INT64))
        return TRUE;
    }
  if (type == G_TYPE_STRING)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” must be text"), name);
  else if (type == G_TYPE_BOOLEAN)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be true or false"), name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be a number"), name);
  return FALSE;
}

/**
 * troupe_http_load_spec_new_from_json:
 * @data: {"url", "connections", "duration" (s) and/or "requests",
 *   "method", "keep_alive", "timeout" (ms), "threads"}
 *
 * Returns: (transfer full) (nullable): the load, or %NULL with an error
 *   saying what is wrong with @data
 */
TroupeHttpLoadSpec *
troupe_http_load_spec_new_from_json (JsonNode  *data,
                                     GError   **error)
{
  g_autoptr(TroupeHttpLoadSpec) spec = g_new0 (TroupeHttpLoadSpec, 1);
  JsonObject *object;
  JsonNode *url, *connections, *duration, *requests, *method, *keep_alive, *timeout, *threads;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The load needs an object such as {\"url\": \"http://127.0.0.1:8000/\", "
                     "\"connections\": 32, \"duration\": 10}"));
      return NULL;
    }
  object = json_node_get_object (data);
  if (!get_value (object, "url", G_TYPE_STRING, &url, error) ||
      !get_value (object, "connections", G_TYPE_DOUBLE, &connections, error) ||
      !get_value (object, "duration", G_TYPE_DOUBLE, &duration, error) ||
      !get_value (object, "requests", G_TYPE_DOUBLE, &requests, error) ||
      !get_value (object, "method", G_TYPE_STRING, &method, error) ||
      !get_value (object, "keep_alive", G_TYPE_BOOLEAN, &keep_alive, error) ||
      !get_value (object, "timeout", G_TYPE_DOUBLE, &timeout, error) ||
      !get_value (object, "threads", G_TYPE_DOUBLE, &threads, error))
    return NULL;

  if (url == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The load needs a “url”, such as http://127.0.0.1:8000/"));
      return NULL;
    }
  spec->url = troupe_http_url_parse (json_node_get_string (url), error);
  if (spec->url == NULL)
    return NULL;

  spec->connections = 10;
  if (connections != NULL)
    {
      double value = json_node_get_double (connections);

      if (value < 1 || value > TROUPE_HTTP_LOAD_MAX_CONNECTIONS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“connections” must be between 1 and %d"),
                       TROUPE_HTTP_LOAD_MAX_CONNECTIONS);
          return NULL;
        }
      spec->connections = (guint) value;
    }

  if (duration != NULL)
    {
      spec->duration = json_node_get_double (duration);
      if (!(spec->duration > 0) || spec->duration > 7 * 24 * 3600)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“duration” must be a number of seconds, more than 0"));
          return NULL;
        }
    }
  if (requests != NULL)
    {
      double value = json_node_get_double (requests);

      if (value < 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“requests” must be a number, at least 1"));
          return NULL;
        }
      spec->requests = (guint64) value;
    }
  if (duration == NULL && requests == NULL)
    spec->duration = 10;

  spec->method = g_strdup (method != NULL ? json_node_get_string (method) : "GET");
  if (spec->method[0] == '\0' || strpbrk (spec->method, " \t\r\n") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an HTTP method"), spec->method);
      return NULL;
    }
  spec->keep_alive = keep_alive != NULL ? json_node_get_boolean (keep_alive) : TRUE;
  spec->timeout_ms = 5000;
  if (timeout != NULL)
    {
      double value = json_node_get_double (timeout);

      if (value < 1 || value > G_MAXINT)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” must be a number of milliseconds, at least 1"), "timeout");
          return NULL;
        }
      spec->timeout_ms = (guint) value;
    }
  spec->threads = 1;
  if (threads != NULL)
    {
      double value = json_node_get_double (threads);

      if (value < 1 || value > TROUPE_HTTP_LOAD_MAX_THREADS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“threads” must be between 1 and %d"), TROUPE_HTTP_LOAD_MAX_THREADS);
          return NULL;
        }
      spec->threads = (guint) value;
    }
  spec->threads = MIN (spec->threads, spec->connections);
  spec->stats_interval_ms = TROUPE_HTTP_LOAD_STATS_INTERVAL_MS;
  return g_steal_pointer (&spec);
}
