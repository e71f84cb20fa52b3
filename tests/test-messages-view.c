/* test-messages-view.c: a fork's messages in the real window under Xvfb: composed, sent,
 * echoed by a real Node child, expanded, filtered, sent again; protocol errors; a million
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-launch-dialog.h"
#include "troupe-message-composer.h"
#include "troupe-messages-view.h"
#include "troupe-ui-test-util.h"

/* A widget's own part, by its id in its template. */
static GtkWidget *
part (gpointer    widget,
      GType       type,
      const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkWidget *
view_part (TroupeWindow *window,
           const char   *id)
{
  return part (troupe_window_get_messages_view (window), TROUPE_TYPE_MESSAGES_VIEW, id);
}

static GtkWidget *
composer_part (TroupeWindow *window,
               const char   *id)
{
  TroupeMessagesView *view = troupe_window_get_messages_view (window);

  return part (troupe_messages_view_get_composer (view), TROUPE_TYPE_MESSAGE_COMPOSER, id);
}

static guint
count_labels (GtkWidget  *widget,
              const char *text)
{
  guint n = GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
            g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, text);
  return n;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
  guint       count;
} LabelWait;

static gboolean
labels_shown (gpointer data)
{
  LabelWait *wait = data;
  return count_labels (wait->widget, wait->text) == wait->count;
}

static void
wait_for_labels (TroupeWindow *window,
                 const char   *text,
                 guint         count)
{
  LabelWait wait = { GTK_WIDGET (troupe_window_get_messages_view (window)), text, count };
  g_autofree char *what = g_strdup_printf ("for %u × “%s”", count, text);

  troupe_ui_test_wait_until (labels_shown, &wait, what);
}

static gboolean
label_prefix_shown (gpointer data)
{
  LabelWait *wait = data;
  return troupe_ui_test_find_label_prefix (wait->widget, wait->text);
}

static void
wait_for_label_prefix (TroupeWindow *window,
                       const char   *prefix)
{
  LabelWait wait = { GTK_WIDGET (window), prefix, 0 };
  g_autofree char *what = g_strdup_printf ("for “%s…”", prefix);

  troupe_ui_test_wait_until (label_prefix_shown, &wait, what);
}

typedef struct
{
  TroupeWindow *window;
  guint         n;
} ShownWait;

static gboolean
n_shown_is (gpointer data)
{
  ShownWait *wait = data;
  return troupe_messages_view_get_n_shown (troupe_window_get_messages_view (wait->window)) ==
         wait->n;
}

static void
wait_n_shown (TroupeWindow *window,
              guint         n)
{
  ShownWait wait = { window, n };
  troupe_ui_test_wait_until (n_shown_is, &wait, "for the list's rows");
}

static void
set_compose_text (TroupeWindow *window,
                  const char   *text)
{
  GtkTextView *editor = GTK_TEXT_VIEW (composer_part (window, "editor"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), text, -1);
}

static gboolean
send_enabled (TroupeWindow *window)
{
  return gtk_widget_get_sensitive (composer_part (window, "send_button"));
}

static TroupeLaunchDialog *
find_launch_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TROUPE_IS_LAUNCH_DIALOG (toplevel))
        return TROUPE_LAUNCH_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_launch_dialog () == NULL;
}

static gboolean
channel_closed (gpointer data)
{
  return !troupe_channel_is_connected (troupe_process_get_channel (data)) &&
         troupe_process_has_ended (data);
}

