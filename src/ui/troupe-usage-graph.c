/* troupe-usage-graph.c: CPU or memory over time, one line per series, with axes and a readout
 *
 * The graph shows the last minute (its span) of one or more sample rings that
 * the sampler fills: a job's totals, one process, or one line per cluster
 * member. The right edge is the newest sample, so the graph stands still
 * between samples and moves one step per sample, as GNOME System Monitor's do.
 * The vertical scale grows to the nearest round value above what is shown
 * (100% of one core at least for CPU), so a line near the top is near the
 * label there. Hovering shows a marker at the nearest sample and a readout of
 * its time and every series' value.
 *
 * Everything is drawn into the widget's snapshot: grid and frame as colour
 * nodes, text as Pango layouts, and the lines themselves with cairo (GTK 4.8
 * has no path nodes yet). Colours follow the style, light or dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "troupe-usage-graph.h"

#define N_ROWS           4     /* horizontal divisions */
#define N_COLUMNS        6     /* vertical divisions: every 10 s of a minute */
#define GUTTER_SPACING   6.0
#define LEGEND_SPACING   14.0
#define CORNER_RADIUS    6.0

typedef struct
{
  TroupeSampleRing *ring;
  char             *label;
  guint             colour_index;
} Series;

struct _TroupeUsageGraph
{
  GtkWidget          parent_instance;

  TroupeUsageMetric  metric;
  guint              span;        /* seconds */
  GPtrArray         *series;      /* of Series */
  double             hover_x;     /* < 0: not hovering */
};

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

static double
sample_value (TroupeUsageMetric   metric,
              const TroupeSample *sample)
{
  return metric == TROUPE_USAGE_METRIC_CPU ? sample->cpu : (double) sample->rss;
}

/* "512 kB", "2.5 MB", "1 GB": a round value, with a decimal only where needed. */
static char *
format_bytes_short (double bytes)
{
  static const char *const units[] = { N_("B"), N_("kB"), N_("MB"), N_("GB"), N_("TB") };
  guint unit = 0;

  while (bytes >= 1000.0 && unit + 1 < G_N_ELEMENTS (units))
    {
      bytes /= 1000.0;
      unit++;
    }
  if (fabs (bytes - round (bytes)) < 0.05)
    /* Translators: an amount of memory on a graph's axis, e.g. "200 MB" */
    return g_strdup_printf (_("%.0f %s"), bytes, _(units[unit]));
  return g_strdup_printf (_("%.1f %s"), bytes, _(units[unit]));
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

static char *
format_axis_value (TroupeUsageMetric metric,
                   double            value)
{
  if (metric == TROUPE_USAGE_METRIC_MEMORY && value == 0)
    return g_strdup ("0");
  if (metric == TROUPE_USAGE_METRIC_CPU)
    /* Translators: CPU use on a graph's axis, in percent of one core */
    return g_strdup_printf (_("%.0f%%"), value);
  return format_bytes_short (value);
}

static char *
format_ago (gint64 microseconds)
{
  guint seconds = (guint) ((microseconds + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC);

  if (seconds == 0)
    return g_strdup (_("now"));
  if (seconds < 120)
    /* Translators: a time on a graph, some seconds before now */
    return g_strdup_printf (_("%u s ago"), seconds);
  /* Translators: a time on a graph, some minutes before now */
  return g_strdup_printf (_("%u min ago"), seconds / 60);
}

/* The first sample at or after @time. */
static guint
find_from (TroupeSampleRing *ring,
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
static const TroupeSample *
find_nearest (TroupeSampleRing *ring,
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
  index = find_from (ring, time);
  if (index >= length)
    return last;
  after = troupe_sample_ring_get (ring, index);
  if (index == 0)
    return after;
  before = troupe_sample_ring_get (ring, index - 1);
  return time - before->time < after->time - time ? before : after;
}

/* The newest sample's time: the graph's right edge. */
static gint64
get_end_time (TroupeUsageGraph *self)
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

static gint64
get_span_us (TroupeUsageGraph *self)
{
  return (gint64) self->span * G_USEC_PER_SEC;
}

/* The top of the vertical scale: a round value above the largest shown. */
static double
get_scale_top (TroupeUsageGraph *self,
               gint64            end)
{
  double largest = 0;
  double step, magnitude;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      guint length = troupe_sample_ring_get_length (series->ring);

      for (guint j = find_from (series->ring, end - get_span_us (self)); j < length; j++)
        largest = MAX (largest, sample_value (self->metric,
                                              troupe_sample_ring_get (series->ring, j)));
    }

  if (self->metric == TROUPE_USAGE_METRIC_CPU)
    return MAX (100.0, 100.0 * ceil (largest / 100.0));

  /* Memory: four steps of 1, 2, 2.5 or 5 times a power of ten, with room. */
  largest = MAX (largest * 1.1, 1000.0 * 1000.0);
  magnitude = pow (10, floor (log10 (largest / N_ROWS)));
  step = magnitude;
  for (guint i = 0; step * N_ROWS < largest; i++)
    step = magnitude * (double[]) { 1, 2, 2.5, 5, 10, 20 }[MIN (i, 5)];
  return step * N_ROWS;
}

static void
get_foreground (TroupeUsageGraph *self,
                GdkRGBA          *colour)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), colour);
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static GdkRGBA
with_alpha (const GdkRGBA *colour,
            double         alpha)
{
  return (GdkRGBA) { colour->red, colour->green, colour->blue, colour->alpha * alpha };
}

