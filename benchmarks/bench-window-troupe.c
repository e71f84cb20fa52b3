/* bench-window-troupe.c: the real window showing a child that writes as fast as it can
 *
 * Opens Troupe's window (the app itself, not a copy of its widgets) and runs the
 * line generator in it, then measures what a user would feel:
 *
 *   - throughput: bytes from spawn until the window shows the last line;
 *   - the main loop's longest stall: the longest time between two iterations,
 *     that is, the longest stretch in which no input could have been handled.
 *     A source of the highest priority notes when polling ends (check) and
 *     when the next iteration begins (prepare); the difference is the time
 *     spent dispatching. It adds no wakeups of its own.
 *   - frames: paints of the window's frame clock while output flows, and the
 *     longest gap between two of them;
 *   - then, on a second job with a log of N_JUMP_LINES: the time from clicking
 *     "Jump to End" (scrolled to the top) until the end is painted, and the
 *     time to search the whole log for text that is nowhere in it.
 *
 * Usage: bench-window-troupe GENERATOR FLOOD_LINES JUMP_LINES
 * Prints one line of KEY=VALUE pairs. With TROUPE_BENCH_TRACE set, it also
 * prints each stall over 20 ms, with its time, to stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "troupe-application.h"
#include "troupe-window.h"

#define LINE_BYTES 80
#define NEEDLE     "not in any line"

static gint64 trace_origin;

typedef struct
{
  GSource  source;
  gint64   last_check;
  gint64   longest;
  gboolean measuring;
} StallSource;

static gboolean
stall_prepare (GSource *source,
               int     *timeout)
{
  StallSource *stall = (StallSource *) source;
  gint64 now = g_get_monotonic_time ();

  if (stall->measuring && stall->last_check != 0)
    {
      if (g_getenv ("TROUPE_BENCH_TRACE") != NULL && now - stall->last_check > 20000)
        g_printerr ("stall %.1f ms at %.3f s (%.6f)\n", (now - stall->last_check) / 1000.0,
                    (now - trace_origin) / 1e6, now / 1e6);
      stall->longest = MAX (stall->longest, now - stall->last_check);
    }
  *timeout = -1;
  return FALSE;
}

static gboolean
stall_check (GSource *source)
{
  ((StallSource *) source)->last_check = g_get_monotonic_time ();
  return FALSE;
}

static GSourceFuncs stall_funcs = { stall_prepare, stall_check, NULL, NULL, NULL, NULL };

typedef struct
{
  guint   paints;
  gint64  last_paint;
  gint64  longest_gap;
  gboolean measuring;
} FrameCount;

static void
on_after_paint (GdkFrameClock *clock,
                FrameCount    *frames)
{
  gint64 now = g_get_monotonic_time ();

  if (!frames->measuring)
    return;
  if (frames->last_paint != 0)
    frames->longest_gap = MAX (frames->longest_gap, now - frames->last_paint);
  frames->last_paint = now;
  frames->paints++;
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
timed_out (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out, &done);
  iterate_until (is_true, &done);
}

typedef struct
{
  TroupeWindow  *window;
  TroupeProcess *process;
  guint          n_lines;
} ShownWait;

/* The whole log is in and the window has painted a frame showing its end. */
static gboolean
end_is_shown (gpointer data)
{
  ShownWait *wait = data;
  TroupeJobView *view = troupe_window_get_job_view (wait->window);
  TroupeLog *log = troupe_process_get_log (wait->process);

  return !troupe_process_is_running (wait->process) &&
         troupe_log_get_n_lines (log, TROUPE_LINES_ALL) == wait->n_lines &&
         troupe_job_view_get_n_shown (view) == wait->n_lines &&
         troupe_job_view_get_following (view);
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *tooltip)
{
  /* A drop-down's list sits in a popover that is not shown. */
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (tooltip == NULL || g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static TroupeProcess *
run_generator (TroupeApplication *app,
               TroupeWindow      *window,
               const char        *generator,
               guint              n_lines)
{
  g_autofree char *count = g_strdup_printf ("%u", n_lines);
  const char *argv[] = { generator, count, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(GError) error = NULL;
  TroupeProcess *process;

  process = troupe_session_run (troupe_application_get_session (app), command, &error);
  if (process == NULL)
    {
      g_printerr ("bench-window-troupe: %s\n", error->message);
      exit (1);
    }
  troupe_window_select_job (window, process);
  return process;
}

typedef struct
{
  GtkAdjustment *adjustment;
  guint          paints_at_start;
  FrameCount    *frames;
} BottomWait;

static gboolean
bottom_is_painted (gpointer data)
{
  BottomWait *wait = data;
  double bottom = gtk_adjustment_get_upper (wait->adjustment) -
                  gtk_adjustment_get_page_size (wait->adjustment);

  return gtk_adjustment_get_value (wait->adjustment) >= bottom - 1 &&
         wait->frames->paints > wait->paints_at_start + 1;
}

static gboolean
search_is_done (gpointer data)
{
  TroupeJobView *view = data;
  TroupeLogSearch *search = troupe_job_view_get_search (view);

  return search != NULL && g_str_equal (troupe_log_search_get_needle (search), NEEDLE) &&
         troupe_log_search_is_finished (search);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TroupeApplication) app = NULL;
  StallSource *stall;
  FrameCount frames = { 0 };
  TroupeWindow *window;
  TroupeProcess *flood, *jumper;
  ShownWait shown;
  BottomWait bottom;
  GtkWidget *scroller, *jump_button, *entry;
  TroupeJobView *view;
  guint flood_lines, jump_lines;
  gint64 start, end, jump_start, jump_end, search_start, search_end;
  double seconds, megabytes;

  if (argc != 4)
    {
      g_printerr ("usage: %s GENERATOR FLOOD_LINES JUMP_LINES\n", argv[0]);
      return 2;
    }
  flood_lines = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  jump_lines = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  app = troupe_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  g_application_activate (G_APPLICATION (app));
  window = TROUPE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  wait_ms (500);

  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &frames);
  stall = (StallSource *) g_source_new (&stall_funcs, sizeof (StallSource));
  g_source_set_priority ((GSource *) stall, G_PRIORITY_HIGH);
  g_source_set_static_name ((GSource *) stall, "[bench] stall meter");
  g_source_attach ((GSource *) stall, NULL);

  /* 1. The flood. */
  stall->measuring = TRUE;
  frames.measuring = TRUE;
  start = trace_origin = g_get_monotonic_time ();
  flood = run_generator (app, window, argv[1], flood_lines);
  shown = (ShownWait) { window, flood, flood_lines };
  iterate_until (end_is_shown, &shown);
  /* The frame that shows the end. */
  bottom = (BottomWait) { NULL, frames.paints, &frames };
  while (frames.paints == bottom.paints_at_start)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  stall->measuring = FALSE;
  frames.measuring = FALSE;

  seconds = (end - start) / (double) G_USEC_PER_SEC;
  megabytes = (double) flood_lines * LINE_BYTES / 1e6;
  printf ("mb=%.1f seconds=%.2f mb_per_s=%.1f longest_stall_ms=%.1f fps=%.1f "
          "longest_frame_gap_ms=%.1f ",
          megabytes, seconds, megabytes / seconds, stall->longest / 1000.0,
          frames.paints / seconds, frames.longest_gap / 1000.0);
  fflush (stdout);

  /* 2. Jump to the end of a long log, and search it. */
  jumper = run_generator (app, window, argv[1], jump_lines);
  shown = (ShownWait) { window, jumper, jump_lines };
  iterate_until (end_is_shown, &shown);
  wait_ms (300);

  view = troupe_window_get_job_view (window);
  scroller = find_widget (GTK_WIDGET (view), GTK_TYPE_LIST_VIEW, NULL);
  if (scroller != NULL)
    scroller = gtk_widget_get_ancestor (scroller, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL)
    {
      g_printerr ("bench-window-troupe: no output list\n");
      return 1;
    }
  bottom.adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* As a user would, scroll up again if the view was still settling at the end
   * (a move within a moment of its own scroll to the end is taken as settling). */
  for (guint attempt = 0; attempt < 10 && troupe_job_view_get_following (view); attempt++)
    {
      gtk_adjustment_set_value (bottom.adjustment, 0);
      wait_ms (300);
    }
  if (troupe_job_view_get_following (view))
    {
      g_printerr ("bench-window-troupe: scrolling to the top did not stop following\n");
      return 1;
    }
  jump_button = find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Jump to End");
  if (jump_button == NULL)
    {
      g_printerr ("bench-window-troupe: no Jump to End button\n");
      return 1;
    }

  frames.measuring = TRUE;
  stall->longest = 0;
  stall->measuring = TRUE;
  bottom.paints_at_start = frames.paints;
  jump_start = g_get_monotonic_time ();
  g_signal_emit_by_name (jump_button, "clicked");
  iterate_until (bottom_is_painted, &bottom);
  jump_end = g_get_monotonic_time ();

  troupe_job_view_start_search (view);
  wait_ms (100);
  entry = find_widget (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY, NULL);
  if (entry == NULL)
    {
      g_printerr ("bench-window-troupe: no search entry\n");
      return 1;
    }
  search_start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (entry), NEEDLE);
  iterate_until (search_is_done, view);
  search_end = g_get_monotonic_time ();
  stall->measuring = FALSE;

  printf ("jump_lines=%u jump_ms=%.1f search_ms=%.1f search_longest_stall_ms=%.1f "
          "search_mb_per_s=%.1f\n",
          jump_lines, (jump_end - jump_start) / 1000.0, (search_end - search_start) / 1000.0,
          stall->longest / 1000.0,
          (double) jump_lines * LINE_BYTES / 1e6 /
            ((search_end - search_start) / (double) G_USEC_PER_SEC));

  troupe_session_stop_all_sync (troupe_application_get_session (app));
  gtk_window_destroy (GTK_WINDOW (window));
  g_source_destroy ((GSource *) stall);
  g_source_unref ((GSource *) stall);
  return 0;
}
