/* troupe-messages-view.c: the messages of a fork's channel or a thread worker, both ways, and a box to send more
 *
 * The list is a GtkListView over a TroupeMessageModel, so only the rows on
 * screen exist, whatever the number of messages; the model announces new ones
 * in batches, at most one change a frame. Like the output, the list follows
 * the newest message while the user has not scrolled up. A row activated
 * (click, Enter) shows the whole message; which ones are open is kept by
 * message number, since rows are recycled as the list scrolls. The count, the
 * rate and the channel's state are read once a second while the view is shown
 * (and the count soon after new messages are listed). A thread worker's
 * messages are shown the same way; the box to send is there only if its kind
 * takes messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-message-composer.h"
#include "troupe-message-model.h"
#include "troupe-message-row.h"
#include "troupe-messages-view.h"
#include "troupe-tail-follower.h"

struct _TroupeMessagesView
{
  GtkWidget              parent_instance;

  TroupeProcess         *process;
  TroupeWorker          *worker;
  GDateTime             *worker_queued_at;  /* the worker's times, by the wall clock */
  gint64                 worker_queue_time; /* and by the monotonic clock */
  TroupeChannel         *channel;
  TroupeMessageModel    *messages;
  GHashTable            *expanded;    /* message numbers shown whole */
  GHashTable            *bound_rows;  /* message number → the row showing it */
  guint                  clock;
  guint                  count_soon;
  TroupeTailFollower    *follower;

  GtkSearchEntry        *search_entry;
  GtkDropDown           *direction_dropdown;
  GtkCheckButton        *internal_check;
  GtkLabel              *count_label;
  GtkLabel              *connection_label;
  GtkStack              *list_stack;
  GtkScrolledWindow     *message_scroller;
  GtkListView           *message_view;
  AdwStatusPage         *empty_page;
  GtkButton             *jump_button;
  TroupeMessageComposer *composer;
};

G_DEFINE_FINAL_TYPE (TroupeMessagesView, troupe_messages_view, GTK_TYPE_WIDGET)

static TroupeMessageLog *
get_log (TroupeMessagesView *self)
{
  return self->messages != NULL ? troupe_message_model_get_log (self->messages) : NULL;
}

/* "1,234 messages · 56/s", with the locale's digit grouping; while a filter
 * leaves some out, how many are shown too. */
static void
update_count (TroupeMessagesView *self)
{
  TroupeMessageLog *log = get_log (self);
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *text = NULL;
  guint n;

  if (log == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }

  n = troupe_message_log_get_n_messages (log);
  total = g_strdup_printf ("%'u", n);
  if (troupe_message_model_is_filtering (self->messages))
    {
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
      g_autofree char *shown_text = g_strdup_printf ("%'u", shown);

      /* Translators: how many messages a filter shows, of how many there are */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s message",
                                            "%s of %s messages", n),
                               shown_text, total);
    }
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message", "%s messages", n),
                             total);
  rate = g_strdup_printf ("%'.0f", troupe_message_log_get_rate (log));
  /* Translators: how many messages, then how many a second, as in "1,234 messages · 56/s" */
  text = g_strdup_printf (_("%s · %s/s"), count, rate);
  gtk_label_set_text (self->count_label, text);
}

/* "Connected", or "Disconnected", and what is still queued for the child; a
 * worker's state, and how many messages wait for it. */
static char *
dup_connection_text (TroupeMessagesView *self,
                     gboolean           *connected)
{
  if (self->worker != NULL)
    {
      guint waiting = troupe_worker_get_n_queued_in (self->worker);
      const char *state = troupe_worker_state_to_string (troupe_worker_get_state (self->worker));

      *connected = !troupe_worker_has_ended (self->worker);
      if (waiting == 0)
        return g_strdup (state);
      /* Translators: a worker's state, then how many messages wait for it, as in
       * "Running · 3 waiting" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u waiting", "%s · %u waiting",
                                           waiting),
                              state, waiting);
    }
  if (self->channel != NULL)
    {
      gsize queued = troupe_channel_get_queued_bytes (self->channel);

      *connected = troupe_channel_is_connected (self->channel);
      if (queued > 0)
        {
          g_autofree char *size = g_format_size (queued);

          /* Translators: the channel's state, then how much is queued, as in
           * "Connected · 12 kB waiting to be sent" */
          return g_strdup_printf (_("%s · %s waiting to be sent"),
                                  *connected ? _("Connected") : _("Disconnected"), size);
        }
      return g_strdup (*connected ? _("Connected") : _("Disconnected"));
    }
  *connected = FALSE;
  return NULL;
}

