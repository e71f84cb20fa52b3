/* troupe-load-graph.c: requests a second and latency of a load test over time
 *
 * Two panels over one time axis, as GNOME System Monitor draws its graphs:
 * requests a second on top, the latency percentiles (p50, p90, p99) below,
 * each with a grid, its scale and units. The right edge is the newest report,
 * so the graph moves only when a report comes (four times a second for the
 * load worker) and stands still once the test has ended. A short test fills
 * the width (five seconds at least); a long one scrolls, its last minute
 * shown. The pointer over the graph shows the values of the report under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "troupe-load-graph.h"

#define PADDING        12.0
#define PANEL_GAP      18.0
#define GRID_ROWS      4
#define LINE_WIDTH     1.5
#define MIN_RATE_SCALE 10.0
#define MIN_LATENCY_SCALE_MS 1.0

/* GNOME's palette: blue for the rate, green, orange and red for the percentiles. */
static const GdkRGBA rate_color = { 0.208, 0.518, 0.894, 1.0 };  /* blue 3 */
static const GdkRGBA p50_color = { 0.180, 0.761, 0.494, 1.0 };   /* green 4 */
static const GdkRGBA p90_color = { 1.000, 0.471, 0.000, 1.0 };   /* orange 3 */
static const GdkRGBA p99_color = { 0.878, 0.106, 0.141, 1.0 };   /* red 3 */

typedef struct
{
  double x, y, width, height;
} Box;

struct _TroupeLoadGraph
{
  GtkWidget  parent_instance;

  GArray    *samples;    /* of TroupeLoadSample, oldest first, within the span */
  gint64     span;       /* µs, the most shown */
  double     hover_x;    /* -1 when the pointer is away */
  Box        rate_plot;  /* where the upper panel was drawn last */
};

G_DEFINE_FINAL_TYPE (TroupeLoadGraph, troupe_load_graph, GTK_TYPE_WIDGET)

/* "7.5" or "10": one decimal, unless it is zero (the separator is the locale's). */
static char *
format_number (double value)
{
  char *text = g_strdup_printf ("%.1f", value);
  gsize length = strlen (text);

  if (length >= 3 && text[length - 1] == '0' && !g_ascii_isdigit (text[length - 2]))
    text[length - 2] = '\0';
  return text;
}

/**
 * troupe_load_graph_format_rate:
 * @per_second: requests a second
 *
 * Returns: (transfer full): "850/s", "12.5k/s", "1.2M/s"
 */
char *
troupe_load_graph_format_rate (double per_second)
{
  g_autofree char *number = NULL;

  if (per_second >= 1e6)
    {
      number = format_number (per_second / 1e6);
      /* Translators: requests a second, in millions */
      return g_strdup_printf (_("%sM/s"), number);
    }
  if (per_second >= 1e3)
    {
      number = format_number (per_second / 1e3);
      /* Translators: requests a second, in thousands */
      return g_strdup_printf (_("%sk/s"), number);
    }
  /* Translators: requests a second */
  return g_strdup_printf (_("%.0f/s"), per_second);
}

/**
 * troupe_load_graph_format_latency:
 * @milliseconds: a latency
 *
 * Returns: (transfer full): "0.42 ms", "2.5 ms", "12 ms", "1.5 s"
 */
char *
troupe_load_graph_format_latency (double milliseconds)
{
  g_autofree char *number = NULL;

  if (milliseconds >= 1000)
    {
      number = format_number (milliseconds / 1000);
      /* Translators: a latency in seconds */
      return g_strdup_printf (_("%s s"), number);
    }
  if (milliseconds >= 10 || milliseconds == 0)
    number = g_strdup_printf ("%.0f", milliseconds);
  else if (milliseconds >= 1)
    number = format_number (milliseconds);
  else
    number = g_strdup_printf ("%.2f", milliseconds);
  /* Translators: a latency in milliseconds */
  return g_strdup_printf (_("%s ms"), number);
}

