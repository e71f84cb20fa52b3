/* test-output-view.c: the job's output under Xvfb: selecting lines and copying them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-ui-test-util.h"

/* Five lines on stdout: colour codes, a CRLF line end, bold, */
#define COLOUR_SCRIPT \
  "printf 'one\\n\\033[32mtwo\\033[0m green\\nthree\\r\\nfour\\n\\033[1mfive\\033[0m\\n'"
/* and the text their rows show. */
#define COLOUR_TEXT "one\ntwo green\nthree\nfour\nfive"

/* The copy cap: troupe-job-view.c's COPY_MAX_LINES. */
#define COPY_MAX_LINES 100000

static GtkWidget *
find_output_view (TroupeWindow *window)
{
  GtkWidget *output = troupe_ui_test_find_widget (GTK_WIDGET (troupe_window_get_job_view (window)),
                                                  GTK_TYPE_LIST_VIEW, "output-view");

  g_assert_nonnull (output);
  return output;
}

static GtkSelectionModel *
get_selection (TroupeWindow *window)
{
  GtkWidget *output = find_output_view (window);
  GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (output));

  g_assert_nonnull (selection);
  return selection;
}

/* The selected positions, as "0,2-4". */
static char *
describe_selection (GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  GString *text = g_string_new (NULL);
  guint n_ranges = 0;
  GtkBitsetIter iter;
  guint position;
  guint first = 0;
  guint last = 0;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);; )
    {
      if (more && n_ranges > 0 && position == last + 1)
        last = position;
      else
        {
          if (n_ranges > 0)
            {
              if (text->len > 0)
                g_string_append_c (text, ',');
              if (first == last)
                g_string_append_printf (text, "%u", first);
              else
                g_string_append_printf (text, "%u-%u", first, last);
            }
          if (!more)
            break;
          first = last = position;
          n_ranges++;
        }
      more = gtk_bitset_iter_next (&iter, &position);
    }
  return g_string_free (text, FALSE);
}

static gboolean
selection_is_empty (GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

  return gtk_bitset_is_empty (selected);
}

static void
on_clipboard_changed (gboolean *changed)
{
  *changed = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Activates output.copy as Ctrl+C does, and returns what the clipboard then holds. */
static char *
copy_output (TroupeWindow *window)
{
  GtkWidget *view = GTK_WIDGET (troupe_window_get_job_view (window));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (view);
  gboolean changed = FALSE;
  gulong handler = g_signal_connect_swapped (clipboard, "changed",
                                             G_CALLBACK (on_clipboard_changed), &changed);

  g_assert_true (gtk_widget_activate_action (view, "output.copy", NULL));
  /* The text is made off the main thread; the clipboard changes when it is ready. */
  troupe_ui_test_wait_until (is_true, &changed, "for the copy");
  g_signal_handler_disconnect (clipboard, handler);
  return troupe_ui_test_read_clipboard (clipboard);
}

static void
assert_clipboard_kept (TroupeWindow *window)
{
  GtkWidget *view = GTK_WIDGET (troupe_window_get_job_view (window));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (view);
  g_autofree char *text = NULL;

  gdk_clipboard_set_text (clipboard, "kept");
  gtk_widget_activate_action (view, "output.copy", NULL);
  troupe_ui_test_wait_for_frames (view);
  text = troupe_ui_test_read_clipboard (clipboard);
  g_assert_cmpstr (text, ==, "kept");
}

static TroupeProcess *
run_colour_job (TroupeApplication *app,
                TroupeWindow      *window)
{
  g_autoptr(TroupeCommand) command = troupe_command_new_shell (COLOUR_SCRIPT);
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);

  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "five");
  g_assert_cmpuint (troupe_job_view_get_n_shown (troupe_window_get_job_view (window)), ==, 5);
  return job;
}

