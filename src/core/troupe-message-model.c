/* troupe-message-model.c: a fork's messages as a list model, filtered, for a virtualized view
 *
 * Items are made on demand from the log. Unfiltered, the model is the log
 * itself; filtered (by text, by direction, without Node's own messages), it
 * keeps the numbers of the messages that match. Either way new messages are
 * announced in batches, at most one items-changed every 16 ms, and a new
 * filter is applied to a long log in slices of a few milliseconds, so that a
 * million messages never hold up the window: matches appear as they are found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-message-model.h"

#define BATCH_INTERVAL_MS 16
#define SLICE_USEC        4000

struct _TroupeMessageModel
{
  GObject                       parent_instance;

  TroupeMessageLog             *log;
  char                         *needle;
  TroupeMessageFilterDirection  direction;
  gboolean                      show_internal;

  /* Log entries before `scanned` have been looked at; with a filter, the
   * numbers of those that match are in `matches`. */
  guint                         scanned;
  GArray                       *matches;
  guint                         n_shown;
  guint                         batch_source;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TroupeMessageModel, troupe_message_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
troupe_message_model_get_item_type (GListModel *model)
{
  return TROUPE_TYPE_MESSAGE;
}

static guint
troupe_message_model_get_n_items (GListModel *model)
{
  return TROUPE_MESSAGE_MODEL (model)->n_shown;
}

static gpointer
troupe_message_model_get_item (GListModel *model,
                               guint       position)
{
  TroupeMessageModel *self = TROUPE_MESSAGE_MODEL (model);
  guint number;

  if (position >= self->n_shown)
    return NULL;
  number = troupe_message_model_is_filtering (self)
             ? g_array_index (self->matches, guint, position)
             : position;
  return troupe_message_log_get_message (self->log, number);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = troupe_message_model_get_item_type;
  iface->get_n_items = troupe_message_model_get_n_items;
  iface->get_item = troupe_message_model_get_item;
}

static gboolean
matches (TroupeMessageModel *self,
         guint               number)
{
  TroupeMessageDirection direction = troupe_message_log_get_direction (self->log, number);

  if (!self->show_internal &&
      troupe_message_log_get_kind (self->log, number) == TROUPE_MESSAGE_INTERNAL)
    return FALSE;
  if (self->direction == TROUPE_MESSAGE_FILTER_TO_CHILD && direction != TROUPE_MESSAGE_TO_CHILD)
    return FALSE;
  if (self->direction == TROUPE_MESSAGE_FILTER_FROM_CHILD &&
      direction != TROUPE_MESSAGE_FROM_CHILD)
    return FALSE;
  return self->needle == NULL || troupe_message_log_contains (self->log, number, self->needle);
}

/* Looks at new log entries, for a few milliseconds at most. Returns TRUE when
 * it has caught up with the log. */
static gboolean
scan (TroupeMessageModel *self)
{
  guint n = troupe_message_log_get_n_messages (self->log);
  gint64 deadline = g_get_monotonic_time () + SLICE_USEC;

  if (!troupe_message_model_is_filtering (self))
    {
      self->scanned = n;
      return TRUE;
    }
  while (self->scanned < n)
    {
      if (matches (self, self->scanned))
        g_array_append_val (self->matches, self->scanned);
      self->scanned++;
      if ((self->scanned & 1023) == 0 && g_get_monotonic_time () > deadline)
        return FALSE;
    }
  return TRUE;
}

static void schedule (TroupeMessageModel *self,
                      gboolean            at_once);

static void
announce (TroupeMessageModel *self)
{
  guint available = troupe_message_model_is_filtering (self) ? self->matches->len
                                                              : self->scanned;

  if (available > self->n_shown)
    {
      guint old = self->n_shown;

      self->n_shown = available;
      g_list_model_items_changed (G_LIST_MODEL (self), old, 0, available - old);
    }
}