/* A small layout, with figures of equal width so values do not jitter. */
static PangoLayout *
create_small_layout (TroupeUsageGraph *self,
                     const char       *text,
                     gboolean          bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum"));
  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  return layout;
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         x,
                  double         y,
                  const GdkRGBA *colour)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
append_line (GtkSnapshot   *snapshot,
             double         x,
             double         y,
             double         width,
             double         height,
             const GdkRGBA *colour)
{
  gtk_snapshot_append_color (snapshot, colour, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static double
time_to_x (const graphene_rect_t *plot,
           gint64                 end,
           gint64                 span,
           gint64                 time)
{
  return plot->origin.x + plot->size.width * (1.0 - (double) (end - time) / span);
}

static double
value_to_y (const graphene_rect_t *plot,
            double                 top,
            double                 value)
{
  return plot->origin.y + plot->size.height * (1.0 - MIN (value, top) / top);
}

/* One series: its area, filled, then its line over it. */
static void
draw_series (TroupeUsageGraph      *self,
             cairo_t               *cr,
             Series                *series,
             const graphene_rect_t *plot,
             gint64                 end,
             double                 top,
             gboolean               dark)
{
  gint64 span = get_span_us (self);
  guint length = troupe_sample_ring_get_length (series->ring);
  guint from = find_from (series->ring, end - span);
  gboolean alone = self->series->len == 1;
  double bottom = plot->origin.y + plot->size.height;
  double first_x = 0, last_x = 0;
  cairo_pattern_t *fill;
  GdkRGBA colour;

  /* One sample before the left edge, so the line reaches it. */
  if (from > 0)
    from--;
  if (length - from < 2)
    return;

  troupe_usage_graph_get_colour (series->colour_index, self->metric, dark, &colour);
  cairo_new_path (cr);
  for (guint i = from; i < length; i++)
    {
      const TroupeSample *sample = troupe_sample_ring_get (series->ring, i);
      double x = time_to_x (plot, end, span, sample->time);
      double y = value_to_y (plot, top, sample_value (self->metric, sample));

      if (i == from)
        {
          cairo_move_to (cr, x, y);
          first_x = x;
        }
      else
        cairo_line_to (cr, x, y);
      last_x = x;
    }

  cairo_save (cr);
  cairo_line_to (cr, last_x, bottom);
  cairo_line_to (cr, first_x, bottom);
  cairo_close_path (cr);
  fill = cairo_pattern_create_linear (0, plot->origin.y, 0, bottom);
  cairo_pattern_add_color_stop_rgba (fill, 0, colour.red, colour.green, colour.blue,
                                     alone ? (dark ? 0.45 : 0.35) : 0.08);
  cairo_pattern_add_color_stop_rgba (fill, 1, colour.red, colour.green, colour.blue,
                                     alone ? 0.06 : 0.02);
  cairo_set_source (cr, fill);
  cairo_fill (cr);
  cairo_pattern_destroy (fill);
  cairo_restore (cr);

  /* The fill consumed the path: lay it down again for the line. */
  cairo_new_path (cr);
  for (guint i = from; i < length; i++)
    {
      const TroupeSample *sample = troupe_sample_ring_get (series->ring, i);

      cairo_line_to (cr, time_to_x (plot, end, span, sample->time),
                     value_to_y (plot, top, sample_value (self->metric, sample)));
    }
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_set_line_width (cr, alone ? 2.0 : 1.75);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke (cr);
}

static void
append_dot (GtkSnapshot   *snapshot,
            double         x,
            double         y,
            double         radius,
            const GdkRGBA *colour)
{
  GskRoundedRect dot;

  gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (x - radius, y - radius,
                                                              2 * radius, 2 * radius),
                                   radius);
  gtk_snapshot_push_rounded_clip (snapshot, &dot);
  gtk_snapshot_append_color (snapshot, colour, &dot.bounds);
  gtk_snapshot_pop (snapshot);
}

/* A row of coloured dots and labels above the plot, for several series. */
static void
draw_legend (TroupeUsageGraph *self,
             GtkSnapshot      *snapshot,
             double            x,
             const GdkRGBA    *foreground,
             gboolean          dark)
{
  GdkRGBA text = with_alpha (foreground, 0.8);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      g_autoptr(PangoLayout) layout = create_small_layout (self, series->label, FALSE);
      int width, height;
      GdkRGBA colour;

      pango_layout_get_pixel_size (layout, &width, &height);
      if (x + 14 + width > gtk_widget_get_width (GTK_WIDGET (self)))
        break;
      troupe_usage_graph_get_colour (series->colour_index, self->metric, dark, &colour);
      append_dot (snapshot, x + 4, height / 2.0, 4, &colour);
      append_layout_at (snapshot, layout, x + 12, 0, &text);
      x += 12 + width + LEGEND_SPACING;
    }
}