static void
test_copy_lines (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  GtkSelectionModel *selection;
  g_autofree char *copied = NULL;
  g_autofree char *selected = NULL;

  run_colour_job (app, window);
  selection = get_selection (window);
  g_assert_true (GTK_IS_MULTI_SELECTION (selection));

  /* Nothing selected: Copy leaves the clipboard alone. */
  g_assert_true (selection_is_empty (selection));
  assert_clipboard_kept (window);

  /* A range, as Shift+click makes it: the text the rows show, one a line. */
  gtk_selection_model_select_range (selection, 1, 3, TRUE);
  copied = copy_output (window);
  g_assert_cmpstr (copied, ==, "two green\nthree\nfour");
  g_clear_pointer (&copied, g_free);

  /* Separate lines, as Ctrl+click adds them: in order, without the others. */
  gtk_selection_model_select_item (selection, 4, FALSE);
  gtk_selection_model_unselect_item (selection, 2);
  selected = describe_selection (selection);
  g_assert_cmpstr (selected, ==, "1,3-4");
  copied = copy_output (window);
  g_assert_cmpstr (copied, ==, "two green\nfour\nfive");
  g_clear_pointer (&copied, g_free);

  gtk_widget_grab_focus (find_output_view (window));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "output-selection");

  /* Select All, then Copy: every line. */
  gtk_widget_activate_action (GTK_WIDGET (troupe_window_get_job_view (window)),
                              "output.select-all", NULL);
  g_clear_pointer (&selected, g_free);
  selected = describe_selection (selection);
  g_assert_cmpstr (selected, ==, "0-4");
  copied = copy_output (window);
  g_assert_cmpstr (copied, ==, COLOUR_TEXT);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static gboolean
search_is_finished (gpointer user_data)
{
  TroupeJobView *view = user_data;
  TroupeLogSearch *search = troupe_job_view_get_search (view);

  return search != NULL && troupe_log_search_is_finished (search);
}

/* The current search match is the selection, so Copy copies it. */
static void
test_search_match_selected (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeJobView *view = troupe_window_get_job_view (window);
  GtkSelectionModel *selection;
  GtkWidget *entry;
  g_autofree char *selected = NULL;
  g_autofree char *copied = NULL;

  run_colour_job (app, window);
  selection = get_selection (window);
  gtk_selection_model_select_range (selection, 0, 2, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL);
  entry = troupe_ui_test_find_search_entry (GTK_WIDGET (view));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "FOUR");
  troupe_ui_test_wait_until (search_is_finished, view, "for the search");
  g_signal_emit_by_name (entry, "next-match");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "1 of 1");
  selected = describe_selection (selection);
  g_assert_cmpstr (selected, ==, "3");
  copied = copy_output (window);
  g_assert_cmpstr (copied, ==, "four");

  /* A new search drops the old match from the selection. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nothing like it");
  troupe_ui_test_wait_until (search_is_finished, view, "for the search");
  g_assert_true (selection_is_empty (selection));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static gboolean
has_n_lines (gpointer user_data)
{
  TroupeWindow *window = user_data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "wanted-lines"));

  return g_list_model_get_n_items (G_LIST_MODEL (get_selection (window))) == wanted;
}

static void
wait_for_rows (TroupeWindow *window,
               guint         n_rows)
{
  g_object_set_data (G_OBJECT (window), "wanted-lines", GUINT_TO_POINTER (n_rows));
  troupe_ui_test_wait_until (has_n_lines, window, "for the rows");
}

/* Lines keep coming while lines are selected; Clear drops the selection. */
static void
test_selection_survives_new_lines (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("echo", NULL);
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  TroupeJobView *view = troupe_window_get_job_view (window);
  GtkSelectionModel *selection;
  g_autofree char *selected = NULL;
  g_autofree char *copied = NULL;

  troupe_window_select_job (window, job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "ready");
  selection = get_selection (window);
  gtk_selection_model_select_item (selection, 0, TRUE);

  g_assert_true (troupe_process_write_line (job, "second", NULL));
  wait_for_rows (window, 2);
  selected = describe_selection (selection);
  g_assert_cmpstr (selected, ==, "0");

  gtk_widget_activate_action (GTK_WIDGET (view), "output.select-all", NULL);
  g_assert_true (troupe_process_write_line (job, "third", NULL));
  wait_for_rows (window, 3);
  g_clear_pointer (&selected, g_free);
  selected = describe_selection (selection);
  g_assert_cmpstr (selected, ==, "0-1");
  copied = copy_output (window);
  g_assert_cmpstr (copied, ==, "ready\ngot: second");

  /* Clear: no rows, nothing selected, nothing to copy. */
  troupe_ui_test_click_button (GTK_WIDGET (view), "Clear");
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 0);
  g_assert_true (selection_is_empty (selection));
  assert_clipboard_kept (window);
  g_assert_true (troupe_process_write_line (job, "fourth", NULL));
  wait_for_rows (window, 1);
  g_assert_true (selection_is_empty (selection));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* Lines in @text, one a newline more; without g_strsplit(), whose strstr()
 * costs AddressSanitizer the whole rest of the text each line. */
static guint
count_lines (const char *text)
{
  guint n_lines = 1;

  for (const char *newline = strchr (text, '\n'); newline != NULL;
       newline = strchr (newline + 1, '\n'))
    n_lines++;
  return n_lines;
}

