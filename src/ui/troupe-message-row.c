/* troupe-message-row.c: one message of a fork's channel, as a row of the inspector
 *
 * A row shows which way the message went, when (the wall clock, to the
 * millisecond), its size and a one-line preview. Node's own messages carry a
 * tag; a line that was not a message says what was wrong with it, in the error
 * colour, over its bytes shown escaped. Expanded, the row adds the message
 * indented, as selectable text. Rows are recycled by the list: everything here
 * is set again for each message bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-message-row.h"

/* A preview longer than a wide window is never seen whole anyway. */
#define PREVIEW_CHARS        300
/* Indenting means parsing the whole message: past this it is shown as sent. */
#define MAX_PRETTY_SIZE      (1024 * 1024)
/* A label this long is already more than anyone scrolls through in a row. */
#define MAX_SHOWN_CHARS      65536

struct _TroupeMessageRow
{
  GtkWidget      parent_instance;

  TroupeMessage *message;
  gboolean       expanded;
  gboolean       peer_is_worker;

  GtkImage      *direction_icon;
  GtkLabel      *time_label;
  GtkLabel      *size_label;
  GtkLabel      *tag_label;
  GtkLabel      *summary_label;
  GtkImage      *expander_icon;
  GtkLabel      *bytes_label;
  GtkLabel      *pretty_label;
};

G_DEFINE_FINAL_TYPE (TroupeMessageRow, troupe_message_row, GTK_TYPE_WIDGET)

/* Sizes as the rest of GNOME writes them, but "42 B" rather than "42 bytes",
 * so that the column stays narrow. */
static char *
format_size (gsize size)
{
  if (size < 1000)
    /* Translators: a message's size in bytes, in a narrow column */
    return g_strdup_printf (_("%u B"), (guint) size);
  return g_format_size (size);
}

static char *
format_time (GDateTime *started_at,
             gint64     start_time,
             gint64     message_time)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *seconds = NULL;

  if (started_at == NULL)
    return g_strdup ("—");
  /* The message's time is monotonic; the start is both, so the wall clock
   * time is the start's plus the offset, immune to clock changes meanwhile. */
  when = g_date_time_add (started_at, message_time - start_time);
  seconds = g_date_time_format (when, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", seconds, g_date_time_get_microsecond (when) / 1000);
}

/* The indented message, or for a very big one its start as sent, cut short
 * with a note of its whole size. */
static char *
dup_detail (TroupeMessage *message)
{
  gsize size = troupe_message_get_size (message);
  g_autofree char *text = NULL;
  g_autofree char *whole = NULL;
  GString *detail;
  const char *cut;

  if (size > MAX_PRETTY_SIZE)
    text = troupe_message_dup_preview (message, MAX_SHOWN_CHARS);
  else
    text = troupe_message_dup_pretty (message);
  if (g_utf8_strlen (text, -1) <= MAX_SHOWN_CHARS && size <= MAX_PRETTY_SIZE)
    return g_steal_pointer (&text);

  cut = g_utf8_offset_to_pointer (text, MIN (g_utf8_strlen (text, -1), MAX_SHOWN_CHARS));
  whole = g_format_size (size);
  detail = g_string_new_len (text, cut - text);
  g_string_append_c (detail, '\n');
  /* Translators: after the start of a long message; %s is its whole size */
  g_string_append_printf (detail, _("… cut here: the whole message is %s"), whole);
  return g_string_free (detail, FALSE);
}

static void
update_detail (TroupeMessageRow *self)
{
  gboolean shown = self->expanded && self->message != NULL;

  gtk_image_set_from_icon_name (self->expander_icon,
                                self->expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->pretty_label), shown);
  if (shown)
    {
      g_autofree char *detail = dup_detail (self->message);
      gtk_label_set_text (self->pretty_label, detail);
    }
  else
    gtk_label_set_text (self->pretty_label, "");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_EXPANDED, self->expanded,
                               -1);
}

