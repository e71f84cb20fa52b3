/* troupe-headless-worker.c: `troupe worker KIND`: one thread worker in this terminal
 *
 * Runs one worker of a built-in kind or of a module in the user's modules
 * folder, and prints each message it posts as it arrives: the JSON text, a
 * line each, or with --json an event a line. For a kind that takes messages,
 * each line read on stdin is sent to it. SIGINT or SIGTERM asks the worker to
 * stop; a worker that does not within the deadline is left behind, and we
 * exit, saying so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "troupe-headless-private.h"
#include "troupe-headless-worker.h"
#include "troupe-json-text.h"
#include "troupe-worker-pool.h"

#define EXIT_USAGE 2

typedef struct
{
  gboolean      json;
  TroupeWorker *worker;
  GMainLoop    *loop;
  GString      *stdin_line;
  guint         stdin_source;
  guint         stop_requests;
  int           exit_code;
} WorkerRun;

static void
write_out (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n <= 0)
        return;
      data += n;
      length -= n;
    }
}

static void
print_error_event (const char *message)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":\"error\",\"message\":");

  _troupe_headless_append_json_string (event, message);
  g_string_append (event, "}\n");
  write_out (STDOUT_FILENO, event->str, event->len);
}

/* A worker may post JSON spread over lines; we print one line a message. */
static void
append_message (GString *out,
                GBytes  *message)
{
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  if (memchr (text, '\n', length) == NULL && memchr (text, '\r', length) == NULL)
    {
      g_string_append_len (out, text, length);
      return;
    }
  {
    g_autoptr(GString) compact = g_string_new (NULL);

    if (troupe_json_text_check (text, length, compact, NULL))
      g_string_append_len (out, compact->str, compact->len);
    else
      {
        g_autofree char *copy = g_strndup (text, length);
        _troupe_headless_append_json_string (out, copy);
      }
  }
}

static void
on_messages (TroupeWorker *worker,
             GPtrArray    *batch,
             WorkerRun    *run)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* One write for the whole batch. */
  for (guint i = 0; i < batch->len; i++)
    {
      if (run->json)
        g_string_append (out, "{\"event\":\"message\",\"data\":");
      append_message (out, g_ptr_array_index (batch, i));
      g_string_append (out, run->json ? "}\n" : "\n");
    }
  write_out (STDOUT_FILENO, out->str, out->len);
}

static void
on_state (TroupeWorker *worker,
          GParamSpec   *pspec,
          WorkerRun    *run)
{
  TroupeWorkerState state = troupe_worker_get_state (worker);
  g_autofree char *message = NULL;

  switch (state)
    {
    case TROUPE_WORKER_EXITED:
      run->exit_code = troupe_worker_get_exit_code (worker);
      if (run->json)
        {
          g_autofree char *event = g_strdup_printf ("{\"event\":\"exit\",\"code\":%d}\n",
                                                    run->exit_code);
          write_out (STDOUT_FILENO, event, strlen (event));
        }
      /* An exit code is a byte; a worker returning 256 has not succeeded. */
      if (run->exit_code < 0 || run->exit_code > 255)
        run->exit_code = 1;
      g_main_loop_quit (run->loop);
      return;
    case TROUPE_WORKER_FAILED:
      message = g_strdup_printf (_("The worker failed: %s"),
                                 troupe_worker_get_error_message (worker));
      break;
    case TROUPE_WORKER_TERMINATED:
      message = g_strdup (_("The worker was terminated"));
      break;
    case TROUPE_WORKER_NOT_RESPONDING:
      /* A thread cannot be stopped from outside; ending the process ends it. */
      message = g_strdup_printf (_("The worker did not stop within %d s; leaving it running "
                                   "as troupe exits"),
                                 TROUPE_WORKER_DEFAULT_DEADLINE_MS / 1000);
      break;
    case TROUPE_WORKER_QUEUED:
    case TROUPE_WORKER_RUNNING:
    case TROUPE_WORKER_TERMINATING:
    default:
      return;
    }

  if (run->json)
    print_error_event (message);
  else
    g_printerr ("troupe: %s\n", message);
  run->exit_code = 1;
  g_main_loop_quit (run->loop);
}

static void
send_line (WorkerRun  *run,
           const char *line)
{
  g_autoptr(GError) error = NULL;

  if (line[strspn (line, " \t\r")] == '\0')
    return;
  if (!troupe_worker_post_text (run->worker, line, &error))
    {
      if (run->json)
        print_error_event (error->message);
      else
        g_printerr (_("troupe: not sent: %s\n"), error->message);
    }
}

static gboolean
on_stdin (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  WorkerRun *run = user_data;
  char buffer[65536];
  ssize_t n = read (fd, buffer, sizeof buffer);
  const char *start = buffer, *end;

  if (n <= 0)
    {
      /* The end of stdin ends nothing: the worker decides when it is done. */
      if (run->stdin_line->len > 0)
        send_line (run, run->stdin_line->str);
      g_string_truncate (run->stdin_line, 0);
      run->stdin_source = 0;
      return G_SOURCE_REMOVE;
    }
  while ((end = memchr (start, '\n', buffer + n - start)) != NULL)
    {
      g_string_append_len (run->stdin_line, start, end - start);
      send_line (run, run->stdin_line->str);
      g_string_truncate (run->stdin_line, 0);
      start = end + 1;
    }
  g_string_append_len (run->stdin_line, start, buffer + n - start);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  WorkerRun *run = user_data;

  if (run->stop_requests++ == 0)
    troupe_worker_terminate (run->worker, TROUPE_WORKER_DEFAULT_DEADLINE_MS);
  else
    {
      run->exit_code = 130;
      g_main_loop_quit (run->loop);
    }
  return G_SOURCE_CONTINUE;
}