/* Copying stops at the cap, says so, and points at Export Log…. */
static void
test_copy_is_capped (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  guint n_lines = COPY_MAX_LINES + 20000;
  g_autofree char *bytes = g_strdup_printf ("%u", n_lines * 20);
  /* Lines of 20 bytes, "000000000 xxxxxxxxx\n", numbered from 0. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("flood", bytes, "20", NULL);
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  g_autofree char *copied = NULL;
  g_autofree char *message = NULL;

  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  g_assert_cmpuint (troupe_log_get_n_lines (troupe_process_get_log (job), TROUPE_LINES_ALL), ==,
                    n_lines);

  gtk_widget_activate_action (GTK_WIDGET (troupe_window_get_job_view (window)),
                              "output.select-all", NULL);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (get_selection (window));

    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, n_lines);
  }
  copied = copy_output (window);
  g_assert_cmpuint (count_lines (copied), ==, COPY_MAX_LINES);
  g_assert_true (g_str_has_prefix (copied, "000000000 xxxxxxxxx\n000000001 xxxxxxxxx\n"));
  g_assert_true (g_str_has_suffix (copied, "\n000099998 xxxxxxxxx\n000099999 xxxxxxxxx"));

  message = g_strdup_printf ("Only the first %'u lines were copied", COPY_MAX_LINES);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), message);
  /* Its button: the whole log, to a file. */
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (window), "Export Log…"));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "output-copy-capped");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static gboolean
shortcut_is_bound (GtkWidget  *widget,
                   const char *trigger,
                   const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *triggers =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *activates =
            gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));
          g_auto(GStrv) alternatives = g_strsplit (triggers, "|", -1);

          if (g_strv_contains ((const char * const *) alternatives, trigger) &&
              g_str_equal (activates, action))
            return TRUE;
        }
    }
  return FALSE;
}

/* Ctrl+C, Ctrl+A and the Menu key on the output; its menu offers Copy and Select All. */
static void
test_shortcuts_and_menu (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  GtkWidget *output;
  GtkWidget *menu;
  GtkWindow *shortcuts;

  run_colour_job (app, window);
  output = find_output_view (window);
  g_assert_true (shortcut_is_bound (output, "<Control>c", "action(output.copy)"));
  g_assert_true (shortcut_is_bound (output, "<Control>a", "action(output.select-all)"));
  g_assert_true (shortcut_is_bound (output, "Menu", "action(output.show-menu)"));
  g_assert_true (shortcut_is_bound (output, "<Shift>F10", "action(output.show-menu)"));

  gtk_selection_model_select_range (get_selection (window), 0, 2, TRUE);
  gtk_widget_grab_focus (output);
  gtk_widget_activate_action (GTK_WIDGET (troupe_window_get_job_view (window)),
                              "output.show-menu", NULL);
  /* The view's own popover; the job menu button has another. */
  for (menu = gtk_widget_get_first_child (GTK_WIDGET (troupe_window_get_job_view (window)));
       menu != NULL && !GTK_IS_POPOVER_MENU (menu);
       menu = gtk_widget_get_next_sibling (menu))
    ;
  g_assert_nonnull (menu);
  troupe_ui_test_wait_for_label (menu, "Copy");
  troupe_ui_test_wait_for_label (menu, "Select All");
  troupe_ui_test_wait_for_label (menu, "Export Log…");
  troupe_ui_test_wait_for_frames (menu);
  /* The menu is a surface of its own, pictured alone. */
  troupe_ui_test_save_screenshot (menu, "output-menu");
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* The keyboard shortcuts window lists them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  shortcuts = troupe_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  troupe_ui_test_wait_for_label (GTK_WIDGET (shortcuts), "Copy the selected lines");
  troupe_ui_test_wait_for_label (GTK_WIDGET (shortcuts), "Select all lines");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (shortcuts));
  troupe_ui_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_destroy (shortcuts);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  /* These tests make several applications one after another in this process;
   * on a session bus each would claim the same object paths. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/output-view/copy-lines", test_copy_lines);
  g_test_add_func ("/troupe/output-view/search-match-selected", test_search_match_selected);
  g_test_add_func ("/troupe/output-view/selection-survives-new-lines",
                   test_selection_survives_new_lines);
  g_test_add_func ("/troupe/output-view/copy-is-capped", test_copy_is_capped);
  g_test_add_func ("/troupe/output-view/shortcuts-and-menu", test_shortcuts_and_menu);

  return troupe_test_run_all ();
}
