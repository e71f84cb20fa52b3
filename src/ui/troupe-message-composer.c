/* troupe-message-composer.c: writing a message to a fork's child or a thread worker, and sending it
 *
 * What is typed is checked as it is typed, strictly, as the child's
 * JSON.parse() will read it: a Node child dies of a message it cannot parse,
 * so Send is only offered for a valid value, and what is wrong is said under
 * the editor, with where. A value may be typed over several lines; it is sent
 * on one. Sent messages are kept, newest first and each once, to be sent
 * again from a menu; the history stays when another job is shown, so a
 * message can be sent to several children. A thread worker takes messages
 * the same way, while it lives and if its kind accepts them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "troupe-json-text.h"
#include "troupe-message-composer.h"

/* How much of a sent message its menu item shows. */
#define HISTORY_LABEL_CHARS 60

struct _TroupeMessageComposer
{
  GtkWidget      parent_instance;

  TroupeChannel *channel;
  TroupeWorker  *worker;
  GPtrArray     *history;     /* compact texts, newest first, NULL-terminated */
  char          *send_error;  /* why the last send failed, until the text changes */

  GtkTextView   *editor;
  GtkLabel      *placeholder_label;
  GtkLabel      *status_label;
  GtkMenuButton *history_button;
  GtkButton     *disconnect_button;
  GtkButton     *send_button;
};

G_DEFINE_FINAL_TYPE (TroupeMessageComposer, troupe_message_composer, GTK_TYPE_WIDGET)

static char *
dup_text (TroupeMessageComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_connected (TroupeMessageComposer *self)
{
  if (self->worker != NULL)
    {
      TroupeWorkerState state = troupe_worker_get_state (self->worker);

      /* Not once asked to stop: it would never take the message. */
      return (state == TROUPE_WORKER_QUEUED || state == TROUPE_WORKER_RUNNING) &&
             troupe_worker_kind_accepts_messages (troupe_worker_get_kind (self->worker));
    }
  return self->channel != NULL && troupe_channel_is_connected (self->channel);
}

/* Why nothing can be sent now. */
static const char *
closed_reason (TroupeMessageComposer *self)
{
  if (self->worker != NULL)
    {
      if (!troupe_worker_kind_accepts_messages (troupe_worker_get_kind (self->worker)))
        return _("This kind of worker takes no messages");
      return troupe_worker_has_ended (self->worker)
               ? _("This worker has ended: nothing more can be sent to it")
               : _("This worker has been asked to stop: nothing more can be sent to it");
    }
  return self->channel == NULL
           ? _("This job has no message channel")
           : _("The channel is closed: nothing more can be sent to this child");
}

static void
set_status (TroupeMessageComposer *self,
            const char            *text,
            gboolean               is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->editor),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               is_error ? GTK_ACCESSIBLE_INVALID_TRUE
                                        : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* Checks the text, says what is wrong with it or how to send it, and offers
 * what can be done now. */
static void
update (TroupeMessageComposer *self)
{
  g_autofree char *text = dup_text (self);
  g_autoptr(GError) error = NULL;
  gboolean connected = is_connected (self);
  gboolean valid = troupe_json_text_check (text, strlen (text), NULL, &error);
  gboolean empty = g_error_matches (error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_EMPTY);

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), text[0] == '\0');

  if (!connected)
    set_status (self, closed_reason (self), FALSE);
  else if (self->send_error != NULL)
    set_status (self, self->send_error, TRUE);
  else if (!valid && !empty)
    set_status (self, error->message, TRUE);
  else
    set_status (self, _("Ctrl+Enter sends the message"), FALSE);

  gtk_text_view_set_editable (self->editor, connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor), connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send", connected && valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send-again",
                                 connected && self->history->len > 0);
  /* A worker has no channel to close: Terminate is on its page. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.disconnect",
                                 connected && self->worker == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->disconnect_button), self->worker == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button),
                            connected && self->history->len > 0);
}

/* A menu item's label: a popover menu reads "_" as a mnemonic, so it is doubled. */
static char *
history_label (const char *text)
{
  g_autofree char *excerpt = NULL;
  g_auto(GStrv) parts = NULL;

  if (g_utf8_strlen (text, -1) > HISTORY_LABEL_CHARS)
    {
      const char *cut = g_utf8_offset_to_pointer (text, HISTORY_LABEL_CHARS);
      excerpt = g_strdup_printf ("%.*s…", (int) (cut - text), text);
    }
  else
    excerpt = g_strdup (text);
  parts = g_strsplit (excerpt, "_", -1);
  return g_strjoinv ("__", parts);
}

static void
update_history_menu (TroupeMessageComposer *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (guint i = 0; i < self->history->len; i++)
    {
      const char *text = g_ptr_array_index (self->history, i);
      g_autofree char *label = history_label (text);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "composer.send-again",
                                               g_variant_new_string (text));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, _("Send Again"), G_MENU_MODEL (section));
  gtk_menu_button_set_menu_model (self->history_button, G_MENU_MODEL (menu));
}

/* Puts @text first in the history, once. */
static void
remember (TroupeMessageComposer *self,
          const char            *text)
{
  for (guint i = 0; i < self->history->len; i++)
    if (g_str_equal (g_ptr_array_index (self->history, i), text))
      {
        g_ptr_array_remove_index (self->history, i);
        break;
      }
  g_ptr_array_insert (self->history, 0, g_strdup (text));
  if (self->history->len > TROUPE_MESSAGE_COMPOSER_MAX_HISTORY)
    g_ptr_array_set_size (self->history, TROUPE_MESSAGE_COMPOSER_MAX_HISTORY);
  update_history_menu (self);
}