static gboolean
on_batch (gpointer user_data)
{
  TroupeMessageModel *self = user_data;
  gboolean caught_up;

  self->batch_source = 0;
  caught_up = scan (self);
  announce (self);
  if (!caught_up)
    schedule (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule (TroupeMessageModel *self,
          gboolean            at_once)
{
  if (self->batch_source != 0)
    return;
  if (at_once)
    self->batch_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_batch, self, NULL);
  else
    self->batch_source = g_timeout_add (BATCH_INTERVAL_MS, on_batch, self);
}

static void
on_added (TroupeMessageLog   *log,
          guint               number,
          TroupeMessageModel *self)
{
  schedule (self, FALSE);
}

/* The filter changed: everything is looked at again, from the start. */
static void
refilter (TroupeMessageModel *self)
{
  guint old = self->n_shown;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  self->scanned = 0;
  self->n_shown = 0;
  g_array_set_size (self->matches, 0);
  if (old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
  if (!scan (self))
    schedule (self, TRUE);
  announce (self);
}

static void
troupe_message_model_dispose (GObject *object)
{
  TroupeMessageModel *self = (TroupeMessageModel *) object;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (troupe_message_model_parent_class)->dispose (object);
}

static void
troupe_message_model_finalize (GObject *object)
{
  TroupeMessageModel *self = (TroupeMessageModel *) object;

  g_free (self->needle);
  g_array_unref (self->matches);

  G_OBJECT_CLASS (troupe_message_model_parent_class)->finalize (object);
}

static void
troupe_message_model_class_init (TroupeMessageModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_message_model_dispose;
  object_class->finalize = troupe_message_model_finalize;
}

static void
troupe_message_model_init (TroupeMessageModel *self)
{
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
  self->show_internal = TRUE;
}

/**
 * troupe_message_model_new:
 * @log: the messages
 *
 * Returns: (transfer full): a model of all of them, in order
 */
TroupeMessageModel *
troupe_message_model_new (TroupeMessageLog *log)
{
  TroupeMessageModel *self;

  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (log), NULL);

  self = g_object_new (TROUPE_TYPE_MESSAGE_MODEL, NULL);
  self->log = g_object_ref (log);
  g_signal_connect (log, "added", G_CALLBACK (on_added), self);
  self->scanned = self->n_shown = troupe_message_log_get_n_messages (log);
  return self;
}

TroupeMessageLog *
troupe_message_model_get_log (TroupeMessageModel *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_MODEL (self), NULL);
  return self->log;
}

/**
 * troupe_message_model_set_text:
 * @needle: (nullable): show only messages with this text (ASCII letters in
 *   either case); %NULL or "" for all
 */
void
troupe_message_model_set_text (TroupeMessageModel *self,
                               const char         *needle)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_MODEL (self));

  if (needle != NULL && needle[0] == '\0')
    needle = NULL;
  if (g_strcmp0 (self->needle, needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_strdup (needle);
  refilter (self);
}

void
troupe_message_model_set_direction (TroupeMessageModel           *self,
                                    TroupeMessageFilterDirection  direction)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_MODEL (self));

  if (self->direction == direction)
    return;
  self->direction = direction;
  refilter (self);
}

/**
 * troupe_message_model_set_show_internal:
 * @show: whether Node's own messages (`{"cmd":"NODE_…"}`) are shown
 */
void
troupe_message_model_set_show_internal (TroupeMessageModel *self,
                                        gboolean            show)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_MODEL (self));

  if (self->show_internal == !!show)
    return;
  self->show_internal = !!show;
  refilter (self);
}

/**
 * troupe_message_model_is_filtering:
 *
 * Returns: %TRUE if some messages may be left out
 */
gboolean
troupe_message_model_is_filtering (TroupeMessageModel *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_MODEL (self), FALSE);
  return self->needle != NULL || self->direction != TROUPE_MESSAGE_FILTER_BOTH_WAYS ||
         !self->show_internal;
}

/**
 * troupe_message_model_flush:
 *
 * Announces now what has come since the last batch, and applies the filter
 * to the whole log, rather than slice by slice.
 */
void
troupe_message_model_flush (TroupeMessageModel *self)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_MODEL (self));

  g_clear_handle_id (&self->batch_source, g_source_remove);
  while (!scan (self))
    ;
  announce (self);
}
