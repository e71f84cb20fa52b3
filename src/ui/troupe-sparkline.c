/* troupe-sparkline.c: a tiny line of recent CPU use, for a row in the sidebar
 *
 * The last half minute of a sample ring's CPU, scaled to one core (or more,
 * when more are busy), in the CPU graph's colour, without axes: enough to
 * tell at a glance which job is busy. The owner calls update when the ring
 * has new samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "troupe-application.h"
#include "troupe-sparkline.h"
#include "troupe-usage-graph.h"

#define SPAN_US (30 * G_USEC_PER_SEC)

struct _TroupeSparkline
{
  GtkWidget         parent_instance;

  TroupeSampleRing  *ring;
  /* What troupe_sparkline_follow_process () follows, and the tree of it
   * the session samples (once found). */
  TroupeProcess     *process;
  TroupeProcessTree *tree;
};

G_DEFINE_FINAL_TYPE (TroupeSparkline, troupe_sparkline, GTK_TYPE_WIDGET)

/* The first sample of the last half minute. */
static guint
find_first_shown (TroupeSampleRing *ring)
{
  const TroupeSample *latest = troupe_sample_ring_get_latest (ring);
  guint length = troupe_sample_ring_get_length (ring);
  guint first = length;

  if (latest == NULL)
    return 0;
  while (first > 0 && troupe_sample_ring_get (ring, first - 1)->time >= latest->time - SPAN_US)
    first--;
  return first;
}

static void
troupe_sparkline_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  TroupeSparkline *self = TROUPE_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const TroupeSample *latest;
  guint first, length;
  double top = 100.0;
  cairo_pattern_t *fill;
  GdkRGBA colour;
  cairo_t *cr;

  if (self->ring == NULL || (latest = troupe_sample_ring_get_latest (self->ring)) == NULL)
    return;
  first = find_first_shown (self->ring);
  length = troupe_sample_ring_get_length (self->ring);
  if (length - first < 2)
    return;
  for (guint i = first; i < length; i++)
    top = MAX (top, troupe_sample_ring_get (self->ring, i)->cpu);

  troupe_usage_graph_get_colour (TROUPE_USAGE_GRAPH_METRIC_COLOUR, TROUPE_USAGE_METRIC_CPU, dark,
                                 &colour);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* A line of 1.5 px fits inside, top and bottom. */
  height -= 2;
  for (guint i = first; i < length; i++)
    {
      const TroupeSample *sample = troupe_sample_ring_get (self->ring, i);
      double x = width * (1.0 - (double) (latest->time - sample->time) / SPAN_US);
      double y = 1 + height * (1.0 - sample->cpu / top);

      cairo_line_to (cr, x, y);
    }
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_stroke_preserve (cr);
  cairo_line_to (cr, width, height + 1);
  cairo_line_to (cr, width * (1.0 - (double) (latest->time -
                                              troupe_sample_ring_get (self->ring, first)->time) /
                                     SPAN_US),
                 height + 1);
  cairo_close_path (cr);
  fill = cairo_pattern_create_linear (0, 0, 0, height);
  cairo_pattern_add_color_stop_rgba (fill, 0, colour.red, colour.green, colour.blue, 0.4);
  cairo_pattern_add_color_stop_rgba (fill, 1, colour.red, colour.green, colour.blue, 0.05);
  cairo_set_source (cr, fill);
  cairo_fill (cr);
  cairo_pattern_destroy (fill);
  cairo_destroy (cr);
}

static void
troupe_sparkline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 40 : 18;
}

static void
forget_process (TroupeSparkline *self)
{
  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  g_clear_object (&self->tree);
  g_clear_object (&self->process);
}

static void
troupe_sparkline_dispose (GObject *object)
{
  forget_process (TROUPE_SPARKLINE (object));
  G_OBJECT_CLASS (troupe_sparkline_parent_class)->dispose (object);
}

static void
troupe_sparkline_finalize (GObject *object)
{
  TroupeSparkline *self = TROUPE_SPARKLINE (object);

  g_clear_pointer (&self->ring, troupe_sample_ring_unref);

  G_OBJECT_CLASS (troupe_sparkline_parent_class)->finalize (object);
}