/* The top of a scale: the next of 1, 2, 4, 6, 8 times a power of ten, so that
 * the four grid lines fall on round values. */
static double
nice_ceiling (double value,
              double minimum)
{
  static const double steps[] = { 1, 2, 4, 6, 8, 10 };
  double base;

  if (!(value > minimum))
    return minimum;
  base = pow (10, floor (log10 (value)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (value <= steps[i] * base * (1 + 1e-9))
      return steps[i] * base;
  return 10 * base;
}

static gint64
newest_time (TroupeLoadGraph *self)
{
  return self->samples->len > 0
           ? g_array_index (self->samples, TroupeLoadSample, self->samples->len - 1).time
           : 0;
}

#define MIN_SHOWN_SECONDS 5

/* The seconds across the graph: what the reports cover, rounded up to five
 * (to ten past half a minute), from five to the span. */
static int
shown_seconds (TroupeLoadGraph *self)
{
  gint64 covered = self->samples->len > 0
                     ? newest_time (self) - g_array_index (self->samples, TroupeLoadSample, 0).time
                     : 0;
  int seconds = (int) ((covered + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  int round_to = seconds > 30 ? 10 : 5;

  seconds = (seconds + round_to - 1) / round_to * round_to;
  return CLAMP (seconds, MIN_SHOWN_SECONDS, (int) (self->span / G_USEC_PER_SEC));
}

static double
max_over (TroupeLoadGraph *self,
          gboolean         latency)
{
  double max = 0;

  for (guint i = 0; i < self->samples->len; i++)
    {
      const TroupeLoadSample *sample = &g_array_index (self->samples, TroupeLoadSample, i);

      if (latency)
        max = MAX (max, MAX (sample->p99_ms, MAX (sample->p90_ms, sample->p50_ms)));
      else
        max = MAX (max, sample->requests_per_second);
    }
  return max;
}

static void
get_foreground (TroupeLoadGraph *self,
                GdkRGBA         *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static PangoLayout *
create_layout (TroupeLoadGraph *self,
               const char      *text,
               gboolean         small,
               gboolean         bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attributes = pango_attr_list_new ();

  if (small)
    pango_attr_list_insert (attributes, pango_attr_scale_new (0.83));
  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  return layout;
}

/* Draws @text with its left (align 0), middle (0.5) or right (1) at @x and its
 * vertical middle at @y; returns its width. */
static double
draw_text (TroupeLoadGraph *self,
           cairo_t         *cr,
           const char      *text,
           double           x,
           double           y,
           double           align,
           gboolean         small,
           gboolean         bold)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text, small, bold);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - align * width), round (y - height / 2.0));
  pango_cairo_show_layout (cr, layout);
  return width;
}

static void
text_size (TroupeLoadGraph *self,
           const char      *text,
           gboolean         small,
           int             *width,
           int             *height)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text, small, FALSE);

  pango_layout_get_pixel_size (layout, width, height);
}

static char *
format_scale_value (double   value,
                    gboolean latency)
{
  return latency ? troupe_load_graph_format_latency (value) : troupe_load_graph_format_rate (value);
}

static double
time_to_x (TroupeLoadGraph *self,
           const Box       *plot,
           gint64           time)
{
  return plot->x + plot->width -
         (double) (newest_time (self) - time) / (shown_seconds (self) * G_USEC_PER_SEC) *
           plot->width;
}

