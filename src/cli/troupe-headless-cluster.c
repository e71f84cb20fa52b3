/* troupe-headless-cluster.c: a cluster in this terminal, its members' output prefixed
 *
 * Runs until SIGINT or SIGTERM, which stop every member gracefully (a second
 * one kills them); SIGHUP reloads the members one at a time. Each line a
 * member prints comes out as "[ID] line" on our stdout or stderr; with JSON,
 * every event carries "member", and member state changes are events too.
 * A session watches the members (for --stats, and for --memory-limit).
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

#include "troupe-headless-cluster.h"
#include "troupe-headless-private.h"
#include "troupe-headless-stats.h"
#include "troupe-signal-names.h"

struct _TroupeHeadlessCluster
{
  GObject               parent_instance;

  TroupeCluster        *cluster;
  guint                 n_members;
  TroupeHeadlessFormat  format;
  GMainLoop            *loop;
  guint                 sigint_source;
  guint                 sigterm_source;
  guint                 sighup_source;
  guint                 stop_requests;
  GPtrArray            *watched_runs;
  TroupeSession        *session;
  guint                 stats_interval;
};

G_DEFINE_FINAL_TYPE (TroupeHeadlessCluster, troupe_headless_cluster, G_TYPE_OBJECT)

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
print_event (GString *event)
{
  g_string_append (event, "}\n");
  write_out (STDOUT_FILENO, event->str, event->len);
}

static GString *
member_event (const char *kind,
              guint       member_id)
{
  GString *event = g_string_new ("{\"event\":\"");

  g_string_append (event, kind);
  g_string_append_printf (event, "\",\"member\":%u", member_id);
  return event;
}

static guint
member_id_of (TroupeProcess *run)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (run), "troupe-member-id"));
}

static void
on_lines_added (TroupeLog     *log,
                guint          position,
                guint          n_added,
                TroupeProcess *run)
{
  TroupeHeadlessCluster *self = g_object_get_data (G_OBJECT (run), "troupe-headless");
  guint id = member_id_of (run);

  for (guint i = position; i < position + n_added; i++)
    {
      g_autofree char *text = NULL;
      TroupeLineInfo info;

      text = troupe_log_read_line_text (log, TROUPE_LINES_ALL, i, &info, NULL);
      if (text == NULL)
        continue;
      if (self->format == TROUPE_HEADLESS_JSON)
        {
          g_autoptr(GString) event =
            member_event (info.stream == TROUPE_STREAM_STDOUT ? "stdout" : "stderr", id);

          g_string_append (event, ",\"text\":");
          _troupe_headless_append_json_string (event, text);
          print_event (event);
        }
      else
        {
          g_autofree char *line = g_strdup_printf ("[%u] %s\n", id, text);
          write_out (info.stream == TROUPE_STREAM_STDOUT ? STDOUT_FILENO : STDERR_FILENO,
                     line, strlen (line));
        }
    }
}

static void
on_message (TroupeChannel *channel,
            GBytes        *line,
            gboolean       internal,
            TroupeProcess *run)
{
  TroupeHeadlessCluster *self = g_object_get_data (G_OBJECT (run), "troupe-headless");
  g_autoptr(GString) event = NULL;
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  if (self->format != TROUPE_HEADLESS_JSON || internal)
    return;
  event = member_event ("message", member_id_of (run));
  g_string_append (event, ",\"direction\":\"in\",\"data\":");
  g_string_append_len (event, data, length);
  print_event (event);
}

static void
on_ended (TroupeProcess *run,
          gpointer       user_data)
{
  TroupeHeadlessCluster *self = g_object_get_data (G_OBJECT (run), "troupe-headless");
  int term_signal = troupe_process_get_term_signal (run);
  g_autoptr(GString) event = NULL;

  const char *reason = troupe_process_get_restart_reason (run);

  if (self->format != TROUPE_HEADLESS_JSON)
    {
      if (troupe_process_get_error_message (run) != NULL)
        g_printerr ("[%u] troupe: %s\n", member_id_of (run), troupe_process_get_error_message (run));
      if (reason != NULL)
        g_printerr ("[%u] troupe: %s\n", member_id_of (run), reason);
      return;
    }
  event = member_event ("exit", member_id_of (run));
  g_string_append_printf (event, ",\"pid\":%d,\"code\":", (int) troupe_process_get_pid (run));
  if (term_signal == 0)
    g_string_append_printf (event, "%d,\"signal\":null", troupe_process_get_exit_code (run));
  else
    g_string_append_printf (event, "null,\"signal\":\"%s\"", troupe_signal_name (term_signal));
  if (reason != NULL)
    {
      g_string_append (event, ",\"reason\":");
      _troupe_headless_append_json_string (event, reason);
    }
  print_event (event);
}

static void
watch_run (TroupeHeadlessCluster *self,
           TroupeClusterMember   *member,
           TroupeProcess         *run)
{
  TroupeLog *log = troupe_process_get_log (run);
  TroupeChannel *channel = troupe_process_get_channel (run);

  g_object_set_data (G_OBJECT (run), "troupe-headless", self);
  g_object_set_data (G_OBJECT (run), "troupe-member-id",
                     GUINT_TO_POINTER (troupe_cluster_member_get_id (member)));
  g_ptr_array_add (self->watched_runs, g_object_ref (run));
  if (log != NULL)
    g_signal_connect (log, "lines-added", G_CALLBACK (on_lines_added), run);
  if (channel != NULL)
    g_signal_connect (channel, "message", G_CALLBACK (on_message), run);
  g_signal_connect (run, "ended", G_CALLBACK (on_ended), NULL);
  if (troupe_process_has_ended (run))
    on_ended (run, NULL);
}

static void
on_run_started (TroupeClusterMember   *member,
                TroupeProcess         *run,
                TroupeHeadlessCluster *self)
{
  watch_run (self, member, run);
}

static void
on_member_changed (TroupeCluster         *cluster,
                   TroupeClusterMember   *member,
                   TroupeHeadlessCluster *self)
{
  TroupeMemberState state = troupe_cluster_member_get_state (member);
  TroupeProcess *run = troupe_cluster_member_get_process (member);

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = member_event ("member", troupe_cluster_member_get_id (member));

      g_string_append_printf (event, ",\"state\":\"%s\",\"pid\":%d,\"restarts\":%u",
                              troupe_member_state_to_string (state),
                              run != NULL ? (int) troupe_process_get_pid (run) : 0,
                              troupe_cluster_member_get_restarts (member));
      print_event (event);
    }
  else if (state == TROUPE_MEMBER_CRASH_LOOPING)
    g_printerr (_("[%u] troupe: restarted too often; it is left stopped\n"),
                troupe_cluster_member_get_id (member));
}

static void on_member_changed (TroupeCluster *cluster, TroupeClusterMember *member,
                               TroupeHeadlessCluster *self);

static void
watch_member (TroupeHeadlessCluster *self,
              TroupeClusterMember   *member)
{
  GListModel *runs = troupe_cluster_member_get_runs (member);
  guint n = g_list_model_get_n_items (runs);

  g_signal_connect_object (member, "run-started", G_CALLBACK (on_run_started), self, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeProcess) run = g_list_model_get_item (runs, i);
      watch_run (self, member, run);
    }
  on_member_changed (self->cluster, member, self);
}

static void
on_members_changed (GListModel            *members,
                    guint                  position,
                    guint                  removed,
                    guint                  added,
                    TroupeHeadlessCluster *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);
      watch_member (self, member);
    }
}

static gboolean
on_stop_signal (gpointer user_data)
{
  TroupeHeadlessCluster *self = user_data;

  if (self->stop_requests++ == 0)
    troupe_cluster_stop (self->cluster);
  else
    {
      /* The user means it: everything goes at once. */
      guint n = troupe_cluster_get_size (self->cluster);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TroupeClusterMember) member =
            g_list_model_get_item (troupe_cluster_get_members (self->cluster), i);
          troupe_cluster_member_send_signal (member, SIGKILL, NULL);
        }
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_reload_signal (gpointer user_data)
{
  TroupeHeadlessCluster *self = user_data;

  troupe_cluster_reload (self->cluster);
  return G_SOURCE_CONTINUE;
}