/* Starts `node echo.js` from the launch dialog in Fork mode. */
static TroupeProcess *
fork_echo_from_dialog (TroupeWindow *window)
{
  g_autofree char *script = g_build_filename (TEST_CHILDREN_DIR, "echo.js", NULL);
  g_autofree char *quoted = g_shell_quote (script);
  g_autofree char *line = g_strconcat ("node ", quoted, NULL);
  TroupeLaunchDialog *dialog;
  GtkWidget *fd_row;
  TroupeProcess *job;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-job", NULL);
  dialog = find_launch_dialog ();
  g_assert_nonnull (dialog);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));

  /* Run by default; Fork offers where the channel goes, at 3 unless changed. */
  fd_row = part (dialog, TROUPE_TYPE_LAUNCH_DIALOG, "channel_fd_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (part (dialog,
                                                                     TROUPE_TYPE_LAUNCH_DIALOG,
                                                                     "mode_row"))), ==, 0);
  g_assert_false (gtk_widget_get_visible (fd_row));
  gtk_editable_set_text (GTK_EDITABLE (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG, "command_row")),
                         line);
  gtk_editable_set_text (GTK_EDITABLE (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG, "name_row")),
                         "Echo");
  adw_combo_row_set_selected (ADW_COMBO_ROW (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG,
                                                   "mode_row")), 1);
  g_assert_true (gtk_widget_get_visible (fd_row));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     GTK_SPIN_BUTTON (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG,
                                            "channel_fd_spin"))), ==, 3);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "launch-dialog-fork");

  g_signal_emit_by_name (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG, "run_button"), "clicked");
  troupe_ui_test_wait_until (dialog_gone, NULL, "for the dialog to close");

  job = troupe_window_get_selected_job (window);
  g_assert_nonnull (job);
  g_assert_true (troupe_command_is_fork (troupe_process_get_command (job)));
  g_assert_cmpint (troupe_command_get_channel_fd (troupe_process_get_command (job)), ==, 3);
  g_assert_nonnull (troupe_process_get_messages (job));
  return job;
}

static gboolean
echoed (gpointer data)
{
  TroupeMessageLog *log = troupe_process_get_messages (data);
  return troupe_message_log_count (log, TROUPE_MESSAGE_FROM_CHILD, TROUPE_MESSAGE_USER) >= 2;
}