/* How many seconds apart the time labels go, so that they do not crowd. */
static int
time_step (TroupeLoadGraph *self,
           const Box       *plot)
{
  int seconds = shown_seconds (self);
  static const int steps[] = { 1, 2, 5, 10, 20, 30 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (seconds % steps[i] == 0 && seconds / steps[i] <= 10 &&
        plot->width / (seconds / (double) steps[i]) >= 64)
      return steps[i];
  return 30;
}

static void
draw_grid (TroupeLoadGraph *self,
           cairo_t         *cr,
           const Box       *plot,
           const GdkRGBA   *foreground,
           double           scale,
           gboolean         latency)
{
  int step = time_step (self, plot);
  int seconds = shown_seconds (self);

  cairo_set_line_width (cr, 1);
  set_source (cr, foreground, 0.07);
  for (int row = 1; row < GRID_ROWS; row++)
    {
      double y = round (plot->y + plot->height * row / GRID_ROWS) + 0.5;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->width, y);
    }
  for (int second = step; second < seconds; second += step)
    {
      double x = round (plot->x + plot->width - plot->width * second / seconds) + 0.5;

      cairo_move_to (cr, x, plot->y);
      cairo_line_to (cr, x, plot->y + plot->height);
    }
  cairo_stroke (cr);

  set_source (cr, foreground, 0.18);
  cairo_rectangle (cr, plot->x + 0.5, plot->y + 0.5, plot->width - 1, plot->height - 1);
  cairo_stroke (cr);

  /* The scale, beside each grid line, top to bottom. */
  set_source (cr, foreground, 0.6);
  for (int row = 0; row <= GRID_ROWS; row++)
    {
      g_autofree char *label = format_scale_value (scale * (GRID_ROWS - row) / GRID_ROWS,
                                                   latency);

      draw_text (self, cr, label, plot->x - 6, plot->y + plot->height * row / GRID_ROWS, 1,
                 TRUE, FALSE);
    }
}

static double
sample_value (const TroupeLoadSample *sample,
              guint                   series)
{
  switch (series)
    {
    case 0:
      return sample->requests_per_second;
    case 1:
      return sample->p50_ms;
    case 2:
      return sample->p90_ms;
    default:
      return sample->p99_ms;
    }
}

static void
draw_series (TroupeLoadGraph *self,
             cairo_t         *cr,
             const Box       *plot,
             double           scale,
             guint            series,
             const GdkRGBA   *color)
{
  double first_x = 0, last_x = 0;
  gboolean started = FALSE;

  if (self->samples->len == 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, plot->x, plot->y, plot->width, plot->height);
  cairo_clip (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < self->samples->len; i++)
    {
      const TroupeLoadSample *sample = &g_array_index (self->samples, TroupeLoadSample, i);
      double x = time_to_x (self, plot, sample->time);
      double y = plot->y + plot->height - MIN (sample_value (sample, series) / scale, 1.0) *
                                          (plot->height - 1);

      if (!started)
        {
          cairo_move_to (cr, x, y);
          first_x = x;
          started = TRUE;
        }
      else
        cairo_line_to (cr, x, y);
      last_x = x;
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, LINE_WIDTH);
  set_source (cr, color, 1);
  if (series == 0)
    {
      /* The rate is filled below its line, as System Monitor fills its network graph. */
      cairo_stroke_preserve (cr);
      cairo_line_to (cr, last_x, plot->y + plot->height);
      cairo_line_to (cr, first_x, plot->y + plot->height);
      cairo_close_path (cr);
      set_source (cr, color, 0.15);
      cairo_fill (cr);
    }
  else
    cairo_stroke (cr);
  cairo_restore (cr);
}

/* The percentiles' key, right-aligned on the panel's title line. */
static void
draw_legend (TroupeLoadGraph *self,
             cairo_t         *cr,
             double           right,
             double           y,
             const GdkRGBA   *foreground)
{
  static const char *names[] = { "p99", "p90", "p50" };
  const GdkRGBA *colors[] = { &p99_color, &p90_color, &p50_color };
  double x = right;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int width, height;

      text_size (self, names[i], TRUE, &width, &height);
      set_source (cr, foreground, 0.75);
      draw_text (self, cr, names[i], x, y, 1, TRUE, FALSE);
      x -= width + 6;
      set_source (cr, colors[i], 1);
      cairo_arc (cr, x - 4, y, 4, 0, 2 * G_PI);
      cairo_fill (cr);
      x -= 8 + 14;
    }
}