static void
troupe_sparkline_class_init (TroupeSparklineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_sparkline_dispose;
  G_OBJECT_CLASS (klass)->finalize = troupe_sparkline_finalize;
  widget_class->snapshot = troupe_sparkline_snapshot;
  widget_class->measure = troupe_sparkline_measure;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
troupe_sparkline_init (TroupeSparkline *self)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
troupe_sparkline_new (void)
{
  return g_object_new (TROUPE_TYPE_SPARKLINE, NULL);
}

/**
 * troupe_sparkline_get_ring:
 *
 * Returns: (transfer none) (nullable): the samples drawn
 */
TroupeSampleRing *
troupe_sparkline_get_ring (TroupeSparkline *self)
{
  g_return_val_if_fail (TROUPE_IS_SPARKLINE (self), NULL);
  return self->ring;
}

/**
 * troupe_sparkline_set_ring:
 * @ring: (nullable): the samples to draw
 */
void
troupe_sparkline_set_ring (TroupeSparkline  *self,
                           TroupeSampleRing *ring)
{
  g_return_if_fail (TROUPE_IS_SPARKLINE (self));

  if (self->ring == ring)
    return;
  g_clear_pointer (&self->ring, troupe_sample_ring_unref);
  if (ring != NULL)
    self->ring = troupe_sample_ring_ref (ring);
  troupe_sparkline_update (self);
}

/**
 * troupe_sparkline_update:
 *
 * Draws the ring's new samples, and tells the latest in the tooltip.
 */
void
troupe_sparkline_update (TroupeSparkline *self)
{
  const TroupeSample *latest;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (TROUPE_IS_SPARKLINE (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
  latest = self->ring != NULL ? troupe_sample_ring_get_latest (self->ring) : NULL;
  if (latest == NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
      return;
    }
  value = troupe_usage_format_value (TROUPE_USAGE_METRIC_CPU, latest->cpu);
  /* Translators: a job's CPU use, in the tooltip of its line in the sidebar */
  text = g_strdup_printf (_("CPU %s"), value);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/**
 * troupe_sparkline_get_n_points:
 *
 * Returns: how many samples the line is drawn through
 */
guint
troupe_sparkline_get_n_points (TroupeSparkline *self)
{
  g_return_val_if_fail (TROUPE_IS_SPARKLINE (self), 0);

  if (self->ring == NULL)
    return 0;
  return troupe_sample_ring_get_length (self->ring) - find_first_shown (self->ring);
}

/**
 * troupe_sparkline_follow_process:
 * @process: (nullable): the job or member run to show, %NULL for none
 *
 * Shows the CPU of @process and everything it started, as the session of the
 * window the sparkline is in samples it, while it runs; hides the sparkline
 * otherwise. Rows call it whenever their process or its state may have
 * changed: the tree is found once the sparkline is in a window and the
 * process has a pid, which may both come later than the process.
 */
void
troupe_sparkline_follow_process (TroupeSparkline *self,
                                 TroupeProcess   *process)
{
  gboolean running = process != NULL && !troupe_process_has_ended (process);

  g_return_if_fail (TROUPE_IS_SPARKLINE (self));

  if (self->process != process)
    {
      forget_process (self);
      troupe_sparkline_set_ring (self, NULL);
      if (process != NULL)
        self->process = g_object_ref (process);
    }
  if (running && self->tree == NULL)
    {
      TroupeSession *session = troupe_application_find_session (GTK_WIDGET (self));
      TroupeProcessTree *tree = session != NULL
                                  ? troupe_session_get_process_tree (session, process)
                                  : NULL;

      if (tree != NULL)
        {
          self->tree = g_object_ref (tree);
          g_signal_connect_swapped (tree, "updated", G_CALLBACK (troupe_sparkline_update), self);
          troupe_sparkline_set_ring (self, troupe_process_tree_get_totals (tree));
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self), running && self->tree != NULL);
}