/* The marker at the hovered sample, a dot on each line, and the readout. */
static void
draw_hover (TroupeUsageGraph      *self,
            GtkSnapshot           *snapshot,
            const graphene_rect_t *plot,
            gint64                 end,
            double                 top,
            const GdkRGBA         *foreground,
            gboolean               dark)
{
  gint64 span = get_span_us (self);
  gint64 time = end - (gint64) ((1.0 - (self->hover_x - plot->origin.x) / plot->size.width) * span);
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) label_layout = NULL;
  g_autoptr(PangoLayout) value_layout = NULL;
  g_autofree char *ago = NULL;
  g_autofree char *heading = NULL;
  GskRoundedRect box;
  double marker_x = -1;
  int title_w, title_h, labels_w, labels_h, values_w, values_h;
  double box_w, box_h, box_x, box_y, line_height;
  GdkRGBA background, border, text, dim;
  guint n_shown = 0;

  /* Snap to the nearest sample of the first series that has one here. */
  for (guint i = 0; i < self->series->len && marker_x < 0; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const TroupeSample *sample = find_nearest (series->ring, time);

      if (sample != NULL && sample->time >= end - span)
        {
          time = sample->time;
          marker_x = time_to_x (plot, end, span, time);
        }
    }
  if (marker_x < 0)
    return;

  append_line (snapshot, round (marker_x) - 0.5, plot->origin.y, 1, plot->size.height,
               &(GdkRGBA) { foreground->red, foreground->green, foreground->blue, 0.45 });

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const TroupeSample *sample = find_nearest (series->ring, time);
      g_autofree char *value = NULL;
      GdkRGBA colour;

      if (sample == NULL)
        continue;
      troupe_usage_graph_get_colour (series->colour_index, self->metric, dark, &colour);
      append_dot (snapshot, marker_x, value_to_y (plot, top, sample_value (self->metric, sample)),
                  5, &(GdkRGBA) { dark ? 0.14 : 1, dark ? 0.14 : 1, dark ? 0.15 : 1, 1 });
      append_dot (snapshot, marker_x, value_to_y (plot, top, sample_value (self->metric, sample)),
                  3.5, &colour);
      value = troupe_usage_format_value (self->metric, sample_value (self->metric, sample));
      g_string_append_printf (labels, "%s<span foreground=\"#%02x%02x%02x\">●</span> %s",
                              n_shown > 0 ? "\n" : "", (guint) (colour.red * 255),
                              (guint) (colour.green * 255), (guint) (colour.blue * 255),
                              series->label);
      g_string_append_printf (values, "%s%s", n_shown > 0 ? "\n" : "", value);
      n_shown++;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) then = g_date_time_add (now, time - g_get_monotonic_time ());
    g_autofree char *clock = g_date_time_format (then, "%X");

    ago = format_ago (end - time);
    /* Translators: when a sample was taken: a clock time, and how long ago */
    heading = g_strdup_printf (_("%s · %s"), clock, ago);
  }
  title = create_small_layout (self, heading, TRUE);
  label_layout = create_small_layout (self, NULL, FALSE);
  pango_layout_set_markup (label_layout, labels->str, -1);
  value_layout = create_small_layout (self, values->str, TRUE);
  pango_layout_set_alignment (value_layout, PANGO_ALIGN_RIGHT);
  pango_layout_get_pixel_size (title, &title_w, &title_h);
  pango_layout_get_pixel_size (label_layout, &labels_w, &labels_h);
  pango_layout_get_pixel_size (value_layout, &values_w, &values_h);
  line_height = title_h + 4;

  box_w = MAX (title_w, labels_w + 16 + values_w) + 20;
  box_h = line_height + MAX (labels_h, values_h) + 16;
  box_x = marker_x + 12;
  if (box_x + box_w > plot->origin.x + plot->size.width)
    box_x = marker_x - 12 - box_w;
  box_x = round (MAX (box_x, plot->origin.x + 2));
  box_y = round (plot->origin.y + 8);

  background = dark ? (GdkRGBA) { 0.22, 0.22, 0.24, 0.97 } : (GdkRGBA) { 1, 1, 1, 0.97 };
  border = with_alpha (foreground, 0.14);
  text = *foreground;
  dim = with_alpha (foreground, 0.7);
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (box_x, box_y, box_w, box_h), 8);
  gtk_snapshot_append_outset_shadow (snapshot, &box, &(GdkRGBA) { 0, 0, 0, dark ? 0.4 : 0.12 },
                                     0, 2, 0, 6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &background, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box, (float[]) { 1, 1, 1, 1 },
                              (GdkRGBA[]) { border, border, border, border });
  append_layout_at (snapshot, title, box_x + 10, box_y + 8, &dim);
  append_layout_at (snapshot, label_layout, box_x + 10, box_y + 8 + line_height, &text);
  append_layout_at (snapshot, value_layout, box_x + box_w - 10 - values_w,
                    box_y + 8 + line_height, &text);
}