static const TroupeLoadSample *
sample_at (TroupeLoadGraph *self,
           const Box       *plot,
           double           x)
{
  const TroupeLoadSample *nearest = NULL;
  double nearest_distance = G_MAXDOUBLE;

  if (x < plot->x || x > plot->x + plot->width)
    return NULL;
  for (guint i = 0; i < self->samples->len; i++)
    {
      const TroupeLoadSample *sample = &g_array_index (self->samples, TroupeLoadSample, i);
      double distance = fabs (time_to_x (self, plot, sample->time) - x);

      if (distance < nearest_distance)
        {
          nearest = sample;
          nearest_distance = distance;
        }
    }
  return nearest;
}

static char *
format_readout (TroupeLoadGraph        *self,
                const TroupeLoadSample *sample)
{
  double ago = (double) (newest_time (self) - sample->time) / G_USEC_PER_SEC;
  g_autofree char *rate = troupe_load_graph_format_rate (sample->requests_per_second);
  g_autofree char *p50 = troupe_load_graph_format_latency (sample->p50_ms);
  g_autofree char *p90 = troupe_load_graph_format_latency (sample->p90_ms);
  g_autofree char *p99 = troupe_load_graph_format_latency (sample->p99_ms);
  g_autofree char *when = ago < 0.05 ? g_strdup (_("Latest"))
                                     /* Translators: how long ago a load report came */
                                     : g_strdup_printf (_("%.1f s ago"), ago);

  /* Translators: the values under the pointer on the load graph, one a line */
  return g_strdup_printf (_("%s\nRequests: %s\np50: %s\np90: %s\np99: %s"),
                          when, rate, p50, p90, p99);
}

