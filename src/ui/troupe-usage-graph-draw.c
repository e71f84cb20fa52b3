/* troupe-usage-graph-draw.c: how the usage graph draws itself: frame, grid, axes, lines, readout
 *
 * Everything goes into the widget's snapshot: grid and frame as colour
 * nodes, text as Pango layouts, and the lines themselves with cairo (GTK 4.8
 * has no path nodes yet). Colours follow the style, light or dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "troupe-usage-graph-private.h"

#define N_ROWS           4     /* horizontal divisions */
#define N_COLUMNS        6     /* vertical divisions: every 10 s of a minute */
#define GUTTER_SPACING   6.0
#define LEGEND_SPACING   14.0
#define CORNER_RADIUS    6.0

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

static double
value_of (TroupeUsageGraph   *self,
          const TroupeSample *sample)
{
  return _troupe_usage_graph_sample_value (self->metric, sample);
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
      guint from = _troupe_usage_graph_find_from (series->ring,
                                                  end - _troupe_usage_graph_get_span_us (self));

      for (guint j = from; j < length; j++)
        largest = MAX (largest, value_of (self, troupe_sample_ring_get (series->ring, j)));
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
  gint64 span = _troupe_usage_graph_get_span_us (self);
  guint length = troupe_sample_ring_get_length (series->ring);
  guint from = _troupe_usage_graph_find_from (series->ring, end - span);
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
      double y = value_to_y (plot, top, value_of (self, sample));

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
                     value_to_y (plot, top, value_of (self, sample)));
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
  gint64 span = _troupe_usage_graph_get_span_us (self);
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
      const TroupeSample *sample = _troupe_usage_graph_find_nearest (series->ring, time);

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
      const TroupeSample *sample = _troupe_usage_graph_find_nearest (series->ring, time);
      g_autofree char *value = NULL;
      g_autofree char *label = NULL;
      GdkRGBA colour;
      double y;

      if (sample == NULL)
        continue;
      troupe_usage_graph_get_colour (series->colour_index, self->metric, dark, &colour);
      y = value_to_y (plot, top, value_of (self, sample));
      /* A ring in the background's colour sets the dot off the line. */
      append_dot (snapshot, marker_x, y, 5,
                  &(GdkRGBA) { dark ? 0.14 : 1, dark ? 0.14 : 1, dark ? 0.15 : 1, 1 });
      append_dot (snapshot, marker_x, y, 3.5, &colour);
      value = troupe_usage_format_value (self->metric, value_of (self, sample));
      label = g_markup_escape_text (series->label, -1);
      g_string_append_printf (labels, "%s<span foreground=\"#%02x%02x%02x\">●</span> %s",
                              n_shown > 0 ? "\n" : "", (guint) (colour.red * 255),
                              (guint) (colour.green * 255), (guint) (colour.blue * 255), label);
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

void
_troupe_usage_graph_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TroupeUsageGraph *self = TROUPE_USAGE_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = is_dark ();
  gint64 end = _troupe_usage_graph_get_end_time (self);
  gboolean has_data = end != G_MININT64;
  gint64 span = _troupe_usage_graph_get_span_us (self);
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
