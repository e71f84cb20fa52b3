/* troupe-application.c: the app: one instance, one session of jobs, stopped on quit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "troupe-application.h"
#include "troupe-cli.h"
#include "troupe-preferences-window.h"
#include "troupe-window.h"

struct _TroupeApplication
{
  AdwApplication  parent_instance;

  TroupeSession  *session;
  GSettings      *settings;
  guint           quit_signal_sources[3];
  guint           last_job_id;
};

/* Each job gets an id, so that a notification can name the job to select. */
#define JOB_ID_KEY "troupe-job-id"

G_DEFINE_FINAL_TYPE (TroupeApplication, troupe_application, ADW_TYPE_APPLICATION)

static TroupeWindow *
ensure_window (TroupeApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (troupe_window_new (self));
  return TROUPE_WINDOW (window);
}

static void
troupe_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (TROUPE_APPLICATION (app))));
}

static TroupeProcess *
find_job (TroupeApplication *self,
          guint              id)
{
  GListModel *jobs = G_LIST_MODEL (self->session);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(TroupeProcess) job = g_list_model_get_item (jobs, i);

      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (job), JOB_ID_KEY)) == id)
        return job;
    }
  return NULL;
}

/* A job that failed, or was killed, while the window was in the background is
 * worth a notification; one that ended well is not. */
