/* test-german.c: the window in German, from the translations built with the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "troupe-ui-test-util.h"

static void
test_window_in_german (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  g_autoptr(TroupeCommand) command = troupe_command_new_shell ("echo hallo; exit 3");
  TroupeProcess *job;

  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Keine Aufträge");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Beide Ströme, Exit-Code 3");

  job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Beendet mit Code 3");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Laufzeit");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "german");

  /* A fork's messages, with a line that was not one. */
  {
    g_autoptr(TroupeCommand) fork_command = troupe_test_child_command ("channel-garbage", "5000",
                                                                       NULL);

    troupe_command_set_channel_fd (fork_command, 3);
    job = troupe_session_run (troupe_application_get_session (app), fork_command, NULL);
    troupe_window_select_job (window, job);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
    troupe_test_wait_ended (job);
    troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Nachrichten");
    troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Getrennt");
    troupe_ui_test_wait_for_label (GTK_WIDGET (window),
                                   "Kein gültiges JSON in Zeile 1, Spalte 1: Wert erwartet");
    troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
    troupe_ui_test_save_screenshot (GTK_WIDGET (window), "german-messages");
  }

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  /* German, from the catalogue in the build folder. LANGUAGE is honoured under
   * any locale but plain C, and C.UTF-8 is on every machine. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  troupe_test_init (&argc, &argv);
  g_test_add_func ("/troupe/german/window", test_window_in_german);
  return troupe_test_run_all ();
}