static void
print_kinds (TroupeWorkerRegistry *registry,
             gboolean              json)
{
  GListModel *kinds = troupe_worker_registry_get_kinds (registry);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (kinds); i++)
    {
      g_autoptr(TroupeWorkerKind) kind = g_list_model_get_item (kinds, i);
      const char *module = troupe_worker_kind_get_module_path (kind);

      if (json)
        {
          g_string_append (out, "{\"event\":\"kind\",\"name\":");
          _troupe_headless_append_json_string (out, troupe_worker_kind_get_name (kind));
          g_string_append (out, ",\"title\":");
          _troupe_headless_append_json_string (out, troupe_worker_kind_get_title (kind));
          g_string_append (out, ",\"description\":");
          _troupe_headless_append_json_string (out, troupe_worker_kind_get_description (kind));
          g_string_append (out, ",\"module\":");
          if (module != NULL)
            _troupe_headless_append_json_string (out, module);
          else
            g_string_append (out, "null");
          g_string_append (out, "}\n");
        }
      else
        {
          g_string_append_printf (out, "%-14s %s: %s\n", troupe_worker_kind_get_name (kind),
                                  troupe_worker_kind_get_title (kind),
                                  troupe_worker_kind_get_description (kind));
          if (module != NULL)
            {
              g_string_append_printf (out, "%-14s ", "");
              g_string_append_printf (out, _("(from %s)"), module);
              g_string_append_c (out, '\n');
            }
        }
    }
  write_out (STDOUT_FILENO, out->str, out->len);
}

static int
usage_error (gboolean    json,
             const char *message)
{
  if (json)
    print_error_event (message);
  g_printerr ("troupe: %s\n", message);
  g_printerr ("%s\n", _("Try “troupe worker --help”, or “troupe worker --list” for the kinds."));
  return EXIT_USAGE;
}

/**
 * troupe_headless_worker_main:
 * @argv: "troupe", "worker", then the rest
 *
 * Returns: the worker's exit code; 1 if it failed or was terminated; 2 for a
 *   usage error, an unknown kind or start data that is not JSON
 */
int
troupe_headless_worker_main (int    argc,
                             char **argv)
{
  g_autofree char *data = NULL;
  gboolean json = FALSE, list = FALSE;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_STRING, &data,
      N_("Start the worker with this JSON as its data"), N_("JSON") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON event per line"), NULL },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list,
      N_("List the kinds of worker there are, and stop"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("worker KIND"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeWorkerRegistry) registry = NULL;
  g_autoptr(TroupeWorkerPool) pool = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) copy = g_strdupv (argv);
  g_autofree char **parsed = g_memdup2 (copy + 1, sizeof (char *) * g_strv_length (copy));
  int sub_argc = argc - 1;
  char **sub_argv = parsed;
  GPtrArray *module_errors;
  WorkerRun run = { 0 };
  guint sigint_source, sigterm_source;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Runs one thread worker here, printing the "
                                           "messages it posts.\nEach line on stdin is sent to "
                                           "it as a message, if its kind takes messages."));
  if (!g_option_context_parse (context, &sub_argc, &sub_argv, &error))
    return usage_error (json, error->message);

  /* The user's own kinds, from the modules folder; a broken module is only a warning. */
  registry = troupe_worker_registry_new ();
  troupe_worker_registry_load_modules (registry, NULL);
  module_errors = troupe_worker_registry_get_module_errors (registry);
  for (guint i = 0; i < module_errors->len; i++)
    g_printerr (_("troupe: warning: worker module %s\n"),
                (const char *) g_ptr_array_index (module_errors, i));

  if (list)
    {
      print_kinds (registry, json);
      return 0;
    }
  if (sub_argc < 2)
    return usage_error (json, _("No worker kind given"));
  if (sub_argc > 2)
    return usage_error (json, _("Give one worker kind, and its data with --data"));

  pool = troupe_worker_pool_new (registry, 1);
  run.json = json;
  run.worker = troupe_worker_pool_start_text (pool, sub_argv[1], data, &error);
  if (run.worker == NULL)
    return usage_error (json, error->message);
  troupe_worker_set_recording (run.worker, FALSE);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.stdin_line = g_string_new (NULL);
  g_signal_connect (run.worker, "messages", G_CALLBACK (on_messages), &run);
  g_signal_connect (run.worker, "notify::state", G_CALLBACK (on_state), &run);
  if (troupe_worker_kind_accepts_messages (troupe_worker_get_kind (run.worker)))
    run.stdin_source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin,
                                      &run);
  sigint_source = g_unix_signal_add (SIGINT, on_stop_signal, &run);
  sigterm_source = g_unix_signal_add (SIGTERM, on_stop_signal, &run);

  g_main_loop_run (loop);

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);
  g_clear_handle_id (&run.stdin_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (run.worker, &run);
  g_string_free (run.stdin_line, TRUE);
  /* A worker that would not stop keeps the pool's thread; the process ends it. */
  if (!troupe_worker_has_ended (run.worker))
    {
      fflush (stdout);
      _exit (run.exit_code);
    }
  return run.exit_code;
}
