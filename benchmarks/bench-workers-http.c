/* bench-workers-http.c: the load worker's engine against a server, as wrk is run against it
 *
 * Usage: bench-workers-http URL CONNECTIONS SECONDS keep-alive|close
 * Runs the same engine the "http-load" worker runs, on a thread of its own
 * as a pool thread would, and prints "requests=N rps=X errors=N" from its
 * "done" message (and nothing of the 250 ms stats it posts on the way).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "troupe-http-load.h"

static void
on_message (JsonNode *message,
            gpointer  user_data)
{
  JsonNode **done = user_data;
  JsonObject *object = json_node_get_object (message);

  if (g_str_equal (json_object_get_string_member (object, "type"), "done"))
    *done = json_node_copy (message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TroupeHttpLoadSpec) spec = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *errors;
  gint64 n_errors = 0;

  if (argc != 5)
    {
      fprintf (stderr, "Usage: %s URL CONNECTIONS SECONDS keep-alive|close\n", argv[0]);
      return 2;
    }
  text = g_strdup_printf ("{\"url\":\"%s\",\"connections\":%s,\"duration\":%s,"
                          "\"keep_alive\":%s}",
                          argv[1], argv[2], argv[3],
                          g_str_equal (argv[4], "keep-alive") ? "true" : "false");
  data = json_from_string (text, &error);
  if (data != NULL)
    spec = troupe_http_load_spec_new_from_json (data, &error);
  if (spec == NULL || !troupe_http_load_run (spec, on_message, &done, NULL, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return 1;
    }

  object = json_node_get_object (done);
  errors = json_object_get_object_member (object, "errors");
  for (GList *l = json_object_get_members (errors), *m = l; m != NULL; m = m->next)
    {
      n_errors += json_object_get_int_member (errors, m->data);
      if (m->next == NULL)
        g_list_free (l);
    }
  printf ("requests=%" G_GINT64_FORMAT " rps=%.0f errors=%" G_GINT64_FORMAT
          " p50=%.2f p99=%.2f\n",
          json_object_get_int_member (object, "requests"),
          json_object_get_double_member (object, "rps"), n_errors,
          json_object_get_double_member (json_object_get_object_member (object, "latency"), "p50"),
          json_object_get_double_member (json_object_get_object_member (object, "latency"), "p99"));
  return 0;
}