static void
update_connection (TroupeMessagesView *self)
{
  GtkWidget *label = GTK_WIDGET (self->connection_label);
  gboolean connected;
  g_autofree char *text = dup_connection_text (self, &connected);

  gtk_label_set_text (self->connection_label, text != NULL ? text : "");
  if (text == NULL)
    return;
  if (connected)
    {
      gtk_widget_add_css_class (label, "connected");
      gtk_widget_remove_css_class (label, "disconnected");
    }
  else
    {
      gtk_widget_add_css_class (label, "disconnected");
      gtk_widget_remove_css_class (label, "connected");
    }
}

static gboolean
on_clock (gpointer user_data)
{
  TroupeMessagesView *self = user_data;

  update_count (self);
  update_connection (self);
  return G_SOURCE_CONTINUE;
}

/* The list, or a page saying why it is empty. */
static void
update_empty (TroupeMessagesView *self)
{
  guint n = self->messages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->messages))
                                   : 0;

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (self->messages == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("No Message Channel"));
      adw_status_page_set_description (
        self->empty_page, _("Only a job started as a fork has a channel for messages"));
    }
  else if (troupe_message_model_is_filtering (self->messages) &&
           troupe_message_log_get_n_messages (get_log (self)) > 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Messages"));
      adw_status_page_set_description (self->empty_page,
                                       _("None of the messages so far pass the filter"));
    }
  else if (self->worker != NULL && !troupe_worker_get_recording (self->worker))
    {
      adw_status_page_set_title (self->empty_page, _("Messages Not Kept"));
      adw_status_page_set_description (self->empty_page,
                                       _("This worker reports too often to keep each message: "
                                         "its page shows what they say"));
    }
  else if (self->worker != NULL)
    {
      adw_status_page_set_title (self->empty_page, _("No Messages Yet"));
      adw_status_page_set_description (
        self->empty_page,
        troupe_worker_kind_accepts_messages (troupe_worker_get_kind (self->worker))
          ? _("Messages to and from the worker appear here as they go; send one below")
          : _("Messages the worker posts appear here as they go"));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Messages Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Messages to and from the child appear here as they "
                                         "go; send one below"));
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Rows. */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, troupe_message_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  TroupeMessagesView *self = user_data;
  TroupeMessage *message = gtk_list_item_get_item (item);
  TroupeMessageRow *row = TROUPE_MESSAGE_ROW (gtk_list_item_get_child (item));
  gpointer number = GUINT_TO_POINTER (troupe_message_get_number (message));

  troupe_message_row_set_peer_is_worker (row, self->worker != NULL);
  if (self->worker != NULL)
    troupe_message_row_set_message (row, message, self->worker_queued_at,
                                    self->worker_queue_time);
  else
    troupe_message_row_set_message (row, message,
                                    self->process != NULL
                                      ? troupe_process_get_started_at (self->process) : NULL,
                                    self->process != NULL
                                      ? troupe_process_get_start_time (self->process) : 0);
  troupe_message_row_set_expanded (row, g_hash_table_contains (self->expanded, number));
  g_hash_table_insert (self->bound_rows, number, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TroupeMessagesView *self = user_data;
  TroupeMessageRow *row = TROUPE_MESSAGE_ROW (gtk_list_item_get_child (item));
  TroupeMessage *message = troupe_message_row_get_message (row);

  if (message != NULL)
    {
      gpointer number = GUINT_TO_POINTER (troupe_message_get_number (message));

      if (g_hash_table_lookup (self->bound_rows, number) == row)
        g_hash_table_remove (self->bound_rows, number);
    }
  troupe_message_row_set_message (row, NULL, NULL, 0);
}