static void
update (TroupeMessageRow *self,
        GDateTime        *started_at,
        gint64            start_time)
{
  TroupeMessage *message = self->message;
  gboolean to_child = troupe_message_get_direction (message) == TROUPE_MESSAGE_TO_CHILD;
  TroupeMessageKind kind = troupe_message_get_kind (message);
  const char *direction = self->peer_is_worker ? (to_child ? _("To worker") : _("From worker"))
                                               : (to_child ? _("To child") : _("From child"));
  g_autofree char *time = format_time (started_at, start_time, troupe_message_get_time (message));
  g_autofree char *size = format_size (troupe_message_get_size (message));
  g_autofree char *preview = troupe_message_dup_preview (message, PREVIEW_CHARS);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_image_set_from_icon_name (self->direction_icon,
                                to_child ? "network-transmit-symbolic"
                                         : "network-receive-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->direction_icon), direction);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->direction_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, direction,
                                  -1);
  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->size_label, size);

  gtk_widget_remove_css_class (widget, "to-child");
  gtk_widget_remove_css_class (widget, "from-child");
  gtk_widget_remove_css_class (widget, "internal");
  gtk_widget_remove_css_class (widget, "protocol-error");
  gtk_widget_add_css_class (widget, to_child ? "to-child" : "from-child");

  switch (kind)
    {
    case TROUPE_MESSAGE_PROTOCOL_ERROR:
      gtk_widget_add_css_class (widget, "protocol-error");
      /* Translators: the tag of a line from a child that was not a message */
      gtk_label_set_text (self->tag_label, _("Error"));
      gtk_label_set_text (self->summary_label, troupe_message_get_problem (message));
      gtk_label_set_text (self->bytes_label, preview);
      break;

    case TROUPE_MESSAGE_INTERNAL:
      gtk_widget_add_css_class (widget, "internal");
      /* Translators: the tag of Node's own messages ({"cmd": "NODE_…"}) */
      gtk_label_set_text (self->tag_label, _("Node"));
      gtk_label_set_text (self->summary_label, preview);
      gtk_label_set_text (self->bytes_label, "");
      break;

    case TROUPE_MESSAGE_USER:
    default:
      gtk_label_set_text (self->tag_label, "");
      gtk_label_set_text (self->summary_label, preview);
      gtk_label_set_text (self->bytes_label, "");
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tag_label), kind != TROUPE_MESSAGE_USER);
  gtk_widget_set_visible (GTK_WIDGET (self->bytes_label), kind == TROUPE_MESSAGE_PROTOCOL_ERROR);
  if (kind == TROUPE_MESSAGE_PROTOCOL_ERROR)
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "monospace");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "monospace");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, direction,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->summary_label),
                                  -1);
}

static void
troupe_message_row_dispose (GObject *object)
{
  TroupeMessageRow *self = (TroupeMessageRow *) object;

  g_clear_object (&self->message);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_MESSAGE_ROW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_message_row_parent_class)->dispose (object);
}

static void
troupe_message_row_class_init (TroupeMessageRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_message_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, size_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, tag_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, expander_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, bytes_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMessageRow, pretty_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
troupe_message_row_init (TroupeMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
troupe_message_row_new (void)
{
  return g_object_new (TROUPE_TYPE_MESSAGE_ROW, NULL);
}

/**
 * troupe_message_row_get_message:
 *
 * Returns: (transfer none) (nullable): the message shown
 */
TroupeMessage *
troupe_message_row_get_message (TroupeMessageRow *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}

/**
 * troupe_message_row_set_message:
 * @message: (nullable): the message to show
 * @started_at: (nullable): when the job started, by the wall clock
 * @start_time: when the job started, by the monotonic clock
 *
 * Shows @message, collapsed.
 */
void
troupe_message_row_set_message (TroupeMessageRow *self,
                                TroupeMessage    *message,
                                GDateTime        *started_at,
                                gint64            start_time)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_ROW (self));
  g_return_if_fail (message == NULL || TROUPE_IS_MESSAGE (message));

  g_set_object (&self->message, message);
  self->expanded = FALSE;
  if (message != NULL)
    update (self, started_at, start_time);
  update_detail (self);
}

/**
 * troupe_message_row_set_peer_is_worker:
 * @peer_is_worker: whether the other side is a thread worker, not a child
 *
 * Names the direction for people; takes effect with the next message set.
 */
void
troupe_message_row_set_peer_is_worker (TroupeMessageRow *self,
                                       gboolean          peer_is_worker)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_ROW (self));
  self->peer_is_worker = !!peer_is_worker;
}

gboolean
troupe_message_row_get_expanded (TroupeMessageRow *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_ROW (self), FALSE);
  return self->expanded;
}

/**
 * troupe_message_row_set_expanded:
 * @expanded: whether to show the whole message, indented
 */
void
troupe_message_row_set_expanded (TroupeMessageRow *self,
                                 gboolean          expanded)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_ROW (self));

  if (self->expanded == !!expanded)
    return;
  self->expanded = !!expanded;
  update_detail (self);
}
