/* troupe-worker-builtins.c: the kinds of thread worker that come with Troupe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-worker-builtin-kinds.h"
#include "troupe-worker-builtins.h"

static gboolean
is_exit_message (GBytes *message)
{
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  while (length > 0 && g_ascii_isspace (text[0]))
    text++, length--;
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  return length == 6 && memcmp (text, "\"exit\"", 6) == 0;
}

static int
exit_code_from_data (TroupeWorkerContext *context)
{
  JsonNode *data = troupe_worker_context_get_data (context);
  JsonObject *object;
  JsonNode *code;

  if (!JSON_NODE_HOLDS_OBJECT (data))
    return 0;
  object = json_node_get_object (data);
  code = json_object_get_member (object, "code");
  if (code == NULL || json_node_get_value_type (code) != G_TYPE_INT64)
    return 0;
  return (int) CLAMP (json_node_get_int (code), G_MININT, G_MAXINT);
}

/* Sends each message back as it is, until the message "exit" or terminate. */
static int
echo_entry (TroupeWorkerContext *context)
{
  int exit_code = exit_code_from_data (context);

  for (;;)
    {
      g_autoptr(GBytes) message = troupe_worker_context_receive_text (context, -1);
      gconstpointer data;
      gsize length;

      if (message == NULL || is_exit_message (message))
        return exit_code;
      data = g_bytes_get_data (message, &length);
      troupe_worker_context_post_text (context, data, length);
    }
}

static const TroupeWorkerKindInfo builtins[] = {
  {
    .name = "echo",
    .title = N_("Echo"),
    .description = N_("Sends every message back as it came; the message \"exit\" ends it."),
    .example_data = "{\"code\": 0}",
    .accepts_messages = TRUE,
    .entry = echo_entry,
  },
  {
    .name = "http-load",
    .title = N_("HTTP Load"),
    .description = N_("Sends HTTP requests over many connections and reports requests per "
                      "second, latency and errors as it goes."),
    .example_data = "{\"url\": \"http://127.0.0.1:8000/\", \"connections\": 32, "
                    "\"duration\": 10, \"keep_alive\": true}",
    .accepts_messages = FALSE,
    .entry = _troupe_worker_http_load_entry,
  },
  {
    .name = "log-search",
    .title = N_("Log Search"),
    .description = N_("Finds the lines of a log file that match a regular expression, "
                      "however large the file."),
    .example_data = "{\"path\": \"/var/log/example.log\", \"pattern\": \"error|warning\", "
                    "\"max_matches\": 1000}",
    .accepts_messages = FALSE,
    .entry = _troupe_worker_log_search_entry,
  },
  {
    .name = "probe",
    .title = N_("Probe"),
    .description = N_("Checks at an interval whether a server accepts connections or answers "
                      "HTTP, and reports when it goes up or down."),
    .example_data = "{\"address\": \"127.0.0.1:8000\", \"mode\": \"tcp\", "
                    "\"interval\": 1000, \"timeout\": 1000}",
    .accepts_messages = FALSE,
    .entry = _troupe_worker_probe_entry,
  },
};

/**
 * troupe_worker_builtins_get:
 * @n_kinds: (out): how many there are
 *
 * Returns: (array length=n_kinds): the built-in kinds
 */
const TroupeWorkerKindInfo *
troupe_worker_builtins_get (guint *n_kinds)
{
  *n_kinds = G_N_ELEMENTS (builtins);
  return builtins;
}