static gboolean
send_text (TroupeMessageComposer *self,
           const char            *text)
{
  g_autoptr(GString) compact = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->send_error, g_free);
  if (!is_connected (self))
    return FALSE;
  if (!troupe_json_text_check (text, strlen (text), compact, &error) ||
      (self->worker != NULL
         ? !troupe_worker_post_text (self->worker, compact->str, &error)
         : !troupe_channel_send_text (self->channel, compact->str, compact->len, &error)))
    {
      self->send_error = g_strdup (error->message);
      update (self);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }
  remember (self, compact->str);
  update (self);
  return TRUE;
}

static void
on_send (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TroupeMessageComposer *self = TROUPE_MESSAGE_COMPOSER (widget);
  g_autofree char *text = dup_text (self);

  /* The text stays, selected: sent again with Ctrl+Enter, changed a little,
   * or replaced by typing. */
  if (send_text (self, text))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_select_range (buffer, &start, &end);
    }
}

static void
on_send_again (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  send_text (TROUPE_MESSAGE_COMPOSER (widget), g_variant_get_string (parameter, NULL));
}

static void
on_disconnect (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TroupeMessageComposer *self = TROUPE_MESSAGE_COMPOSER (widget);

  if (is_connected (self))
    troupe_channel_disconnect (self->channel);
}

static void
on_text_changed (TroupeMessageComposer *self)
{
  g_clear_pointer (&self->send_error, g_free);
  update (self);
}

static void
troupe_message_composer_dispose (GObject *object)
{
  TroupeMessageComposer *self = (TroupeMessageComposer *) object;

  troupe_message_composer_set_channel (self, NULL);
  troupe_message_composer_set_worker (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_MESSAGE_COMPOSER);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_message_composer_parent_class)->dispose (object);
}

static void
troupe_message_composer_finalize (GObject *object)
{
  TroupeMessageComposer *self = (TroupeMessageComposer *) object;

  g_ptr_array_unref (self->history);
  g_free (self->send_error);

  G_OBJECT_CLASS (troupe_message_composer_parent_class)->finalize (object);
}

static void
troupe_message_composer_class_init (TroupeMessageComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_message_composer_dispose;
  object_class->finalize = troupe_message_composer_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/troupe/Troupe/troupe-message-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, editor);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, status_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, history_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, disconnect_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageComposer, send_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, on_send);
  gtk_widget_class_install_action (widget_class, "composer.send-again", "s", on_send_again);
  gtk_widget_class_install_action (widget_class, "composer.disconnect", NULL, on_disconnect);
}

static void
troupe_message_composer_init (TroupeMessageComposer *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutAction *send = gtk_named_action_new ("composer.send");

  self->history = g_ptr_array_new_null_terminated (TROUPE_MESSAGE_COMPOSER_MAX_HISTORY + 1,
                                                   g_free, TRUE);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ahead of the editor, which would take Ctrl+Enter as a new line. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                        gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                      send));
  gtk_widget_add_controller (GTK_WIDGET (self->editor), shortcuts);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->editor),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->status_label, NULL,
                                  -1);
  g_signal_connect_object (gtk_text_view_get_buffer (self->editor), "changed",
                           G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
  update_history_menu (self);
  update (self);
}

GtkWidget *
troupe_message_composer_new (void)
{
  return g_object_new (TROUPE_TYPE_MESSAGE_COMPOSER, NULL);
}

/**
 * troupe_message_composer_get_channel:
 *
 * Returns: (transfer none) (nullable): where messages are sent
 */
TroupeChannel *
troupe_message_composer_get_channel (TroupeMessageComposer *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_COMPOSER (self), NULL);
  return self->channel;
}

/**
 * troupe_message_composer_set_channel:
 * @channel: (nullable): where to send messages
 */
void
troupe_message_composer_set_channel (TroupeMessageComposer *self,
                                     TroupeChannel         *channel)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_COMPOSER (self));
  g_return_if_fail (channel == NULL || TROUPE_IS_CHANNEL (channel));

  if (self->channel == channel)
    return;
  if (channel != NULL)
    troupe_message_composer_set_worker (self, NULL);
  if (self->channel != NULL)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  g_set_object (&self->channel, channel);
  g_clear_pointer (&self->send_error, g_free);
  if (channel != NULL)
    g_signal_connect_swapped (channel, "notify::connected", G_CALLBACK (update), self);
  /* During dispose the template is gone already. */
  if (self->editor != NULL)
    update (self);
}

/**
 * troupe_message_composer_get_history:
 *
 * Returns: (transfer none): the messages sent, newest first, each once, as
 *   sent (on one line)
 */
const char * const *
troupe_message_composer_get_history (TroupeMessageComposer *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_COMPOSER (self), NULL);
  return (const char * const *) self->history->pdata;
}

/**
 * troupe_message_composer_get_worker:
 *
 * Returns: (transfer none) (nullable): the thread worker messages are posted to
 */
TroupeWorker *
troupe_message_composer_get_worker (TroupeMessageComposer *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_COMPOSER (self), NULL);
  return self->worker;
}

/**
 * troupe_message_composer_set_worker:
 * @worker: (nullable): a thread worker to post messages to, instead of a
 *   fork's channel
 */
void
troupe_message_composer_set_worker (TroupeMessageComposer *self,
                                    TroupeWorker          *worker)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_COMPOSER (self));
  g_return_if_fail (worker == NULL || TROUPE_IS_WORKER (worker));

  if (self->worker == worker)
    return;
  if (worker != NULL)
    troupe_message_composer_set_channel (self, NULL);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);
  g_clear_pointer (&self->send_error, g_free);
  if (worker != NULL)
    g_signal_connect_swapped (worker, "notify::state", G_CALLBACK (update), self);
  /* During dispose the template is gone already. */
  if (self->editor != NULL)
    update (self);
}