static void
test_compose_and_inspect (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeMessagesView *view = troupe_window_get_messages_view (window);
  TroupeMessageComposer *composer = troupe_messages_view_get_composer (view);
  const char *sent = "{\"greeting\":\"hello child\",\"n\":1}";
  const char *pretty = "{\n  \"greeting\" : \"hello child\",\n  \"n\" : 1\n}";
  g_autoptr(TroupeCommand) plain_command = troupe_command_new_shell ("echo plain");
  AdwViewStackPage *messages_page;
  TroupeLaunchDialog *dialog;
  GMenuModel *history_menu;
  g_autoptr(GMenuModel) history_section = NULL;
  g_autoptr(GVariant) target = NULL;
  TroupeProcess *plain;
  TroupeProcess *job;

  job = fork_echo_from_dialog (window);

  /* A fork shows its output first, and offers its messages beside it. */
  messages_page = ADW_VIEW_STACK_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                      TROUPE_TYPE_WINDOW,
                                                                      "messages_page"));
  g_assert_true (adw_view_stack_page_get_visible (messages_page));
  g_assert_cmpstr (troupe_window_get_page (window), ==, "output");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  g_assert_cmpstr (troupe_window_get_page (window), ==, "messages");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "No Messages Yet");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Connected");

  /* Checked as typed: where it is wrong, and no Send. */
  g_assert_false (send_enabled (window));
  set_compose_text (window, "{\n  \"greeting\": \"hello child\"\n  \"n\": 1\n}");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window),
                                 "Not valid JSON at line 3, column 3: expected ',' or '}'");
  g_assert_false (send_enabled (window));
  set_compose_text (window, "{\"greeting\": \"hello child\",");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window),
                                 "Not valid JSON: the text ends too soon "
                                 "(expected a member name in double quotes)");
  g_assert_false (send_enabled (window));

  /* Valid, over several lines: sent on one, and echoed back by Node. */
  set_compose_text (window, "{\n  \"greeting\": \"hello child\",\n  \"n\": 1\n}");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Ctrl+Enter sends the message");
  g_assert_true (send_enabled (window));
  g_signal_emit_by_name (composer_part (window, "send_button"), "clicked");
  wait_for_labels (window, sent, 2);
  g_assert_cmpuint (troupe_messages_view_get_n_shown (view), ==, 2);
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (view), "To child"), ==, 1);
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (view), "From child"), ==, 1);
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (view), "32 B"));
  wait_for_label_prefix (window, "2 messages · ");
  g_assert_cmpstr (troupe_message_composer_get_history (composer)[0], ==, sent);
  g_assert_true (troupe_messages_view_get_following (view));

  /* A row activated shows the message indented; activated again, it closes. */
  g_signal_emit_by_name (view_part (window, "message_view"), "activate", 1);
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), pretty);
  g_signal_emit_by_name (view_part (window, "message_view"), "activate", 1);
  wait_for_labels (window, pretty, 0);
  g_signal_emit_by_name (view_part (window, "message_view"), "activate", 1);
  wait_for_labels (window, pretty, 1);

  /* One way only: the reply, open, is filtered out; both ways, it is still open. */
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 1);
  wait_n_shown (window, 1);
  wait_for_labels (window, pretty, 0);
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (view), "From child"), ==, 0);
  wait_for_label_prefix (window, "1 of 2 messages · ");
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 2);
  wait_n_shown (window, 1);
  wait_for_labels (window, pretty, 1);
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (view), "To child"), ==, 0);
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 0);
  wait_n_shown (window, 2);
  wait_for_labels (window, pretty, 1);

  /* By text: nothing matches, and the list says so. */
  gtk_editable_set_text (GTK_EDITABLE (view_part (window, "search_entry")), "no such text");
  wait_n_shown (window, 0);
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "No Matching Messages");
  gtk_editable_set_text (GTK_EDITABLE (view_part (window, "search_entry")), "HELLO");
  wait_n_shown (window, 2);

  /* Node's own messages are tagged, and can be hidden. */
  gtk_editable_set_text (GTK_EDITABLE (view_part (window, "search_entry")), "");
  set_compose_text (window, "{\"cmd\": \"NODE_TROUPE_TEST\"}");
  gtk_widget_activate_action (GTK_WIDGET (troupe_messages_view_get_composer (view)),
                              "composer.send", NULL);
  wait_n_shown (window, 3);
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "Node");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "{\"cmd\":\"NODE_TROUPE_TEST\"}");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (view_part (window, "internal_check")), FALSE);
  wait_n_shown (window, 2);
  g_assert_false (troupe_ui_test_find_label (GTK_WIDGET (view), "Node"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (view_part (window, "internal_check")), TRUE);
  wait_n_shown (window, 3);

  /* The history offers both, newest first; the older one is sent again from it. */
  history_menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (composer_part (window,
                                                                               "history_button")));
  history_section = g_menu_model_get_item_link (history_menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (history_section), ==, 2);
  target = g_menu_model_get_item_attribute_value (history_section, 1, G_MENU_ATTRIBUTE_TARGET,
                                                  G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, sent);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (composer), "composer.send-again",
                                                     target));
  troupe_ui_test_wait_until (echoed, job, "for the second echo");
  wait_for_labels (window, sent, 4);
  g_assert_cmpstr (troupe_message_composer_get_history (composer)[0], ==, sent);
  g_assert_cmpuint (g_strv_length ((char **) troupe_message_composer_get_history (composer)),
                    ==, 2);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "messages-echo");

  /* Disconnect: said, nothing more can be sent, and Node's child ends. */
  g_signal_emit_by_name (composer_part (window, "disconnect_button"), "clicked");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "Disconnected");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view),
                                 "The channel is closed: nothing more can be sent to this child");
  g_assert_false (send_enabled (window));
  g_assert_false (gtk_widget_get_sensitive (composer_part (window, "editor")));
  troupe_test_wait_ended (job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "output");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "disconnected");

  /* A plain job has no messages to switch to; back on the fork, they are there. */
  plain = troupe_session_run (troupe_application_get_session (app), plain_command, NULL);
  troupe_window_select_job (window, plain);
  g_assert_false (adw_view_stack_page_get_visible (messages_page));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  g_assert_cmpstr (troupe_window_get_page (window), ==, "output");
  troupe_window_select_job (window, job);
  g_assert_true (adw_view_stack_page_get_visible (messages_page));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  wait_for_labels (window, sent, 4);

  /* Duplicate keeps it a fork, at the same fd. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.duplicate-job", NULL);
  dialog = find_launch_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (part (dialog,
                                                                     TROUPE_TYPE_LAUNCH_DIALOG,
                                                                     "mode_row"))), ==, 1);
  g_assert_true (gtk_widget_get_visible (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG,
                                               "channel_fd_row")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     GTK_SPIN_BUTTON (part (dialog, TROUPE_TYPE_LAUNCH_DIALOG,
                                            "channel_fd_spin"))), ==, 3);
  gtk_window_destroy (GTK_WINDOW (dialog));
  troupe_ui_test_wait_until (dialog_gone, NULL, "for the dialog to close");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* As the wheel would. */