static void
draw_readout (TroupeLoadGraph *self,
              cairo_t         *cr,
              const Box       *rate_plot,
              const Box       *latency_plot,
              const GdkRGBA   *foreground)
{
  const TroupeLoadSample *sample = sample_at (self, rate_plot, self->hover_x);
  const GdkRGBA *colors[] = { &rate_color, &p50_color, &p90_color, &p99_color };
  double rate_scale = nice_ceiling (max_over (self, FALSE), MIN_RATE_SCALE);
  double latency_scale = nice_ceiling (max_over (self, TRUE), MIN_LATENCY_SCALE_MS);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  int width, height;
  double x, box_x, box_y;

  if (sample == NULL)
    return;
  x = round (time_to_x (self, rate_plot, sample->time)) + 0.5;

  set_source (cr, foreground, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, rate_plot->y);
  cairo_line_to (cr, x, rate_plot->y + rate_plot->height);
  cairo_move_to (cr, x, latency_plot->y);
  cairo_line_to (cr, x, latency_plot->y + latency_plot->height);
  cairo_stroke (cr);

  for (guint series = 0; series < 4; series++)
    {
      const Box *plot = series == 0 ? rate_plot : latency_plot;
      double scale = series == 0 ? rate_scale : latency_scale;
      double y = plot->y + plot->height - MIN (sample_value (sample, series) / scale, 1.0) *
                                          (plot->height - 1);

      set_source (cr, colors[series], 1);
      cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* A card beside the line, on whichever side has room. */
  text = format_readout (self, sample);
  layout = create_layout (self, text, TRUE, FALSE);
  pango_layout_get_pixel_size (layout, &width, &height);
  box_x = x + 10;
  if (box_x + width + 16 > rate_plot->x + rate_plot->width)
    box_x = x - 10 - width - 16;
  box_y = rate_plot->y + 8;

  cairo_new_path (cr);
  cairo_arc (cr, box_x + 6, box_y + 6, 6, G_PI, 1.5 * G_PI);
  cairo_arc (cr, box_x + width + 16 - 6, box_y + 6, 6, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, box_x + width + 16 - 6, box_y + height + 12 - 6, 6, 0, 0.5 * G_PI);
  cairo_arc (cr, box_x + 6, box_y + height + 12 - 6, 6, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.14, 0.14, 0.14, 0.88);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_move_to (cr, box_x + 8, box_y + 6);
  pango_cairo_show_layout (cr, layout);
}

static void
troupe_load_graph_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TroupeLoadGraph *self = TROUPE_LOAD_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double rate_scale = nice_ceiling (max_over (self, FALSE), MIN_RATE_SCALE);
  double latency_scale = nice_ceiling (max_over (self, TRUE), MIN_LATENCY_SCALE_MS);
  g_autofree char *widest_rate = format_scale_value (rate_scale, FALSE);
  g_autofree char *widest_latency = format_scale_value (latency_scale * 3 / 4, TRUE);
  int label_width, label_height, other_width, title_height, unused;
  int seconds = shown_seconds (self);
  int step;
  GdkRGBA foreground;
  Box rate_plot, latency_plot;
  double panel_height, axis_width, title_line;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  get_foreground (self, &foreground);
  text_size (self, widest_rate, TRUE, &label_width, &label_height);
  text_size (self, widest_latency, TRUE, &other_width, &unused);
  text_size (self, "Xy", FALSE, &unused, &title_height);
  axis_width = MAX (label_width, other_width) + 10;
  title_line = title_height + 8;

  panel_height = (height - 2 * PADDING - PANEL_GAP - (label_height + 6)) / 2;
  rate_plot = (Box) { PADDING + axis_width, PADDING + title_line,
                      width - 2 * PADDING - axis_width, panel_height - title_line };
  latency_plot = rate_plot;
  latency_plot.y = rate_plot.y + panel_height + PANEL_GAP;
  if (rate_plot.width < 40 || rate_plot.height < 20)
    return;
  self->rate_plot = rate_plot;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  set_source (cr, &foreground, 0.9);
  draw_text (self, cr, _("Requests per Second"), rate_plot.x, rate_plot.y - title_line / 2, 0,
             FALSE, TRUE);
  draw_text (self, cr, _("Latency"), latency_plot.x, latency_plot.y - title_line / 2, 0,
             FALSE, TRUE);
  draw_legend (self, cr, latency_plot.x + latency_plot.width, latency_plot.y - title_line / 2,
               &foreground);

  draw_grid (self, cr, &rate_plot, &foreground, rate_scale, FALSE);
  draw_grid (self, cr, &latency_plot, &foreground, latency_scale, TRUE);
  draw_series (self, cr, &rate_plot, rate_scale, 0, &rate_color);
  draw_series (self, cr, &latency_plot, latency_scale, 1, &p50_color);
  draw_series (self, cr, &latency_plot, latency_scale, 2, &p90_color);
  draw_series (self, cr, &latency_plot, latency_scale, 3, &p99_color);

  /* The time axis, under the lower panel: seconds before the newest report. */
  step = time_step (self, &latency_plot);
  set_source (cr, &foreground, 0.6);
  for (int second = 0; second <= seconds; second += step)
    {
      /* Translators: seconds before now, on the load graph's time axis */
      g_autofree char *label = second == seconds ? g_strdup_printf (_("%d s ago"), second)
                                                 : g_strdup_printf (_("%d s"), second);
      double x = latency_plot.x + latency_plot.width - latency_plot.width * second / seconds;

      draw_text (self, cr, label, x, latency_plot.y + latency_plot.height + 4 + label_height / 2.0,
                 second == 0 ? 1 : second == seconds ? 0 : 0.5, TRUE, FALSE);
    }

  if (self->hover_x >= 0)
    draw_readout (self, cr, &rate_plot, &latency_plot, &foreground);

  cairo_destroy (cr);
}

static void
troupe_load_graph_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 560;
    }
  else
    {
      *minimum = 300;
      *natural = 360;
    }
}

static void
on_motion (TroupeLoadGraph *self,
           double           x,
           double           y)
{
  troupe_load_graph_set_hover_x (self, x);
}

static void
on_leave (TroupeLoadGraph *self)
{
  troupe_load_graph_set_hover_x (self, -1);
}