static void
on_reloaded (TroupeCluster         *cluster,
             guint                  replaced,
             TroupeHeadlessCluster *self)
{
  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = g_string_new ("{\"event\":\"reloaded\"");
      g_string_append_printf (event, ",\"members\":%u", replaced);
      print_event (event);
    }
  else
    g_printerr (_("troupe: reloaded %u members\n"), replaced);
}

/* One stats line per member, after every sample. */
static void
on_sampled (TroupeSampler         *sampler,
            TroupeHeadlessCluster *self)
{
  GListModel *members = troupe_cluster_get_members (self->cluster);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);
      TroupeProcess *run = troupe_cluster_member_get_process (member);
      TroupeProcessTree *tree = run != NULL ? troupe_session_get_process_tree (self->session, run)
                                            : NULL;
      g_autoptr(GString) line = NULL;

      if (tree == NULL)
        continue;
      line = troupe_headless_format_stats (tree, self->format,
                                           (int) troupe_cluster_member_get_id (member));
      if (line != NULL)
        write_out (self->format == TROUPE_HEADLESS_JSON ? STDOUT_FILENO : STDERR_FILENO,
                   line->str, line->len);
    }
}

static void
on_stopped (TroupeCluster         *cluster,
            TroupeHeadlessCluster *self)
{
  g_main_loop_quit (self->loop);
}

