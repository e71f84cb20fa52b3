/* troupe-usage-graph.c: CPU or memory over time, one line per series, with axes and a readout
 *
 * The graph shows the last minute (its span) of one or more sample rings that
 * the sampler fills: a job's totals, one process, or one line per cluster
 * member. The right edge is the newest sample, so the graph stands still
 * between samples and moves one step per sample, as GNOME System Monitor's do.
 * The vertical scale grows to the nearest round value above what is shown
 * (100% of one core at least for CPU), so a line near the top is near the
 * label there. Hovering shows a marker at the nearest sample and a readout of
 * its time and every series' value. The drawing is in
 * troupe-usage-graph-draw.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "troupe-usage-graph-private.h"

enum
{
  PROP_0,
  PROP_METRIC,
  PROP_SPAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (TroupeUsageMetric, troupe_usage_metric,
                    G_DEFINE_ENUM_VALUE (TROUPE_USAGE_METRIC_CPU, "cpu"),
                    G_DEFINE_ENUM_VALUE (TROUPE_USAGE_METRIC_MEMORY, "memory"))

G_DEFINE_FINAL_TYPE (TroupeUsageGraph, troupe_usage_graph, GTK_TYPE_WIDGET)

/* GNOME's palette, a light and a dark shade of each: blue, green, orange,
 * purple, red, yellow, brown. Lines one after another stay told apart. */
static const guint32 palette[][2] = {
  { 0x3584e4, 0x62a0ea },
  { 0x2ec27e, 0x57e389 },
  { 0xe66100, 0xffa348 },
  { 0x9141ac, 0xc061cb },
  { 0xe01b24, 0xf66151 },
  { 0xe5a50a, 0xf8e45c },
  { 0x865e3c, 0xcdab8f },
};

static void
series_free (gpointer data)
{
  Series *series = data;

  troupe_sample_ring_unref (series->ring);
  g_free (series->label);
  g_free (series);
}

/**
 * troupe_usage_graph_get_colour:
 * @colour_index: a series' colour, or %TROUPE_USAGE_GRAPH_METRIC_COLOUR
 * @dark: whether the style is dark
 * @colour: (out): the colour to draw it in
 *
 * The colour a series is drawn in, for legends and rows to match it.
 */
void
troupe_usage_graph_get_colour (guint              colour_index,
                               TroupeUsageMetric  metric,
                               gboolean           dark,
                               GdkRGBA           *colour)
{
  guint32 rgb;

  if (colour_index == TROUPE_USAGE_GRAPH_METRIC_COLOUR)
    colour_index = metric == TROUPE_USAGE_METRIC_CPU ? 0 : 3;
  rgb = palette[colour_index % G_N_ELEMENTS (palette)][dark ? 1 : 0];
  colour->red = ((rgb >> 16) & 0xff) / 255.0;
  colour->green = ((rgb >> 8) & 0xff) / 255.0;
  colour->blue = (rgb & 0xff) / 255.0;
  colour->alpha = 1.0;
}

double
_troupe_usage_graph_sample_value (TroupeUsageMetric   metric,
              const TroupeSample *sample)
{
  return metric == TROUPE_USAGE_METRIC_CPU ? sample->cpu : (double) sample->rss;
}

/**
 * troupe_usage_format_value:
 *
 * Returns: (transfer full): @value as a person reads it: "12.5%", "212.4 MB"
 */
char *
troupe_usage_format_value (TroupeUsageMetric metric,
                           double            value)
{
  if (metric == TROUPE_USAGE_METRIC_CPU)
    /* Translators: CPU use, in percent of one core */
    return g_strdup_printf (_("%.1f%%"), value);
  return g_format_size ((guint64) MAX (value, 0));
}