static void
troupe_usage_graph_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = is_dark ();
  gint64 end = get_end_time (self);
  gboolean has_data = end != G_MININT64;
  gint64 span = get_span_us (self);
  PangoLayout *y_labels[N_ROWS + 1];
  double gutter = 0, legend_height = 0, top;
  int text_height = 0;
  graphene_rect_t plot;
  GskRoundedRect frame;
  GdkRGBA foreground, grid, border, label, card;
  double bottom_height;

  get_foreground (self, &foreground);
  grid = with_alpha (&foreground, dark ? 0.09 : 0.07);
  border = with_alpha (&foreground, 0.15);
  label = with_alpha (&foreground, 0.6);
  card = with_alpha (&foreground, dark ? 0.04 : 0.025);
  top = has_data ? get_scale_top (self, end) : (self->metric == TROUPE_USAGE_METRIC_CPU
                                                  ? 100.0 : 1e8);

  for (guint i = 0; i <= N_ROWS; i++)
    {
      g_autofree char *text = format_axis_value (self->metric, top * i / N_ROWS);
      int w;

      y_labels[i] = create_small_layout (self, text, FALSE);
      pango_layout_get_pixel_size (y_labels[i], &w, &text_height);
      gutter = MAX (gutter, w);
    }
  gutter += GUTTER_SPACING;
  if (self->series->len > 1)
    legend_height = text_height + 8;
  bottom_height = text_height + 4;

  plot = GRAPHENE_RECT_INIT (gutter, legend_height + text_height / 2.0,
                             width - gutter - 1, height - legend_height - text_height / 2.0 -
                                                 bottom_height);
  if (plot.size.width < 20 || plot.size.height < 20)
    goto out;

  if (self->series->len > 1)
    draw_legend (self, snapshot, gutter, &foreground, dark);

  /* The frame, a faint card, and its grid. */
  gsk_rounded_rect_init_from_rect (&frame, &plot, CORNER_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &frame);
  gtk_snapshot_append_color (snapshot, &card, &plot);
  for (guint i = 1; i < N_ROWS; i++)
    append_line (snapshot, plot.origin.x, round (plot.origin.y + plot.size.height * i / N_ROWS),
                 plot.size.width, 1, &grid);
  for (guint i = 1; i < N_COLUMNS; i++)
    append_line (snapshot, round (plot.origin.x + plot.size.width * i / N_COLUMNS), plot.origin.y,
                 1, plot.size.height, &grid);

  if (has_data)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &plot);

      /* The latest series last, on top. */
      for (guint i = 0; i < self->series->len; i++)
        draw_series (self, cr, g_ptr_array_index (self->series, i), &plot, end, top, dark);
      cairo_destroy (cr);
    }
  else
    {
      g_autoptr(PangoLayout) waiting = create_small_layout (self, _("Waiting for samples…"),
                                                            FALSE);
      int w, h;

      pango_layout_get_pixel_size (waiting, &w, &h);
      append_layout_at (snapshot, waiting, plot.origin.x + (plot.size.width - w) / 2,
                        plot.origin.y + (plot.size.height - h) / 2, &label);
    }
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &frame, (float[]) { 1, 1, 1, 1 },
                              (GdkRGBA[]) { border, border, border, border });

  /* The scale on the left, each value beside its line. */
  for (guint i = 0; i <= N_ROWS; i++)
    {
      int w, h;
      double y = plot.origin.y + plot.size.height * (N_ROWS - i) / N_ROWS;

      pango_layout_get_pixel_size (y_labels[i], &w, &h);
      append_layout_at (snapshot, y_labels[i], gutter - GUTTER_SPACING - w, y - h / 2.0, &label);
    }

  /* Time below: the left edge, the middle and now. */
  {
    g_autofree char *left_text = format_ago (span);
    g_autofree char *middle_text = format_ago (span / 2);
    g_autoptr(PangoLayout) left = create_small_layout (self, left_text, FALSE);
    g_autoptr(PangoLayout) middle = create_small_layout (self, middle_text, FALSE);
    g_autoptr(PangoLayout) now = create_small_layout (self, _("now"), FALSE);
    double y = plot.origin.y + plot.size.height + 3;
    int w, h;

    append_layout_at (snapshot, left, plot.origin.x, y, &label);
    pango_layout_get_pixel_size (middle, &w, &h);
    append_layout_at (snapshot, middle, plot.origin.x + (plot.size.width - w) / 2, y, &label);
    pango_layout_get_pixel_size (now, &w, &h);
    append_layout_at (snapshot, now, plot.origin.x + plot.size.width - w, y, &label);
  }

  if (has_data && self->hover_x >= plot.origin.x &&
      self->hover_x <= plot.origin.x + plot.size.width)
    draw_hover (self, snapshot, &plot, end, top, &foreground, dark);

out:
  for (guint i = 0; i <= N_ROWS; i++)
    g_object_unref (y_labels[i]);
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
  widget_class->snapshot = troupe_usage_graph_snapshot;
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

  end = get_end_time (self);
  if (end == G_MININT64)
    return 0;
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);

      n += troupe_sample_ring_get_length (series->ring) -
           find_from (series->ring, end - get_span_us (self));
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
      value = troupe_usage_format_value (self->metric, sample_value (self->metric, latest));
      if (readout->len > 0)
        g_string_append (readout, ", ");
      /* Translators: a graph's series and its latest value */
      g_string_append_printf (readout, _("%s: %s"), series->label, value);
    }
  return g_string_free (readout, FALSE);
}