static void
troupe_headless_cluster_dispose (GObject *object)
{
  TroupeHeadlessCluster *self = (TroupeHeadlessCluster *) object;

  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sighup_source, g_source_remove);
  for (guint i = 0; self->watched_runs != NULL && i < self->watched_runs->len; i++)
    {
      TroupeProcess *run = g_ptr_array_index (self->watched_runs, i);

      if (troupe_process_get_log (run) != NULL)
        g_signal_handlers_disconnect_by_data (troupe_process_get_log (run), run);
      if (troupe_process_get_channel (run) != NULL)
        g_signal_handlers_disconnect_by_data (troupe_process_get_channel (run), run);
      g_signal_handlers_disconnect_by_func (run, on_ended, NULL);
    }
  g_clear_pointer (&self->watched_runs, g_ptr_array_unref);
  if (self->cluster != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->cluster, self);
      g_signal_handlers_disconnect_by_data (troupe_cluster_get_members (self->cluster), self);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (troupe_session_get_sampler (self->session), self);
  g_clear_object (&self->session);
  g_clear_object (&self->cluster);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (troupe_headless_cluster_parent_class)->dispose (object);
}

static void
troupe_headless_cluster_class_init (TroupeHeadlessClusterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = troupe_headless_cluster_dispose;
}

static void
troupe_headless_cluster_init (TroupeHeadlessCluster *self)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();

  self->session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  self->loop = g_main_loop_new (NULL, FALSE);
  self->watched_runs = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * troupe_headless_cluster_new:
 * @cluster: the cluster, not started
 * @n_members: how many members, or 0 for one per CPU
 *
 * Returns: (transfer full): the headless run of @cluster
 */
TroupeHeadlessCluster *
troupe_headless_cluster_new (TroupeCluster        *cluster,
                             guint                 n_members,
                             TroupeHeadlessFormat  format)
{
  TroupeHeadlessCluster *self = g_object_new (TROUPE_TYPE_HEADLESS_CLUSTER, NULL);

  self->cluster = g_object_ref (cluster);
  self->n_members = n_members;
  self->format = format;
  return self;
}

/**
 * troupe_headless_cluster_set_stats_interval:
 * @interval_ms: milliseconds between two stats lines (one per member), 0 for none
 */