static void
scroll_to_top (TroupeWindow *window)
{
  GtkWidget *scroller = view_part (window, "message_scroller");

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                            0);
}

static void
test_protocol_errors (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeMessagesView *view = troupe_window_get_messages_view (window);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-garbage", "5000", NULL);
  TroupeProcess *job;

  troupe_command_set_channel_fd (command, 3);
  troupe_command_set_max_message_size (command, 1000);
  troupe_command_set_name (command, "Worker");
  g_assert_true (troupe_command_add_initial_message (command,
                                                     "{\"job\": 17, \"task\": \"resize\", "
                                                     "\"width\": 640}",
                                                     NULL));
  job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  troupe_window_select_job (window, job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  troupe_test_wait_until (channel_closed, job, "for the channel to close");

  /* Each bad line is in the list, in the error colour, with what was wrong and
   * its bytes; the good ones around it are read as usual. */
  wait_n_shown (window, 1 + 9 + 5);
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "not json at all");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "\"bad \\xFF\\xFE utf-8\"");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "{\"ok\":5}");
  wait_for_label_prefix (window, "Not valid JSON");
  wait_for_label_prefix (window, "A message is longer than the limit of 1000 bytes");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view),
                                 "The channel closed in the middle of a message");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "Error");
  wait_for_label_prefix (window, "15 messages · ");
  troupe_ui_test_wait_for_label (GTK_WIDGET (view), "Disconnected");

  /* The message sent first, open, for the picture. Scrolled up to it, as with
   * the wheel, the list no longer follows the newest, and offers to jump back. */
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_true (troupe_messages_view_get_following (view));
  g_signal_emit_by_name (view_part (window, "message_view"), "activate", 0);
  scroll_to_top (window);
  g_assert_false (troupe_messages_view_get_following (view));
  g_assert_true (gtk_widget_get_visible (view_part (window, "jump_button")));
  troupe_ui_test_wait_for_label (GTK_WIDGET (view),
                                 "{\n  \"job\" : 17,\n  \"task\" : \"resize\",\n"
                                 "  \"width\" : 640\n}");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  /* The list measures the rows it had only estimated as it shows them. */
  scroll_to_top (window);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "messages");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

typedef struct
{
  TroupeWindow *window;
  const char   *text;
} Newest;

static gboolean
newest_shown (gpointer data)
{
  Newest *newest = data;
  TroupeMessagesView *view = troupe_window_get_messages_view (newest->window);

  return troupe_ui_test_find_label_prefix (GTK_WIDGET (view), newest->text) &&
         troupe_ui_test_find_label (GTK_WIDGET (view), "{\"n\":999999,\"text\":\"hello\"}");
}

static void
test_million (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeMessagesView *view = troupe_window_get_messages_view (window);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-flood", "1000000", NULL);
  g_autofree char *count = g_strdup_printf ("%'u messages · ", 1000000);
  Newest newest = { window, count };
  TroupeProcess *job;

  /* The inspector shown while a million messages come, as fast as they can. */
  troupe_command_set_channel_fd (command, 3);
  job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  troupe_window_select_job (window, job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");

  /* It keeps up: all counted, and the newest on screen, followed. */
  troupe_ui_test_wait_until (newest_shown, &newest, "for a million messages, the newest shown");
  g_assert_cmpuint (troupe_messages_view_get_n_shown (view), ==, 1000000);
  g_assert_true (troupe_messages_view_get_following (view));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "messages-million");

  troupe_channel_disconnect (troupe_process_get_channel (job));
  troupe_test_wait_ended (job);
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

  g_test_add_func ("/troupe/messages-view/compose-and-inspect", test_compose_and_inspect);
  g_test_add_func ("/troupe/messages-view/protocol-errors", test_protocol_errors);
  g_test_add_func ("/troupe/messages-view/million", test_million);

  return troupe_test_run_all ();
}