static void
on_job_ended (TroupeProcess     *process,
              TroupeApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  TroupeProcessState state = troupe_process_get_state (process);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  guint job_id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (process), JOB_ID_KEY));

  if (state == TROUPE_PROCESS_STATE_EXITED && troupe_process_get_exit_code (process) == 0)
    return;
  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) &&
      gtk_window_is_active (window))
    return;
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notifications"))
    return;
  /* Without a session bus there is no one to notify (and GLib's backends
   * would complain). */
  if (g_application_get_dbus_connection (G_APPLICATION (self)) == NULL)
    return;

  if (state == TROUPE_PROCESS_STATE_SIGNALED)
    title = g_strdup_printf (_("“%s” was killed"), troupe_process_get_name (process));
  else
    title = g_strdup_printf (_("“%s” failed"), troupe_process_get_name (process));
  body = troupe_process_dup_status_text (process);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.select-job", "u", job_id);
  id = g_strdup_printf ("job-%u", job_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
on_jobs_changed (GListModel        *jobs,
                 guint              position,
                 guint              removed,
                 guint              added,
                 TroupeApplication *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TroupeProcess) job = g_list_model_get_item (jobs, i);

      if (g_object_get_data (G_OBJECT (job), JOB_ID_KEY) != NULL)
        continue;
      g_object_set_data (G_OBJECT (job), JOB_ID_KEY, GUINT_TO_POINTER (++self->last_job_id));
      /* A job that could not start has ended already. */
      if (troupe_process_has_ended (job))
        on_job_ended (job, self);
      else
        g_signal_connect_object (job, "ended", G_CALLBACK (on_job_ended), self, 0);
    }
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TroupeApplication *self = user_data;
  TroupeWindow *window = ensure_window (self);

  if (self->settings == NULL)
    return;
  gtk_window_present (GTK_WINDOW (troupe_preferences_window_new (GTK_WINDOW (window),
                                                                 self->settings)));
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  TroupeApplication *self = user_data;
  static const char *developers[] = { "The Troupe developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", ensure_window (self),
                        "application-name", _("Troupe"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Troupe developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Run commands and watch everything they print and how they end"),
                        "website", "https://github.com/troupe/troupe",
                        "issue-url", "https://github.com/troupe/troupe/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The output font follows the setting, for every window. */
static void
apply_font (TroupeApplication *self)
{
  static GtkCssProvider *provider;
  g_autofree char *font = g_settings_get_string (self->settings, "font");
  PangoFontDescription *description = pango_font_description_from_string (font);
  g_autofree char *css = NULL;
  const char *family = pango_font_description_get_family (description);
  int size = pango_font_description_get_size (description);

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  css = g_strdup_printf (".output-line { font-family: \"%s\"; font-size: %dpt; }",
                         family != NULL ? family : "monospace",
                         size > 0 ? size / PANGO_SCALE : 11);
  gtk_css_provider_load_from_data (provider, css, -1);
  pango_font_description_free (description);
}

/**
 * troupe_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the app's settings, if its schema is installed
 */
GSettings *
troupe_application_get_settings (TroupeApplication *self)
{
  g_return_val_if_fail (TROUPE_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
on_select_job (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  TroupeApplication *self = user_data;
  TroupeProcess *job = find_job (self, g_variant_get_uint32 (parameter));
  TroupeWindow *window = ensure_window (self);

  if (job != NULL)
    troupe_window_select_job (window, job);
  gtk_window_present (GTK_WINDOW (window));
}

/* In the running instance: `troupe` raises the window; `troupe run|exec|fork …`
 * and `troupe cluster …`, from any terminal, add the job or cluster to it. It
 * runs in the folder troupe was started in, unless --cwd says otherwise. */
static int
troupe_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *command_line)
{
  TroupeApplication *self = TROUPE_APPLICATION (app);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  TroupeWindow *window;
  TroupeProcess *process;
  TroupeCliMode mode;

  if (arguments[0] == NULL || arguments[1] == NULL ||
      !troupe_cli_handles (g_strv_length (arguments), arguments))
    {
      g_application_activate (app);
      return 0;
    }

  if (g_str_equal (arguments[1], "cluster"))
    {
      g_autoptr(TroupeCluster) cluster = NULL;
      guint instances = 0;

      cluster = troupe_cli_parse_cluster ((const char * const *) arguments,
                                          g_application_command_line_get_cwd (command_line),
                                          troupe_session_get_launcher (self->session),
                                          troupe_session_get_spool_dir (self->session),
                                          &instances, &error);
      if (cluster == NULL)
        {
          g_application_command_line_printerr (command_line, "troupe: %s\n", error->message);
          return 2;
        }
      window = ensure_window (self);
      troupe_window_start_cluster (window, cluster, instances);
      gtk_window_present (GTK_WINDOW (window));
      return 0;
    }

  command = troupe_cli_parse ((const char * const *) arguments,
                              g_application_command_line_get_cwd (command_line),
                              FALSE, &mode, &error);
  if (command == NULL)
    {
      g_application_command_line_printerr (command_line, "troupe: %s\n", error->message);
      return 2;
    }

  window = ensure_window (self);
  process = troupe_session_run (self->session, command, NULL);
  troupe_window_select_job (window, process);
  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
troupe_application_startup (GApplication *app)
{
  TroupeApplication *self = TROUPE_APPLICATION (app);
  static const int quit_signals[] = { SIGTERM, SIGINT, SIGHUP };

  G_APPLICATION_CLASS (troupe_application_parent_class)->startup (app);

  /* Logging out, a terminal closing or a kill: quit properly, so that the
   * jobs' children are stopped rather than orphaned. */
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    self->quit_signal_sources[i] = g_unix_signal_add (quit_signals[i], on_quit_signal, self);

  if (self->settings != NULL)
    {
      apply_font (self);
      g_signal_connect_object (self->settings, "changed::font", G_CALLBACK (apply_font), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
troupe_application_shutdown (GApplication *app)
{
  TroupeApplication *self = TROUPE_APPLICATION (app);

  for (guint i = 0; i < G_N_ELEMENTS (self->quit_signal_sources); i++)
    g_clear_handle_id (&self->quit_signal_sources[i], g_source_remove);

  /* No child outlives the app: every job and cluster member still running is
   * stopped, SIGTERM then SIGKILL, before we go. */
  troupe_session_stop_all_sync (self->session);

  G_APPLICATION_CLASS (troupe_application_parent_class)->shutdown (app);
}

static void
troupe_application_dispose (GObject *object)
{
  TroupeApplication *self = (TroupeApplication *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (troupe_application_parent_class)->dispose (object);
}

static void
troupe_application_class_init (TroupeApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_application_dispose;
  app_class->startup = troupe_application_startup;
  app_class->activate = troupe_application_activate;
  app_class->command_line = troupe_application_command_line;
  app_class->shutdown = troupe_application_shutdown;
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  TroupeApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* With jobs or workers running, the window asks first; its answer quits or not. */
  if (window != NULL && (troupe_session_count_alive (self->session) > 0 ||
                         troupe_window_count_alive_workers (TROUPE_WINDOW (window)) > 0))
    troupe_window_ask_to_quit (TROUPE_WINDOW (window));
  else
    g_application_quit (G_APPLICATION (self));
}

/* Settings are optional: an uninstalled build run without GSETTINGS_SCHEMA_DIR
 * still works, with the defaults. */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
apply_retention (TroupeApplication *self)
{
  TroupeSpoolDir *spool_dir = troupe_session_get_spool_dir (self->session);

  troupe_spool_dir_set_keep_runs (spool_dir, g_settings_get_uint (self->settings, "keep-runs"));
  troupe_spool_dir_set_keep_bytes (spool_dir,
                                   (guint64) g_settings_get_uint (self->settings,
                                                                  "keep-megabytes") << 20);
}

static void
troupe_application_init (TroupeApplication *self)
{
  static const GActionEntry app_actions[] = {
    { "quit", on_quit, NULL, NULL, NULL },
    { "select-job", on_select_job, "u", NULL, NULL },
    { "preferences", on_preferences, NULL, NULL, NULL },
    { "about", on_about, NULL, NULL, NULL },
  };
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();

  self->session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  self->settings = load_settings ();
  if (self->settings != NULL)
    {
      apply_retention (self);
      g_signal_connect_object (self->settings, "changed::keep-runs",
                               G_CALLBACK (apply_retention), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::keep-megabytes",
                               G_CALLBACK (apply_retention), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect (self->session, "items-changed", G_CALLBACK (on_jobs_changed), self);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
}

/**
 * troupe_application_new:
 *
 * Returns: (transfer full): the application
 */
TroupeApplication *
troupe_application_new (void)
{
  return g_object_new (TROUPE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/troupe/Troupe",
                       NULL);
}

/**
 * troupe_application_find_session:
 * @widget: a widget, in a window or not yet
 *
 * For rows that show a job's samples: the session of the app whose window
 * the widget is in.
 *
 * Returns: (transfer none) (nullable): the session, or %NULL while the widget
 *   is in no window of this app
 */
TroupeSession *
troupe_application_find_session (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  return TROUPE_IS_APPLICATION (app) ? TROUPE_APPLICATION (app)->session : NULL;
}

/**
 * troupe_application_get_session:
 *
 * Returns: (transfer none): the jobs of this instance
 */
TroupeSession *
troupe_application_get_session (TroupeApplication *self)
{
  g_return_val_if_fail (TROUPE_IS_APPLICATION (self), NULL);
  return self->session;
}