static void
troupe_load_graph_finalize (GObject *object)
{
  TroupeLoadGraph *self = (TroupeLoadGraph *) object;

  g_array_unref (self->samples);

  G_OBJECT_CLASS (troupe_load_graph_parent_class)->finalize (object);
}

static void
troupe_load_graph_class_init (TroupeLoadGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = troupe_load_graph_finalize;
  widget_class->snapshot = troupe_load_graph_snapshot;
  widget_class->measure = troupe_load_graph_measure;
  gtk_widget_class_set_css_name (widget_class, "loadgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
troupe_load_graph_init (TroupeLoadGraph *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->samples = g_array_new (FALSE, FALSE, sizeof (TroupeLoadSample));
  self->span = TROUPE_LOAD_GRAPH_DEFAULT_SPAN_SECONDS * G_USEC_PER_SEC;
  self->hover_x = -1;

  g_signal_connect_swapped (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Load Graph"),
                                  -1);
}

GtkWidget *
troupe_load_graph_new (void)
{
  return g_object_new (TROUPE_TYPE_LOAD_GRAPH, NULL);
}

/**
 * troupe_load_graph_add_sample:
 * @sample: a report newer than the last one
 *
 * Adds @sample at the right edge; reports older than the span are let go.
 */
void
troupe_load_graph_add_sample (TroupeLoadGraph        *self,
                              const TroupeLoadSample *sample)
{
  guint old = 0;

  g_return_if_fail (TROUPE_IS_LOAD_GRAPH (self));
  g_return_if_fail (sample != NULL);

  g_array_append_val (self->samples, *sample);
  /* One report just beyond the left edge stays, so the line reaches it. */
  while (old + 1 < self->samples->len &&
         g_array_index (self->samples, TroupeLoadSample, old + 1).time <
           sample->time - self->span)
    old++;
  if (old > 0)
    g_array_remove_range (self->samples, 0, old);

  {
    g_autofree char *description = format_readout (self, sample);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * troupe_load_graph_clear:
 *
 * Forgets every report, for another test.
 */
void
troupe_load_graph_clear (TroupeLoadGraph *self)
{
  g_return_if_fail (TROUPE_IS_LOAD_GRAPH (self));
  g_array_set_size (self->samples, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * troupe_load_graph_get_n_samples:
 *
 * Returns: how many reports the graph holds (those within its span)
 */
guint
troupe_load_graph_get_n_samples (TroupeLoadGraph *self)
{
  g_return_val_if_fail (TROUPE_IS_LOAD_GRAPH (self), 0);
  return self->samples->len;
}

/**
 * troupe_load_graph_get_latest:
 *
 * Returns: (nullable): the newest report
 */
const TroupeLoadSample *
troupe_load_graph_get_latest (TroupeLoadGraph *self)
{
  g_return_val_if_fail (TROUPE_IS_LOAD_GRAPH (self), NULL);
  return self->samples->len > 0
           ? &g_array_index (self->samples, TroupeLoadSample, self->samples->len - 1)
           : NULL;
}

/**
 * troupe_load_graph_set_hover_x:
 * @x: where the pointer is, across the graph, or -1 for nowhere
 *
 * Shows the values of the report nearest to @x, as the pointer does.
 */
void
troupe_load_graph_set_hover_x (TroupeLoadGraph *self,
                               double           x)
{
  g_return_if_fail (TROUPE_IS_LOAD_GRAPH (self));
  if (self->hover_x == x)
    return;
  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * troupe_load_graph_dup_readout:
 *
 * Returns: (transfer full) (nullable): what the readout says for the report
 *   under the pointer, %NULL when the pointer is away or over no report
 */
char *
troupe_load_graph_dup_readout (TroupeLoadGraph *self)
{
  const TroupeLoadSample *sample;

  g_return_val_if_fail (TROUPE_IS_LOAD_GRAPH (self), NULL);
  if (self->hover_x < 0 || self->samples->len == 0)
    return NULL;
  sample = sample_at (self, &self->rate_plot, self->hover_x);
  return sample != NULL ? format_readout (self, sample) : NULL;
}