/* The first sample at or after @time. */
guint
_troupe_usage_graph_find_from (TroupeSampleRing *ring,
           gint64            time)
{
  guint low = 0;
  guint high = troupe_sample_ring_get_length (ring);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (troupe_sample_ring_get (ring, middle)->time < time)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* The sample nearest @time, or NULL when @time is outside the series. */
const TroupeSample *
_troupe_usage_graph_find_nearest (TroupeSampleRing *ring,
              gint64            time)
{
  guint length = troupe_sample_ring_get_length (ring);
  const TroupeSample *first, *last, *after, *before;
  guint index;

  if (length == 0)
    return NULL;
  first = troupe_sample_ring_get (ring, 0);
  last = troupe_sample_ring_get_latest (ring);
  if (time < first->time - G_USEC_PER_SEC / 2 || time > last->time + G_USEC_PER_SEC / 2)
    return NULL;
  index = _troupe_usage_graph_find_from (ring, time);
  if (index >= length)
    return last;
  after = troupe_sample_ring_get (ring, index);
  if (index == 0)
    return after;
  before = troupe_sample_ring_get (ring, index - 1);
  return time - before->time < after->time - time ? before : after;
}

/* The newest sample's time: the graph's right edge. */
gint64
_troupe_usage_graph_get_end_time (TroupeUsageGraph *self)
{
  gint64 end = G_MININT64;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const TroupeSample *latest = troupe_sample_ring_get_latest (series->ring);

      if (latest != NULL)
        end = MAX (end, latest->time);
    }
  return end;
}

gint64
_troupe_usage_graph_get_span_us (TroupeUsageGraph *self)
{
  return (gint64) self->span * G_USEC_PER_SEC;
}

static void
troupe_usage_graph_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (widget);
  /* Several series have a legend above the plot. */
  int legend = self->series->len > 1 ? 22 : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 180;
      *natural = 360;
    }
  else
    {
      *minimum = 110 + legend;
      *natural = 140 + legend;
    }
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TroupeUsageGraph         *self)
{
  troupe_usage_graph_hover_at (self, x);
}

static void
on_leave (GtkEventControllerMotion *controller,
          TroupeUsageGraph         *self)
{
  troupe_usage_graph_clear_hover (self);
}

static void
troupe_usage_graph_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_enum (value, self->metric);
      break;
    case PROP_SPAN:
      g_value_set_uint (value, self->span);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_usage_graph_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      troupe_usage_graph_set_metric (self, g_value_get_enum (value));
      break;
    case PROP_SPAN:
      troupe_usage_graph_set_span (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_usage_graph_finalize (GObject *object)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (object);

  g_ptr_array_unref (self->series);

  G_OBJECT_CLASS (troupe_usage_graph_parent_class)->finalize (object);
}

