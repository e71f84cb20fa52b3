/* test-messages.c: a fork's messages kept, counted and filtered for the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-message-model.h"
#include "troupe-test-util.h"

static TroupeProcess *
run_fork (TroupeCommand *command)
{
  TroupeProcess *process;

  troupe_command_set_channel_fd (command, 3);
  process = troupe_test_run (command);
  g_assert_nonnull (troupe_process_get_messages (process));
  return process;
}

static gboolean
channel_closed (gpointer data)
{
  return !troupe_channel_is_connected (troupe_process_get_channel (data)) &&
         troupe_process_has_ended (data);
}

static char *
message_text (TroupeMessage *message)
{
  gsize length;
  const char *data = g_bytes_get_data (troupe_message_get_text (message), &length);
  return g_strndup (data, length);
}

static void
test_log_keeps_everything (void)
{
  /* Both ways, and the bad lines, in order, with their kinds. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-garbage", "5000", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  TroupeMessageLog *log;
  g_autoptr(TroupeMessage) first = NULL;
  g_autoptr(TroupeMessage) error = NULL;
  g_autoptr(TroupeMessage) sent = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *preview = NULL;
  guint n;

  troupe_command_set_max_message_size (command, 1000);
  g_assert_true (troupe_command_add_initial_message (command, "{\"hello\": [1, 2]}", NULL));
  process = run_fork (command);
  troupe_test_wait_until (channel_closed, process, "for the channel to close");
  log = troupe_process_get_messages (process);

  n = troupe_message_log_get_n_messages (log);
  g_assert_cmpuint (n, ==, 1 + 9 + 5);
  g_assert_cmpuint (troupe_message_log_count (log, TROUPE_MESSAGE_FROM_CHILD, TROUPE_MESSAGE_USER),
                    ==, 9);
  g_assert_cmpuint (troupe_message_log_count (log, TROUPE_MESSAGE_FROM_CHILD,
                                              TROUPE_MESSAGE_PROTOCOL_ERROR), ==, 5);
  g_assert_cmpuint (troupe_message_log_count (log, TROUPE_MESSAGE_TO_CHILD, TROUPE_MESSAGE_USER),
                    ==, 1);

  /* What the child sent first and what we sent first, in whichever order they came. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeMessage) message = troupe_message_log_get_message (log, i);

      g_assert_cmpuint (troupe_message_get_number (message), ==, i);
      if (troupe_message_get_direction (message) == TROUPE_MESSAGE_TO_CHILD && sent == NULL)
        sent = g_object_ref (message);
      else if (troupe_message_get_kind (message) == TROUPE_MESSAGE_USER && first == NULL &&
               troupe_message_get_direction (message) == TROUPE_MESSAGE_FROM_CHILD)
        first = g_object_ref (message);
      else if (troupe_message_get_kind (message) == TROUPE_MESSAGE_PROTOCOL_ERROR && error == NULL)
        error = g_object_ref (message);
    }

  text = message_text (sent);
  g_assert_cmpstr (text, ==, "{\"hello\":[1,2]}");
  g_assert_cmpuint (troupe_message_get_size (sent), ==, 15);
  pretty = troupe_message_dup_pretty (sent);
  g_assert_cmpstr (pretty, ==, "{\n  \"hello\" : [\n    1,\n    2\n  ]\n}");
  g_clear_pointer (&text, g_free);

  text = message_text (first);
  g_assert_cmpstr (text, ==, "{\"ok\":1}");
  g_assert_cmpint (troupe_message_get_time (first), >=, troupe_process_get_start_time (process));

  g_assert_nonnull (troupe_message_get_problem (error));
  g_assert_true (g_str_has_prefix (troupe_message_get_problem (error), "Not valid JSON"));
  preview = troupe_message_dup_preview (error, 8);
  g_assert_cmpstr (preview, ==, "not json…");
  g_assert_true (troupe_message_log_contains (log, troupe_message_get_number (error),
                                              "NOT VALID"));
}

static void
test_model_filters (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-garbage", "5000", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  g_autoptr(TroupeMessageModel) model = NULL;
  g_autoptr(TroupeMessage) item = NULL;
  g_autofree char *text = NULL;

  troupe_command_set_max_message_size (command, 1000);
  g_assert_true (troupe_command_add_initial_message (command, "{\"cmd\": \"NODE_PING\"}", NULL));
  g_assert_true (troupe_command_add_initial_message (command, "\"OK from us\"", NULL));
  process = run_fork (command);
  model = troupe_message_model_new (troupe_process_get_messages (process));
  troupe_test_wait_until (channel_closed, process, "for the channel to close");
  troupe_message_model_flush (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2 + 9 + 5);
  g_assert_false (troupe_message_model_is_filtering (model));

  troupe_message_model_set_direction (model, TROUPE_MESSAGE_FILTER_TO_CHILD);
  troupe_message_model_flush (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  troupe_message_model_set_show_internal (model, FALSE);
  troupe_message_model_flush (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  troupe_message_model_set_direction (model, TROUPE_MESSAGE_FILTER_BOTH_WAYS);
  troupe_message_model_set_text (model, "ok");
  troupe_message_model_flush (model);
  /* {"ok":1}…{"ok":5} and ours, in either case; not the errors. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);
  item = g_list_model_get_item (G_LIST_MODEL (model), 5);
  text = message_text (item);
  g_assert_cmpstr (text, ==, "{\"ok\":5}");

  troupe_message_model_set_direction (model, TROUPE_MESSAGE_FILTER_FROM_CHILD);
  troupe_message_model_set_text (model, "");
  troupe_message_model_set_show_internal (model, TRUE);
  troupe_message_model_flush (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 14);
}

typedef struct
{
  TroupeMessageModel *model;
  guint               changes;
  guint               largest_step;
} Watch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  watch->changes++;
}

static gboolean
all_in (gpointer data)
{
  Watch *watch = data;
  return g_list_model_get_n_items (G_LIST_MODEL (watch->model)) == 1000000;
}

static gboolean
filter_done (gpointer data)
{
  Watch *watch = data;
  return g_list_model_get_n_items (G_LIST_MODEL (watch->model)) == 100000;
}

static void
test_million_messages (void)
{
  /* A million messages: announced in batches, filtered in slices, never all at once. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-flood", "1000000", NULL);
  g_autoptr(TroupeProcess) process = run_fork (command);
  g_autoptr(TroupeMessageModel) model =
    troupe_message_model_new (troupe_process_get_messages (process));
  Watch watch = { model, 0, 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &watch);
  troupe_test_wait_until (all_in, &watch, "for a million messages");
  /* Far fewer announcements than messages: batches, not one per message. */
  g_assert_cmpuint (watch.changes, <, 100000);
  g_assert_cmpuint (watch.changes, >, 0);

  /* Messages 1, 10…19, 100…199, … contain "1" after n; "n\":9" picks a tenth. */
  watch.changes = 0;
  troupe_message_model_set_text (model, "9,\"text");
  /* Not all found in one go: the first slice ends before the log does. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), <, 100000);
  troupe_test_wait_until (filter_done, &watch, "for the filter to finish");
  g_assert_cmpuint (watch.changes, >, 2);

  g_signal_handlers_disconnect_by_data (model, &watch);
  troupe_channel_disconnect (troupe_process_get_channel (process));
  troupe_test_wait_ended (process);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/messages/log-keeps-everything", test_log_keeps_everything);
  g_test_add_func ("/troupe/messages/model-filters", test_model_filters);
  g_test_add_func ("/troupe/messages/million", test_million_messages);

  return troupe_test_run_all ();
}