/* A click or Enter on a row shows the whole message, or hides it again. */
static void
on_row_activated (TroupeMessagesView *self,
                  guint               position)
{
  g_autoptr(TroupeMessage) message = NULL;
  TroupeMessageRow *row;
  gpointer number;
  gboolean expanded;

  if (self->messages == NULL ||
      (message = g_list_model_get_item (G_LIST_MODEL (self->messages), position)) == NULL)
    return;

  number = GUINT_TO_POINTER (troupe_message_get_number (message));
  expanded = !g_hash_table_contains (self->expanded, number);
  if (expanded)
    g_hash_table_add (self->expanded, number);
  else
    g_hash_table_remove (self->expanded, number);
  row = g_hash_table_lookup (self->bound_rows, number);
  if (row != NULL)
    troupe_message_row_set_expanded (row, expanded);
}

/* Following the newest message, as the output view follows its end. */
static void
on_jump_clicked (TroupeMessagesView *self)
{
  troupe_tail_follower_follow (self->follower);
}

static gboolean
on_count_soon (gpointer user_data)
{
  TroupeMessagesView *self = user_data;

  self->count_soon = 0;
  update_count (self);
  return G_SOURCE_REMOVE;
}

static void
on_items_changed (TroupeMessagesView *self)
{
  update_empty (self);
  troupe_tail_follower_catch_up (self->follower);
  /* A message just sent is counted with it, without waiting for the clock;
   * a flood is counted a few times a second, not every frame. */
  if (self->count_soon == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->count_soon = g_timeout_add (250, on_count_soon, self);
}

/* Filters: text, direction, and Node's own messages. */

static void
on_filter_changed (TroupeMessagesView *self)
{
  static const TroupeMessageFilterDirection directions[] = {
    TROUPE_MESSAGE_FILTER_BOTH_WAYS, TROUPE_MESSAGE_FILTER_TO_CHILD,
    TROUPE_MESSAGE_FILTER_FROM_CHILD,
  };
  guint selected = gtk_drop_down_get_selected (self->direction_dropdown);

  if (self->messages == NULL)
    return;
  troupe_message_model_set_text (self->messages,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  troupe_message_model_set_direction (self->messages,
                                      selected < G_N_ELEMENTS (directions)
                                        ? directions[selected]
                                        : TROUPE_MESSAGE_FILTER_BOTH_WAYS);
  troupe_message_model_set_show_internal (self->messages,
                                          gtk_check_button_get_active (self->internal_check));
  update_count (self);
  update_empty (self);
}

static void
troupe_messages_view_map (GtkWidget *widget)
{
  TroupeMessagesView *self = TROUPE_MESSAGES_VIEW (widget);

  GTK_WIDGET_CLASS (troupe_messages_view_parent_class)->map (widget);

  /* Counted only while someone can see it. */
  on_clock (self);
  if (self->clock == 0)
    self->clock = g_timeout_add_seconds (1, on_clock, self);
}

static void
troupe_messages_view_unmap (GtkWidget *widget)
{
  TroupeMessagesView *self = TROUPE_MESSAGES_VIEW (widget);

  g_clear_handle_id (&self->clock, g_source_remove);
  g_clear_handle_id (&self->count_soon, g_source_remove);

  GTK_WIDGET_CLASS (troupe_messages_view_parent_class)->unmap (widget);
}

static void
troupe_messages_view_dispose (GObject *object)
{
  TroupeMessagesView *self = (TroupeMessagesView *) object;

  troupe_messages_view_set_process (self, NULL);
  troupe_messages_view_set_worker (self, NULL);
  g_clear_handle_id (&self->clock, g_source_remove);
  g_clear_handle_id (&self->count_soon, g_source_remove);
  if (self->follower != NULL)
    troupe_tail_follower_detach (self->follower);
  g_clear_object (&self->follower);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_MESSAGES_VIEW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_messages_view_parent_class)->dispose (object);
}

static void
troupe_messages_view_finalize (GObject *object)
{
  TroupeMessagesView *self = (TroupeMessagesView *) object;

  g_hash_table_unref (self->expanded);
  g_hash_table_unref (self->bound_rows);

  G_OBJECT_CLASS (troupe_messages_view_parent_class)->finalize (object);
}

static void
troupe_messages_view_class_init (TroupeMessagesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_messages_view_dispose;
  object_class->finalize = troupe_messages_view_finalize;
  widget_class->map = troupe_messages_view_map;
  widget_class->unmap = troupe_messages_view_unmap;

  g_type_ensure (TROUPE_TYPE_MESSAGE_COMPOSER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-messages-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, direction_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, internal_check);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, connection_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, message_scroller);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, message_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessagesView, composer);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_jump_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
