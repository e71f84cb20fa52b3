/* test-single-instance.c: `troupe run|exec|fork` from a terminal adds the job to the running window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/wait.h>

#include "troupe-ui-test-util.h"

typedef struct
{
  gboolean done;
  int      exit_code;
} Remote;

static void
on_remote_exited (GPid     pid,
                  int      wait_status,
                  gpointer user_data)
{
  Remote *remote = user_data;

  g_spawn_close_pid (pid);
  remote->exit_code = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  remote->done = TRUE;
}

/* Runs `troupe ARGS…` from /tmp as a second instance, while this test process,
 * as the first, keeps its main loop going to answer it. */
static int
run_second_instance (const char * const *args,
                     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Remote remote = { FALSE, -1 };
  int err_fd;
  GPid pid;

  g_ptr_array_add (argv, (char *) TROUPE_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_async_with_pipes ("/tmp", (char **) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                           NULL, NULL, &err_fd, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, on_remote_exited, &remote);
  while (!remote.done)
    g_main_context_iteration (NULL, TRUE);

  {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new (err_fd);
    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, err, NULL, NULL);
  }
  return remote.exit_code;
}

/* A stand-in for the desktop's notification service, on the test's own session
 * bus: it records what it is sent, and can "click" a notification. */
typedef struct
{
  GPtrArray       *summaries;
  GPtrArray       *bodies;
  GPtrArray       *actions;    /* the first action key of each */
  GDBusConnection *bus;
  guint            object;
} NotificationServer;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'>"
  "<arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "</method>"
  "</interface></node>";

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  NotificationServer *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary;
      const char *body;
      g_autofree const char **actions = NULL;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     &actions, NULL, NULL);
      g_ptr_array_add (server->summaries, g_strdup (summary));
      g_ptr_array_add (server->bodies, g_strdup (body));
      g_ptr_array_add (server->actions, g_strdup (actions[0] != NULL ? actions[0] : ""));
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u)", server->summaries->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new_parsed ("(['actions', 'body'],)"));
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "troupe", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (NotificationServer *server)
{
  static const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;

  server->summaries = g_ptr_array_new_with_free_func (g_free);
  server->bodies = g_ptr_array_new_with_free_func (g_free);
  server->actions = g_ptr_array_new_with_free_func (g_free);
  server->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  server->object = g_dbus_connection_register_object (server->bus,
                                                      "/org/freedesktop/Notifications",
                                                      info->interfaces[0], &vtable, server,
                                                      NULL, NULL);
  reply = g_dbus_connection_call_sync (server->bus, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
}

static void
stop_notification_server (NotificationServer *server)
{
  g_dbus_connection_unregister_object (server->bus, server->object);
  g_clear_object (&server->bus);
  g_ptr_array_unref (server->summaries);
  g_ptr_array_unref (server->bodies);
  g_ptr_array_unref (server->actions);
}

static void
check_notification (NotificationServer *server,
                    TroupeApplication  *app,
                    TroupeWindow       *window)
{
  TroupeSession *session = troupe_application_get_session (app);
  TroupeProcess *failed;
  TroupeProcess *first;

  /* The window is in the background; a job fails. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  {
    g_autoptr(TroupeCommand) command = troupe_command_new_shell ("exit 5");

    troupe_command_set_name (command, "deploy");
    failed = troupe_session_run (session, command, NULL);
  }
  troupe_test_wait_ended (failed);
  while (server->summaries->len == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (server->summaries->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (server->summaries, 0), ==, "“deploy” failed");
  g_assert_cmpstr (g_ptr_array_index (server->bodies, 0), ==, "Exited with code 5");
  g_assert_cmpstr (g_ptr_array_index (server->actions, 0), ==, "default");

  /* Clicking it selects the job and brings the window back. */
  first = g_list_model_get_item (G_LIST_MODEL (session), 0);
  troupe_window_select_job (window, first);
  g_object_unref (first);
  g_dbus_connection_emit_signal (server->bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", 1, "default"), NULL);
  while (troupe_window_get_selected_job (window) != failed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
test_single_instance (void)
{
  g_autoptr(TroupeApplication) app = NULL;
  g_autofree char *err = NULL;
  NotificationServer server = { 0 };
  TroupeSession *session;
  TroupeProcess *job;
  TroupeWindow *window;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a D-Bus session bus (run under dbus-run-session)");
      return;
    }

  /* The desktop's notification service, then this process as the running Troupe. */
  start_notification_server (&server);
  app = troupe_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  session = troupe_application_get_session (app);

  /* `troupe run` from a terminal in /tmp: the job is added here, runs in /tmp. */
  g_assert_cmpint (run_second_instance ((const char *[]) { "run", "--name", "from a terminal", "--",
                                                            TEST_CHILD_PATH, "cwd", NULL },
                                        &err), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  job = g_list_model_get_item (G_LIST_MODEL (session), 0);
  g_object_unref (job); /* the session keeps it */
  g_assert_cmpstr (troupe_process_get_name (job), ==, "from a terminal");
  g_assert_cmpstr (troupe_command_get_cwd (troupe_process_get_command (job)), ==, "/tmp");
  window = TROUPE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_true (troupe_window_get_selected_job (window) == job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "/tmp");
  g_clear_pointer (&err, g_free);

  /* `troupe exec` too. */
  g_assert_cmpint (run_second_instance ((const char *[]) { "exec", "echo shell line; exit 4", NULL },
                                        &err), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 2);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Exited with code 4");
  g_clear_pointer (&err, g_free);

  /* A usage error is said in the terminal that made it, and adds nothing. */
  g_assert_cmpint (run_second_instance ((const char *[]) { "run", "--env", "=x", "--", "true", NULL },
                                        &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "troupe: --env wants KEY=VALUE"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 2);
  g_clear_pointer (&err, g_free);

  /* `troupe fork` too: a Node child with its channel, its messages on a page of their own. */
  {
    g_autofree char *hello = g_build_filename (TEST_CHILDREN_DIR, "hello.js", NULL);
    TroupeProcess *fork_job;

    g_assert_cmpint (run_second_instance ((const char *[]) { "fork", "--send", "\"Hello\"", "--",
                                                              "node", hello, NULL },
                                          &err), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 3);
    fork_job = troupe_window_get_selected_job (window);
    g_assert_true (troupe_command_is_fork (troupe_process_get_command (fork_job)));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
    g_assert_cmpstr (troupe_window_get_page (window), ==, "messages");
    troupe_ui_test_wait_for_label (GTK_WIDGET (window), "\"Hello to you too :)\"");
    /* Node's child ends with its channel, well: nothing to notify. */
    troupe_channel_disconnect (troupe_process_get_channel (fork_job));
    troupe_test_wait_ended (fork_job);
    g_assert_cmpint (troupe_process_get_exit_code (fork_job), ==, 0);
  }

  /* A job that fails in the background is notified. */
  check_notification (&server, app, window);

  troupe_ui_test_close_window (app, window);
  stop_notification_server (&server);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/single-instance/run-exec-and-notify", test_single_instance);

  return troupe_test_run_all ();
}