static void
troupe_usage_graph_class_init (TroupeUsageGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = troupe_usage_graph_get_property;
  object_class->set_property = troupe_usage_graph_set_property;
  object_class->finalize = troupe_usage_graph_finalize;
  widget_class->snapshot = _troupe_usage_graph_snapshot;
  widget_class->measure = troupe_usage_graph_measure;

  properties[PROP_METRIC] =
    g_param_spec_enum ("metric", NULL, NULL, TROUPE_TYPE_USAGE_METRIC, TROUPE_USAGE_METRIC_CPU,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPAN] =
    g_param_spec_uint ("span", NULL, NULL, 10, 600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "usagegraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
troupe_usage_graph_init (TroupeUsageGraph *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->span = 60;
  self->hover_x = -1;
  self->series = g_ptr_array_new_with_free_func (series_free);

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  /* The colours are chosen for light or dark when drawn. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

/**
 * troupe_usage_graph_new:
 * @metric: what the graph shows
 *
 * Returns: (transfer floating): a graph with no series yet
 */
GtkWidget *
troupe_usage_graph_new (TroupeUsageMetric metric)
{
  return g_object_new (TROUPE_TYPE_USAGE_GRAPH, "metric", metric, NULL);
}

TroupeUsageMetric
troupe_usage_graph_get_metric (TroupeUsageGraph *self)
{
  g_return_val_if_fail (TROUPE_IS_USAGE_GRAPH (self), TROUPE_USAGE_METRIC_CPU);
  return self->metric;
}

void
troupe_usage_graph_set_metric (TroupeUsageGraph  *self,
                               TroupeUsageMetric  metric)
{
  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  if (self->metric == metric)
    return;
  self->metric = metric;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

/**
 * troupe_usage_graph_get_span:
 *
 * Returns: how many seconds, back from the newest sample, the graph shows
 */
guint
troupe_usage_graph_get_span (TroupeUsageGraph *self)
{
  g_return_val_if_fail (TROUPE_IS_USAGE_GRAPH (self), 0);
  return self->span;
}

void
troupe_usage_graph_set_span (TroupeUsageGraph *self,
                             guint             seconds)
{
  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  seconds = CLAMP (seconds, 10, 600);
  if (self->span == seconds)
    return;
  self->span = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}

/**
 * troupe_usage_graph_add_series:
 * @ring: the samples to draw; the graph keeps a reference and draws what
 *   it holds each time it is drawn (queue a draw when it has new samples)
 * @label: what the series is, in the legend and the readout
 * @colour_index: its place in the palette, or %TROUPE_USAGE_GRAPH_METRIC_COLOUR
 */
void
troupe_usage_graph_add_series (TroupeUsageGraph *self,
                               TroupeSampleRing *ring,
                               const char       *label,
                               guint             colour_index)
{
  Series *series;

  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));
  g_return_if_fail (ring != NULL);

  series = g_new0 (Series, 1);
  series->ring = troupe_sample_ring_ref (ring);
  series->label = g_strdup (label != NULL ? label : "");
  series->colour_index = colour_index;
  g_ptr_array_add (self->series, series);
  if (self->series->len == 2)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
troupe_usage_graph_remove_all (TroupeUsageGraph *self)
{
  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  if (self->series->len == 0)
    return;
  if (self->series->len > 1)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  g_ptr_array_set_size (self->series, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * troupe_usage_graph_update:
 *
 * Draws the series' new samples, and tells their latest values to
 * assistive technologies. Call it when the rings have new samples.
 */
void
troupe_usage_graph_update (TroupeUsageGraph *self)
{
  g_autofree char *readout = NULL;

  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  readout = troupe_usage_graph_dup_readout (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  readout, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
troupe_usage_graph_get_n_series (TroupeUsageGraph *self)
{
  g_return_val_if_fail (TROUPE_IS_USAGE_GRAPH (self), 0);
  return self->series->len;
}

/**
 * troupe_usage_graph_get_n_points:
 *
 * Returns: how many samples the graph shows, over all its series
 */
guint
troupe_usage_graph_get_n_points (TroupeUsageGraph *self)
{
  gint64 end;
  guint n = 0;

  g_return_val_if_fail (TROUPE_IS_USAGE_GRAPH (self), 0);

  end = _troupe_usage_graph_get_end_time (self);
  if (end == G_MININT64)
    return 0;
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);

      guint from = _troupe_usage_graph_find_from (series->ring,
                                                  end - _troupe_usage_graph_get_span_us (self));

      n += troupe_sample_ring_get_length (series->ring) - from;
    }
  return n;
}

/**
 * troupe_usage_graph_hover_at:
 * @x: where the pointer is, in the graph's coordinates
 *
 * Shows the marker and readout for the sample nearest @x, as the pointer does.
 */
void
troupe_usage_graph_hover_at (TroupeUsageGraph *self,
                             double            x)
{
  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  self->hover_x = MAX (x, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
troupe_usage_graph_clear_hover (TroupeUsageGraph *self)
{
  g_return_if_fail (TROUPE_IS_USAGE_GRAPH (self));

  self->hover_x = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * troupe_usage_graph_dup_readout:
 *
 * Returns: (transfer full): each series' latest value, "Member 1: 12.5%, …",
 *   as assistive technologies and tests read the graph
 */
char *
troupe_usage_graph_dup_readout (TroupeUsageGraph *self)
{
  GString *readout = g_string_new (NULL);

  g_return_val_if_fail (TROUPE_IS_USAGE_GRAPH (self), NULL);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const TroupeSample *latest = troupe_sample_ring_get_latest (series->ring);
      g_autofree char *value = NULL;

      if (latest == NULL)
        continue;
      value = troupe_usage_format_value (self->metric,
                                         _troupe_usage_graph_sample_value (self->metric, latest));
      if (readout->len > 0)
        g_string_append (readout, ", ");
      /* Translators: a graph's series and its latest value */
      g_string_append_printf (readout, _("%s: %s"), series->label, value);
    }
  return g_string_free (readout, FALSE);
}