troupe_messages_view_init (TroupeMessagesView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->expanded = g_hash_table_new (NULL, NULL);
  self->bound_rows = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->message_view, factory);
  g_object_unref (factory);

  self->follower = troupe_tail_follower_new (self->message_view, GTK_WIDGET (self->jump_button));
  update_empty (self);
}

GtkWidget *
troupe_messages_view_new (void)
{
  return g_object_new (TROUPE_TYPE_MESSAGES_VIEW, NULL);
}

/**
 * troupe_messages_view_get_process:
 *
 * Returns: (transfer none) (nullable): the job whose messages are shown
 */
TroupeProcess *
troupe_messages_view_get_process (TroupeMessagesView *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGES_VIEW (self), NULL);
  return self->process;
}

/* The direction filter names the other end: a child, or a worker. */
static void
name_other_end (TroupeMessagesView *self,
                gboolean            worker)
{
  GListModel *model = gtk_drop_down_get_model (self->direction_dropdown);
  const char *names[] = {
    _("Both Ways"),
    worker ? _("To Worker") : _("To Child"),
    worker ? _("From Worker") : _("From Child"),
    NULL,
  };
  guint selected = gtk_drop_down_get_selected (self->direction_dropdown);

  gtk_string_list_splice (GTK_STRING_LIST (model), 0, g_list_model_get_n_items (model), names);
  gtk_drop_down_set_selected (self->direction_dropdown, selected);
}

static void
on_worker_state (TroupeMessagesView *self)
{
  update_connection (self);
  update_empty (self);
}

