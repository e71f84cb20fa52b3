/* troupe-line-model.c: a run's lines as a list model, for a virtualized view
 *
 * Items are made on demand from the log's index, so the model costs nothing per
 * line. New lines are announced in batches, at most one items-changed every
 * 16 ms, however fast the child prints: a view redraws per frame, not per line.
 * The model can show all lines or one stream's, and can be cleared: cleared
 * lines stay in the log (and its spool) but are no longer shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-line-model.h"

#define BATCH_INTERVAL_MS 16

struct _TroupeLineModel
{
  GObject      parent_instance;

  TroupeLog   *log;
  TroupeLines  lines;
  guint        first_line;     /* lines before this one (among all) are cleared */
  guint        base_position;  /* the first shown line's position among `lines` */
  guint        n_shown;
  guint        batch_source;
};

enum {
  PROP_0,
  PROP_LINES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TroupeLineModel, troupe_line_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
troupe_line_model_get_item_type (GListModel *model)
{
  return TROUPE_TYPE_LINE;
}

static guint
troupe_line_model_get_n_items (GListModel *model)
{
  return TROUPE_LINE_MODEL (model)->n_shown;
}

static gpointer
troupe_line_model_get_item (GListModel *model,
                            guint       position)
{
  TroupeLineModel *self = TROUPE_LINE_MODEL (model);

  if (position >= self->n_shown)
    return NULL;
  return troupe_line_new (self->log, self->lines, self->base_position + position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = troupe_line_model_get_item_type;
  iface->get_n_items = troupe_line_model_get_n_items;
  iface->get_item = troupe_line_model_get_item;
}

/* The position, among `lines`, of the first line at or after first_line. */
static guint
find_base_position (TroupeLineModel *self)
{
  guint low = 0;
  guint high;

  if (self->lines == TROUPE_LINES_ALL)
    return self->first_line;

  /* A stream's lines are in order of their place among all: binary search. */
  high = troupe_log_get_n_lines (self->log, self->lines);
  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      TroupeLineInfo info;

      troupe_log_get_line_info (self->log, self->lines, middle, &info);
      if (info.line < self->first_line)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static guint
count_available (TroupeLineModel *self)
{
  return troupe_log_get_n_lines (self->log, self->lines) - self->base_position;
}

/**
 * troupe_line_model_flush:
 *
 * Announces the lines added since the last batch now, rather than at the
 * next batch.
 */
void
troupe_line_model_flush (TroupeLineModel *self)
{
  guint available;

  g_return_if_fail (TROUPE_IS_LINE_MODEL (self));

  g_clear_handle_id (&self->batch_source, g_source_remove);
  available = count_available (self);
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
  TroupeLineModel *self = user_data;

  self->batch_source = 0;
  troupe_line_model_flush (self);
  return G_SOURCE_REMOVE;
}

static void
on_lines_added (TroupeLog       *log,
                guint            position,
                guint            n_added,
                TroupeLineModel *self)
{
  if (self->batch_source == 0)
    self->batch_source = g_timeout_add (BATCH_INTERVAL_MS, on_batch, self);
}

static void
troupe_line_model_dispose (GObject *object)
{
  TroupeLineModel *self = (TroupeLineModel *) object;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (troupe_line_model_parent_class)->dispose (object);
}

static void
troupe_line_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TroupeLineModel *self = TROUPE_LINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_LINES:
      g_value_set_int (value, self->lines);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_line_model_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TroupeLineModel *self = TROUPE_LINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_LINES:
      troupe_line_model_set_lines (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_line_model_class_init (TroupeLineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_line_model_dispose;
  object_class->get_property = troupe_line_model_get_property;
  object_class->set_property = troupe_line_model_set_property;

  /**
   * TroupeLineModel:lines:
   *
   * Which lines are shown: a #TroupeLines, all (-1) or one stream's.
   */
  properties[PROP_LINES] =
    g_param_spec_int ("lines", NULL, NULL, TROUPE_LINES_ALL, TROUPE_LINES_STDERR,
                      TROUPE_LINES_ALL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
troupe_line_model_init (TroupeLineModel *self)
{
  self->lines = TROUPE_LINES_ALL;
}

/**
 * troupe_line_model_new:
 * @log: the run's log
 *
 * Returns: (transfer full): all of @log's lines, as they come
 */
TroupeLineModel *
troupe_line_model_new (TroupeLog *log)
{
  TroupeLineModel *self;

  g_return_val_if_fail (TROUPE_IS_LOG (log), NULL);

  self = g_object_new (TROUPE_TYPE_LINE_MODEL, NULL);
  self->log = g_object_ref (log);
  self->n_shown = count_available (self);
  g_signal_connect (log, "lines-added", G_CALLBACK (on_lines_added), self);
  return self;
}

/**
 * troupe_line_model_get_log:
 *
 * Returns: (transfer none): the log shown
 */
TroupeLog *
troupe_line_model_get_log (TroupeLineModel *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE_MODEL (self), NULL);
  return self->log;
}

TroupeLines
troupe_line_model_get_lines (TroupeLineModel *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE_MODEL (self), TROUPE_LINES_ALL);
  return self->lines;
}

static void
reset (TroupeLineModel *self)
{
  guint old = self->n_shown;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  self->base_position = find_base_position (self);
  self->n_shown = count_available (self);
  if (old > 0 || self->n_shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_shown);
}

/**
 * troupe_line_model_set_lines:
 * @lines: all lines, or one stream's
 */
void
troupe_line_model_set_lines (TroupeLineModel *self,
                             TroupeLines      lines)
{
  g_return_if_fail (TROUPE_IS_LINE_MODEL (self));
  g_return_if_fail (lines >= TROUPE_LINES_ALL && lines <= TROUPE_LINES_STDERR);

  if (self->lines == lines)
    return;
  self->lines = lines;
  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINES]);
}

/**
 * troupe_line_model_clear:
 *
 * Hides every line so far; new lines still appear. The log keeps them all.
 */
void
troupe_line_model_clear (TroupeLineModel *self)
{
  g_return_if_fail (TROUPE_IS_LINE_MODEL (self));

  self->first_line = troupe_log_get_n_lines (self->log, TROUPE_LINES_ALL);
  reset (self);
}

/**
 * troupe_line_model_find_position:
 * @line: a line number among all lines
 *
 * Returns: where @line is in this model, or %G_MAXUINT if it is not shown
 *   (cleared, of the other stream, or not announced yet)
 */
guint
troupe_line_model_find_position (TroupeLineModel *self,
                                 guint            line)
{
  TroupeLineInfo info;
  guint low;
  guint high;

  g_return_val_if_fail (TROUPE_IS_LINE_MODEL (self), G_MAXUINT);

  if (line < self->first_line)
    return G_MAXUINT;
  if (self->lines == TROUPE_LINES_ALL)
    return line - self->first_line < self->n_shown ? line - self->first_line : G_MAXUINT;

  low = self->base_position;
  high = self->base_position + self->n_shown;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      troupe_log_get_line_info (self->log, self->lines, middle, &info);
      if (info.line < line)
        low = middle + 1;
      else
        high = middle;
    }
  if (low < self->base_position + self->n_shown &&
      troupe_log_get_line_info (self->log, self->lines, low, &info) && info.line == line)
    return low - self->base_position;
  return G_MAXUINT;
}
