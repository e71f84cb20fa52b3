/* test-single-instance.c: `troupe run|exec` from a terminal adds the job to the running window
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

static void
test_single_instance (void)
{
  g_autoptr(TroupeApplication) app = NULL;
  g_autofree char *err = NULL;
  TroupeSession *session;
  TroupeProcess *job;
  TroupeWindow *window;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a D-Bus session bus (run under dbus-run-session)");
      return;
    }

  /* This process is the running Troupe. */
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

  troupe_ui_test_close_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/single-instance/run-and-exec", test_single_instance);

  return troupe_test_run_all ();
}