void
troupe_headless_cluster_set_stats_interval (TroupeHeadlessCluster *self,
                                            guint                  interval_ms)
{
  g_return_if_fail (TROUPE_IS_HEADLESS_CLUSTER (self));
  self->stats_interval = interval_ms;
}

/**
 * troupe_headless_cluster_run:
 *
 * Returns: the exit code for troupe: 0 once stopped by a signal, 1 when the
 *   cluster cannot start (the reason is printed)
 */
int
troupe_headless_cluster_run (TroupeHeadlessCluster *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *members = troupe_cluster_get_members (self->cluster);

  g_signal_connect (members, "items-changed", G_CALLBACK (on_members_changed), self);
  g_signal_connect (self->cluster, "member-changed", G_CALLBACK (on_member_changed), self);
  g_signal_connect (self->cluster, "reloaded", G_CALLBACK (on_reloaded), self);
  g_signal_connect (self->cluster, "stopped", G_CALLBACK (on_stopped), self);
  /* Watched, not stopped, by the session: the cluster stops itself. */
  troupe_session_add_cluster (self->session, self->cluster);
  if (self->stats_interval > 0)
    {
      troupe_sampler_set_interval (troupe_session_get_sampler (self->session), self->stats_interval);
      g_signal_connect (troupe_session_get_sampler (self->session), "sampled",
                        G_CALLBACK (on_sampled), self);
    }

  if (!troupe_cluster_start (self->cluster, self->n_members, &error))
    {
      if (self->format == TROUPE_HEADLESS_JSON)
        {
          g_autoptr(GString) event = g_string_new ("{\"event\":\"error\",\"message\":");
          _troupe_headless_append_json_string (event, error->message);
          print_event (event);
        }
      g_printerr ("troupe: %s\n", error->message);
      return 1;
    }

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = g_string_new ("{\"event\":\"listen\",\"host\":");

      _troupe_headless_append_json_string (event, troupe_cluster_get_host (self->cluster));
      g_string_append_printf (event, ",\"port\":%u,\"members\":%u",
                              troupe_cluster_get_port (self->cluster),
                              troupe_cluster_get_size (self->cluster));
      print_event (event);
    }
  else
    g_printerr (_("troupe: %u members listening on %s port %u\n"),
                troupe_cluster_get_size (self->cluster), troupe_cluster_get_host (self->cluster),
                troupe_cluster_get_port (self->cluster));

  self->sigint_source = g_unix_signal_add (SIGINT, on_stop_signal, self);
  self->sigterm_source = g_unix_signal_add (SIGTERM, on_stop_signal, self);
  self->sighup_source = g_unix_signal_add (SIGHUP, on_reload_signal, self);
  g_main_loop_run (self->loop);
  return 0;
}

/**
 * troupe_headless_cluster_parse_ready_probe:
 * @text: --ready-probe's value: "tcp", "http", "http:PATH", or a probe as
 *   JSON ({"mode": "http", "path": "/health", "interval": 200})
 *
 * Returns: (transfer full) (nullable): the probe as
 *   troupe_cluster_set_ready_probe() takes it, or %NULL with an error
 */
char *
troupe_headless_cluster_parse_ready_probe (const char  *text,
                                           GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *probe = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] == '{')
    probe = g_strdup (text);
  else if (g_str_equal (text, "tcp") || g_str_equal (text, "http") ||
           g_str_has_prefix (text, "http:"))
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, g_str_equal (text, "tcp") ? "tcp" : "http");
      if (g_str_has_prefix (text, "http:") && text[5] != '\0')
        {
          g_autofree char *path = text[5] == '/' ? g_strdup (text + 5)
                                                 : g_strconcat ("/", text + 5, NULL);

          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, path);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      probe = json_to_string (root, FALSE);
    }
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ready-probe wants tcp, http or http:PATH, not “%s”"), text);
      return NULL;
    }

  if (!troupe_cluster_check_ready_probe (probe, error))
    {
      g_prefix_error (error, "--ready-probe: ");
      return NULL;
    }
  return g_steal_pointer (&probe);
}
