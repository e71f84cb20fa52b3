/* test-window.c: the real window under Xvfb: it opens, says what it is, and quits cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "troupe-application.h"
#include "troupe-test-util.h"
#include "troupe-window.h"

/* Renders @widget as it is on screen and saves it where CI keeps screenshots. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = gtk_native_get_renderer (native);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *folder = g_build_filename (SCREENSHOT_DIR, NULL);
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (folder, file_name, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return gtk_widget_is_drawable (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static void
wait_for_frames (GtkWidget *widget)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  /* Let layout and the first frames settle; this waits, it never measures. */
  while (!gtk_widget_get_mapped (widget) || g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  GPid     child;
  gboolean quit_by_signal;
} QuitCase;

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  QuitCase *quit_case = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TROUPE_IS_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Troupe");
  g_assert_true (find_label (GTK_WIDGET (window), "No Jobs"));
  g_assert_cmpuint (g_list_model_get_n_items (
                      G_LIST_MODEL (troupe_application_get_session (TROUPE_APPLICATION (app)))),
                    ==, 0);
  save_screenshot (GTK_WIDGET (window), "empty-window");

  /* A child that ignores SIGTERM, still running when the app quits. */
  {
    g_autoptr(TroupeCommand) command = troupe_test_child_command ("ignore-term", NULL);
    TroupeSession *session = troupe_application_get_session (TROUPE_APPLICATION (app));
    TroupeProcess *process;

    troupe_command_set_stop_timeout (command, 200);
    process = troupe_session_run (session, command, NULL);
    troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
    quit_case->child = troupe_process_get_pid (process);
  }

  if (quit_case->quit_by_signal)
    kill (getpid (), SIGTERM); /* as at logout */
  else
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_window_opens (gconstpointer data)
{
  g_autoptr(TroupeApplication) app = troupe_application_new ();
  QuitCase quit_case = { 0, GPOINTER_TO_INT (data) };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* Connected after the class handler, which creates the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &quit_case);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  /* Quitting stopped it — SIGTERM, then SIGKILL — and reaped it before returning. */
  g_assert_cmpint (quit_case.child, >, 0);
  g_assert_true (troupe_test_pid_is_gone (quit_case.child));
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_data_func ("/troupe/window/opens-and-quits", GINT_TO_POINTER (FALSE),
                        test_window_opens);
  g_test_add_data_func ("/troupe/window/quits-on-sigterm", GINT_TO_POINTER (TRUE),
                        test_window_opens);

  return troupe_test_run_all ();
}