/* Shows the messages of @process or of @worker (one of them, or neither). */
static void
show_source (TroupeMessagesView *self,
             TroupeProcess      *process,
             TroupeWorker       *worker)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  TroupeMessageLog *log = NULL;

  if (self->channel != NULL)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_data (self->messages, self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->channel);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->worker_queued_at, g_date_time_unref);
  g_hash_table_remove_all (self->expanded);
  g_set_object (&self->process, process);
  g_set_object (&self->worker, worker);

  if (process != NULL)
    log = troupe_process_get_messages (process);
  else if (worker != NULL)
    {
      gint64 queued_at = troupe_worker_get_queued_at (worker);
      /* Message times are monotonic: line the two clocks up once. */
      g_autoptr(GDateTime) second = g_date_time_new_from_unix_local (queued_at / G_USEC_PER_SEC);

      self->worker_queued_at = g_date_time_add (second, queued_at % G_USEC_PER_SEC);
      self->worker_queue_time = g_get_monotonic_time () - (g_get_real_time () - queued_at);
      log = troupe_worker_get_messages (worker);
      g_signal_connect_swapped (worker, "notify::state", G_CALLBACK (on_worker_state), self);
    }
  if (log != NULL)
    {
      self->messages = troupe_message_model_new (log);
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->messages)));
      g_signal_connect_object (self->messages, "items-changed", G_CALLBACK (on_items_changed),
                               self, G_CONNECT_SWAPPED);
    }
  if (process != NULL && log != NULL)
    {
      self->channel = g_object_ref (troupe_process_get_channel (process));
      g_signal_connect_swapped (self->channel, "notify::connected",
                                G_CALLBACK (update_connection), self);
      g_signal_connect_swapped (self->channel, "notify::queued-bytes",
                                G_CALLBACK (update_connection), self);
    }
  /* During dispose the template is gone already. */
  if (self->message_view == NULL)
    return;

  gtk_list_view_set_model (self->message_view, GTK_SELECTION_MODEL (selection));
  if (worker != NULL)
    troupe_message_composer_set_worker (self->composer, worker);
  else
    troupe_message_composer_set_channel (self->composer, self->channel);
  gtk_widget_set_visible (GTK_WIDGET (self->composer),
                          worker == NULL ||
                            troupe_worker_kind_accepts_messages (troupe_worker_get_kind (worker)));
  /* Workers have no Node of their own to hide. */
  gtk_widget_set_visible (GTK_WIDGET (self->internal_check), worker == NULL);
  name_other_end (self, worker != NULL);

  /* A new job starts unfiltered, as the output view does. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->direction_dropdown, 0);
  gtk_check_button_set_active (self->internal_check, TRUE);
  on_filter_changed (self);

  troupe_tail_follower_follow (self->follower);
  update_count (self);
  update_connection (self);
  update_empty (self);
}

/**
 * troupe_messages_view_set_process:
 * @process: (nullable): the job whose messages to show: a fork, or a job
 *   without a channel, for which there is nothing to show
 *
 * Shows @process's messages, all of them, from the newest; the history of
 * sent messages stays.
 */
void
troupe_messages_view_set_process (TroupeMessagesView *self,
                                  TroupeProcess      *process)
{
  g_return_if_fail (TROUPE_IS_MESSAGES_VIEW (self));
  g_return_if_fail (process == NULL || TROUPE_IS_PROCESS (process));

  if (self->process == process && (process != NULL || self->worker == NULL))
    return;
  show_source (self, process, NULL);
}

/**
 * troupe_messages_view_get_worker:
 *
 * Returns: (transfer none) (nullable): the thread worker whose messages are shown
 */
TroupeWorker *
troupe_messages_view_get_worker (TroupeMessagesView *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGES_VIEW (self), NULL);
  return self->worker;
}

/**
 * troupe_messages_view_set_worker:
 * @worker: (nullable): the thread worker whose messages to show
 *
 * Shows @worker's messages both ways, as a fork's are shown, and offers to
 * send it more if its kind takes messages.
 */
void
troupe_messages_view_set_worker (TroupeMessagesView *self,
                                 TroupeWorker       *worker)
{
  g_return_if_fail (TROUPE_IS_MESSAGES_VIEW (self));
  g_return_if_fail (worker == NULL || TROUPE_IS_WORKER (worker));

  if (self->worker == worker && (worker != NULL || self->process == NULL))
    return;
  show_source (self, NULL, worker);
}

/**
 * troupe_messages_view_get_composer:
 *
 * Returns: (transfer none): the box where messages to send are written
 */
TroupeMessageComposer *
troupe_messages_view_get_composer (TroupeMessagesView *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGES_VIEW (self), NULL);
  return self->composer;
}

/**
 * troupe_messages_view_get_following:
 *
 * Returns: whether the list keeps to the newest message as messages come
 */
gboolean
troupe_messages_view_get_following (TroupeMessagesView *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGES_VIEW (self), FALSE);
  return troupe_tail_follower_get_following (self->follower);
}

/**
 * troupe_messages_view_get_n_shown:
 *
 * Returns: how many messages the list has, filtered
 */
guint
troupe_messages_view_get_n_shown (TroupeMessagesView *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGES_VIEW (self), 0);
  return self->messages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->messages)) : 0;
}

/**
 * troupe_messages_view_start_search:
 *
 * Puts the focus in the text filter.
 */
void
troupe_messages_view_start_search (TroupeMessagesView *self)
{
  g_return_if_fail (TROUPE_IS_MESSAGES_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
