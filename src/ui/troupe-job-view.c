/* troupe-job-view.c: one job: what it is, how it is doing, and everything it printed
 *
 * The output is a GtkListView over the run's TroupeLineModel, so only the rows
 * on screen exist, whatever the log's size. The view follows the end while the
 * user has not scrolled up; "Jump to End" brings it back. Lines are selected
 * whole, as rows (a multi-selection, which also marks the current search
 * match), and copied as the plain text they show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-ansi.h"
#include "troupe-format.h"
#include "troupe-job-view.h"
#include "troupe-line-model.h"
#include "troupe-log-search.h"

struct _TroupeJobView
{
  GtkWidget         parent_instance;

  TroupeProcess    *process;
  TroupeLineModel  *lines;
  GtkMultiSelection *selection;
  GCancellable     *copy_cancellable;
  TroupeLogSearch  *search;
  guint             current_match;
  guint             clock;
  gboolean          following;
  guint             follow_tick;
  gint64            last_auto_scroll;

  GtkLabel         *title_label;
  GtkLabel         *command_label;
  GtkLabel         *folder_label;
  GtkLabel         *status_label;
  GtkLabel         *pid_label;
  GtkLabel         *started_label;
  GtkLabel         *duration_label;
  GtkListView      *output_view;
  GtkScrolledWindow *output_scroller;
  GtkButton        *jump_button;
  GtkEntry         *stdin_entry;
  GtkButton        *eof_button;
  GtkButton        *stop_button;
  GtkButton        *kill_button;
  GtkSearchBar     *search_bar;
  GtkSearchEntry   *search_entry;
  GtkLabel         *match_label;
  GtkDropDown      *stream_dropdown;
  GtkToggleButton  *timestamps_button;
  GMenuModel       *output_menu_model;
  GtkPopover       *output_menu;
};

G_DEFINE_FINAL_TYPE (TroupeJobView, troupe_job_view, GTK_TYPE_WIDGET)

/* Where a job without a folder of its own runs: the app's own folder. */
static const char *
default_folder (void)
{
  static char *folder;

  if (folder == NULL)
    {
      g_autofree char *current = g_get_current_dir ();
      folder = g_filename_display_name (current);
    }
  return folder;
}

static void
update_header (TroupeJobView *self)
{
  TroupeCommand *command;
  g_autofree char *command_line = NULL;
  g_autofree char *status = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *started = NULL;
  g_autofree char *duration = NULL;
  GDateTime *started_at;
  gboolean running;

  if (self->process == NULL)
    return;

  command = troupe_process_get_command (self->process);
  command_line = troupe_command_to_display_string (command);
  status = troupe_process_dup_status_text (self->process);
  duration = troupe_format_duration (troupe_process_get_duration (self->process));
  started_at = troupe_process_get_started_at (self->process);
  started = started_at != NULL ? g_date_time_format (started_at, "%X") : g_strdup ("—");
  pid = troupe_process_get_pid (self->process) > 0
          ? g_strdup_printf ("%d", troupe_process_get_pid (self->process))
          : g_strdup ("—");

  gtk_label_set_text (self->title_label, troupe_process_get_name (self->process));
  gtk_label_set_text (self->command_label, command_line);
  gtk_label_set_text (self->folder_label, troupe_command_get_cwd (command) != NULL
                                            ? troupe_command_get_cwd (command)
                                            : default_folder ());
  gtk_label_set_text (self->status_label, status);
  gtk_label_set_text (self->pid_label, pid);
  gtk_label_set_text (self->started_label, started);
  gtk_label_set_text (self->duration_label, duration);

  running = troupe_process_is_running (self->process);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stdin_entry),
                            running && troupe_process_is_stdin_open (self->process));
  gtk_widget_set_sensitive (GTK_WIDGET (self->eof_button),
                            running && troupe_process_is_stdin_open (self->process));
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button),
                            troupe_process_is_group_alive (self->process));
  gtk_widget_set_sensitive (GTK_WIDGET (self->kill_button),
                            troupe_process_is_group_alive (self->process));
}

static gboolean
on_clock (gpointer user_data)
{
  update_header (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (TroupeJobView *self)
{
  update_header (self);
  if (troupe_process_has_ended (self->process))
    g_clear_handle_id (&self->clock, g_source_remove);
  else if (self->clock == 0)
    self->clock = g_timeout_add (250, on_clock, self);
}

/* Output rows: one label each, stdout and stderr told apart by colour and, for
 * assistive technologies, by a description. */
static void
setup_line (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TroupeJobView *self = user_data;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* GtkInscription rather than GtkLabel: it takes its size from a number of
   * characters and lines instead of laying out its text to measure it, so a
   * frame that brings a screenful of new lines lays each one out only once,
   * to draw it. Under a child that floods its output that is most of the
   * frame's cost. */
  GtkWidget *time = gtk_inscription_new (NULL);
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_widget_add_css_class (row, "output-line");
  gtk_widget_add_css_class (time, "output-time");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_inscription_set_xalign (GTK_INSCRIPTION (time), 1);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (time), 10);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (time), 10);
  g_object_bind_property (self->timestamps_button, "active", time, "visible",
                          G_BINDING_SYNC_CREATE);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 0);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (label), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (label), 1);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);

  gtk_box_append (GTK_BOX (row), time);
  gtk_box_append (GTK_BOX (row), label);
  gtk_list_item_set_child (item, row);
  /* A right click finds the line it is on through its row. */
  g_object_set_data (G_OBJECT (row), "troupe-list-item", item);
}

static void
teardown_line (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row != NULL)
    g_object_set_data (G_OBJECT (row), "troupe-list-item", NULL);
}

static void
colour_to_pango (gint32  colour,
                 guint16 *red,
                 guint16 *green,
                 guint16 *blue)
{
  guint32 rgb = colour & TROUPE_ANSI_RGB_FLAG ? (guint32) colour & 0xffffff
                                              : troupe_ansi_palette_rgb (colour);

  *red = ((rgb >> 16) & 0xff) * 257;
  *green = ((rgb >> 8) & 0xff) * 257;
  *blue = (rgb & 0xff) * 257;
}

/* Shows a line's SGR colours and weights; other escape codes are left out. */
static void
set_line_text (GtkInscription *label,
               const char     *text)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *plain = NULL;
  PangoAttrList *attributes;

  if (!troupe_ansi_has_escapes (text))
    {
      gtk_inscription_set_attributes (label, NULL);
      gtk_inscription_set_text (label, text);
      return;
    }

  plain = troupe_ansi_parse (text, &spans);
  attributes = pango_attr_list_new ();
  for (guint i = 0; i < spans->len; i++)
    {
      const TroupeAnsiSpan *span = &g_array_index (spans, TroupeAnsiSpan, i);
      gint32 foreground = span->inverse ? span->background : span->foreground;
      gint32 background = span->inverse ? span->foreground : span->background;
      PangoAttribute *attribute;
      guint16 red, green, blue;

#define ADD(make)                                       \
      G_STMT_START {                                    \
        attribute = (make);                             \
        attribute->start_index = span->start;           \
        attribute->end_index = span->end;               \
        pango_attr_list_insert (attributes, attribute); \
      } G_STMT_END

      if (foreground != TROUPE_ANSI_DEFAULT)
        {
          colour_to_pango (foreground, &red, &green, &blue);
          ADD (pango_attr_foreground_new (red, green, blue));
        }
      if (background != TROUPE_ANSI_DEFAULT)
        {
          colour_to_pango (background, &red, &green, &blue);
          ADD (pango_attr_background_new (red, green, blue));
        }
      if (span->bold)
        ADD (pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      if (span->dim)
        ADD (pango_attr_foreground_alpha_new (0x9999));
      if (span->italic)
        ADD (pango_attr_style_new (PANGO_STYLE_ITALIC));
      if (span->underline)
        ADD (pango_attr_underline_new (PANGO_UNDERLINE_SINGLE));
#undef ADD
    }
  gtk_inscription_set_text (label, plain);
  gtk_inscription_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

static void
bind_line (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  TroupeJobView *self = user_data;
  TroupeLine *line = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *time = gtk_widget_get_first_child (row);
  GtkWidget *label = gtk_widget_get_next_sibling (time);
  gboolean is_stderr = troupe_line_get_stream (line) == TROUPE_STREAM_STDERR;
  gint64 since_start = self->process != NULL
                         ? troupe_line_get_time (line) - troupe_process_get_start_time (self->process)
                         : 0;
  char stamp[32];

  /* Seconds since the job started, to the millisecond. */
  g_snprintf (stamp, sizeof stamp, "+%.3f", MAX (since_start, 0) / (double) G_USEC_PER_SEC);
  gtk_inscription_set_text (GTK_INSCRIPTION (time), stamp);
  set_line_text (GTK_INSCRIPTION (label), troupe_line_get_text (line));
  if (is_stderr)
    gtk_widget_add_css_class (label, "stderr");
  else
    gtk_widget_remove_css_class (label, "stderr");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  is_stderr ? _("Standard error") : _("Standard output"),
                                  -1);
}

static GtkAdjustment *
output_adjustment (TroupeJobView *self)
{
  return gtk_scrolled_window_get_vadjustment (self->output_scroller);
}

/* The list view keeps its first visible row in place as rows are added, so
 * following the end means asking it to show the last row, once per frame. */
static gboolean
on_follow_tick (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  TroupeJobView *self = user_data;
  guint n = self->lines != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->lines)) : 0;

  self->follow_tick = 0;
  if (self->following && n > 0)
    {
      self->last_auto_scroll = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (self->output_view), "list.scroll-to-item", "u",
                                  n - 1);
    }
  return G_SOURCE_REMOVE;
}

static void
scroll_to_end (TroupeJobView *self)
{
  if (self->follow_tick == 0)
    self->follow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->output_view),
                                                      on_follow_tick, self, NULL);
}

static void
set_following (TroupeJobView *self,
               gboolean       following)
{
  self->following = following;
  gtk_widget_set_visible (GTK_WIDGET (self->jump_button), !following);
}

/* New lines, or a new size: stay at the end if we were. */
static void
on_upper_changed (TroupeJobView *self)
{
  GtkAdjustment *adjustment = output_adjustment (self);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Already at the end: nothing to do (and no frame to ask for). */
  if (self->following && gtk_adjustment_get_value (adjustment) < bottom - 1)
    scroll_to_end (self);
}

static void
on_value_changed (TroupeJobView *self)
{
  GtkAdjustment *adjustment = output_adjustment (self);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gboolean at_end = gtk_adjustment_get_value (adjustment) >= bottom - 1;

  /* The list view moves while it settles after our own scroll to the end;
   * only a move away from the end that we did not make is the user's. */
  if (!at_end && g_get_monotonic_time () - self->last_auto_scroll < G_USEC_PER_SEC / 4)
    return;
  /* Scrolling up stops following; scrolling back to the end resumes it. */
  set_following (self, at_end);
}

static void
on_jump_clicked (TroupeJobView *self)
{
  set_following (self, TRUE);
  scroll_to_end (self);
}

static void
on_stdin_activate (TroupeJobView *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->stdin_entry));

  if (self->process == NULL)
    return;
  if (troupe_process_write_line (self->process, text, &error))
    gtk_editable_set_text (GTK_EDITABLE (self->stdin_entry), "");
  else
    gtk_widget_error_bell (GTK_WIDGET (self->stdin_entry));
}

static void
on_stop_clicked (TroupeJobView *self)
{
  if (self->process != NULL)
    troupe_process_stop (self->process);
}

static void
on_kill_clicked (TroupeJobView *self)
{
  if (self->process != NULL)
    troupe_process_kill (self->process, NULL);
}

static void
on_eof_clicked (TroupeJobView *self)
{
  if (self->process != NULL)
    troupe_process_close_stdin (self->process);
  update_header (self);
}

static void
update_match_label (TroupeJobView *self)
{
  g_autofree char *text = NULL;
  guint n;

  if (self->search == NULL)
    {
      gtk_label_set_text (self->match_label, "");
      return;
    }

  n = troupe_log_search_get_n_matches (self->search);
  if (n == 0)
    text = g_strdup (troupe_log_search_is_finished (self->search) ? _("No matches")
                                                                   : _("Searching…"));
  else if (self->current_match < n)
    /* Translators: the current search match, and how many there are */
    text = g_strdup_printf (_("%u of %u"), self->current_match + 1, n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  gtk_label_set_text (self->match_label, text);
}

static void
show_match (TroupeJobView *self,
            guint          index)
{
  guint position;

  self->current_match = index;
  update_match_label (self);
  if (self->search == NULL || index >= troupe_log_search_get_n_matches (self->search))
    return;

  troupe_line_model_flush (self->lines);
  position = troupe_line_model_find_position (self->lines,
                                              troupe_log_search_get_match (self->search, index));
  if (position == G_MAXUINT)
    return;
  /* The match becomes the selection, as Find does in a text editor. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->output_view), "list.scroll-to-item", "u",
                              position);
}

static void
on_search_changed (TroupeJobView *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  g_clear_object (&self->search);
  /* The match shown was the selection; a new search drops it, and leaves a
   * selection the user made alone. */
  if (self->current_match != G_MAXUINT && self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->current_match = G_MAXUINT;

  if (self->lines != NULL && needle[0] != '\0')
    {
      self->search = troupe_log_search_new (troupe_line_model_get_log (self->lines), needle);
      g_signal_connect_swapped (self->search, "changed", G_CALLBACK (update_match_label), self);
    }
  update_match_label (self);
}

static void
step_match (TroupeJobView *self,
            int            direction)
{
  guint n;

  if (self->search == NULL || (n = troupe_log_search_get_n_matches (self->search)) == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->search_entry));
      return;
    }
  if (self->current_match >= n)
    show_match (self, direction > 0 ? 0 : n - 1);
  else
    show_match (self, (self->current_match + n + direction) % n);
}

static void
on_next_match (TroupeJobView *self)
{
  step_match (self, 1);
}

static void
on_previous_match (TroupeJobView *self)
{
  step_match (self, -1);
}

static void
on_stream_selected (TroupeJobView *self)
{
  static const TroupeLines choices[] = {
    TROUPE_LINES_ALL, TROUPE_LINES_STDOUT, TROUPE_LINES_STDERR
  };
  guint selected = gtk_drop_down_get_selected (self->stream_dropdown);

  if (self->lines == NULL || selected >= G_N_ELEMENTS (choices))
    return;
  troupe_line_model_set_lines (self->lines, choices[selected]);
  if (self->current_match != G_MAXUINT)
    show_match (self, self->current_match);
}

static void
on_clear_clicked (TroupeJobView *self)
{
  if (self->lines != NULL)
    troupe_line_model_clear (self->lines);
  /* Nothing cleared away stays selected, to be copied unseen. */
  if (self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

/* Copying is capped at COPY_MAX_LINES lines or COPY_MAX_BYTES bytes of the
 * log, whichever comes first: a selection can be a log of ten million lines,
 * and a clipboard of more than this is more than another app takes in usefully,
 * while gathering it would keep the window busy. The user is told, and offered
 * Export Log…, which writes the whole log to a file. The first line selected is
 * always copied: no line is longer than the byte cap. */
#define COPY_MAX_LINES 100000
#define COPY_MAX_BYTES (64 * 1024 * 1024)

G_STATIC_ASSERT (TROUPE_LOG_MAX_LINE_BYTES + 2 <= COPY_MAX_BYTES);

/* Cancelled copies stop within this many lines. */
#define COPY_CHECK_INTERVAL 4096

typedef struct
{
  guint64 start;
  guint64 end;
} SpoolRange;

typedef struct
{
  guint block;   /* which of CopyJob's blocks holds the line */
  gsize start;   /* where in it */
  gsize length;  /* as in the spool, line end included */
} CopyLine;

typedef struct
{
  GPtrArray *blocks;  /* GBytes: stretches of the spool, as read */
  GArray    *lines;   /* CopyLine, in order */
  gsize      n_bytes;
  gboolean   capped;  /* more lines were selected than are copied */
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_ptr_array_unref (job->blocks);
  g_array_unref (job->lines);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CopyJob, copy_job_free)

static void
show_toast (TroupeJobView *self,
            AdwToast      *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* Toast titles are Pango markup: text from elsewhere is escaped. */
static void
show_error_toast (TroupeJobView *self,
                  const GError  *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not copy the lines: %s"), error->message);
  g_autofree char *markup = g_markup_escape_text (message, -1);

  show_toast (self, adw_toast_new (markup));
}

/* Reads the selected lines' bytes, up to the caps. Lines next to each other in
 * the spool are read together, so a range of lines is one read. The log is
 * only read on the main thread, where it lives; turning the bytes into text,
 * the longer part, is left to a worker. */
static CopyJob *
gather_selected_lines (TroupeJobView  *self,
                       GError        **error)
{
  g_autoptr(CopyJob) job = g_new0 (CopyJob, 1);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (SpoolRange));
  TroupeLog *log = troupe_line_model_get_log (self->lines);
  TroupeLines lines = troupe_line_model_get_lines (self->lines);
  GtkBitsetIter iter;
  guint position;
  guint base;
  gboolean more;

  job->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  job->lines = g_array_new (FALSE, FALSE, sizeof (CopyLine));

  /* Once every line is announced, the model shows the last of the log's
   * `lines`: that is where its positions start among them. Announcing adds
   * rows at the end, which leaves the selection as it is. */
  troupe_line_model_flush (self->lines);
  base = troupe_log_get_n_lines (log, lines) -
         g_list_model_get_n_items (G_LIST_MODEL (self->lines));

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      TroupeLineInfo info;
      CopyLine line;
      SpoolRange *range;

      if (job->lines->len == COPY_MAX_LINES)
        break;
      if (!troupe_log_get_line_info (log, lines, base + position, &info))
        {
          /* Past the log's end: nothing more to copy, and nothing left out. */
          more = FALSE;
          break;
        }
      if (job->lines->len > 0 && job->n_bytes + info.length > COPY_MAX_BYTES)
        break;

      range = ranges->len > 0 ? &g_array_index (ranges, SpoolRange, ranges->len - 1) : NULL;
      if (range == NULL || range->end != info.offset)
        {
          SpoolRange next = { info.offset, info.offset };

          g_array_append_val (ranges, next);
          range = &g_array_index (ranges, SpoolRange, ranges->len - 1);
        }
      line.block = ranges->len - 1;
      line.start = info.offset - range->start;
      line.length = info.length;
      range->end = info.offset + info.length;
      job->n_bytes += info.length;
      g_array_append_val (job->lines, line);
    }
  job->capped = more;

  for (guint i = 0; i < ranges->len; i++)
    {
      const SpoolRange *range = &g_array_index (ranges, SpoolRange, i);
      gsize length = range->end - range->start;
      g_autofree guint8 *data = g_malloc (length);

      if (!troupe_log_read_bytes (log, range->start, length, data, error))
        return NULL;
      g_ptr_array_add (job->blocks, g_bytes_new_take (g_steal_pointer (&data), length));
    }
  return g_steal_pointer (&job);
}

/* On a worker thread: the lines as their rows show them, without line ends,
 * as valid UTF-8, without escape codes, one a line. */
static void
copy_text_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CopyJob *job = task_data;
  GString *text = g_string_sized_new (job->n_bytes + 1);

  for (guint i = 0; i < job->lines->len; i++)
    {
      const CopyLine *line = &g_array_index (job->lines, CopyLine, i);
      g_autofree char *shown = NULL;
      const guint8 *data = (const guint8 *) "";
      gsize length = line->length;

      if (i % COPY_CHECK_INTERVAL == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_string_free (text, TRUE);
          g_task_return_error_if_cancelled (task);
          return;
        }

      if (length > 0)
        data = (const guint8 *) g_bytes_get_data (g_ptr_array_index (job->blocks, line->block),
                                                  NULL) + line->start;
      if (length > 0 && data[length - 1] == '\n')
        {
          length--;
          if (length > 0 && data[length - 1] == '\r')
            length--;
        }
      shown = troupe_text_from_output (data, length);
      if (troupe_ansi_has_escapes (shown))
        {
          g_autoptr(GArray) spans = NULL;
          g_autofree char *plain = troupe_ansi_parse (shown, &spans);

          g_string_append (text, plain);
        }
      else
        g_string_append (text, shown);
      if (i + 1 < job->lines->len)
        g_string_append_c (text, '\n');
    }
  g_task_return_pointer (task, g_string_free (text, FALSE), g_free);
}

static void
on_copy_ready (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TroupeJobView *self = TROUPE_JOB_VIEW (object);
  CopyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) == self->copy_cancellable)
    g_clear_object (&self->copy_cancellable);

  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_toast (self, error);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);

  if (job->capped)
    {
      guint n_copied = job->lines->len;
      g_autofree char *title = NULL;
      AdwToast *toast;

      /* Translators: %'u is how many lines were copied, e.g. 100,000 */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Only the first %'u line was copied",
                                            "Only the first %'u lines were copied", n_copied),
                               n_copied);
      toast = adw_toast_new (title);

      /* The whole log goes to a file instead. */
      adw_toast_set_action_name (toast, "win.export-log");
      adw_toast_set_button_label (toast, _("_Export Log…"));
      show_toast (self, toast);
    }
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TroupeJobView *self = TROUPE_JOB_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  CopyJob *job;

  if (self->selection == NULL)
    return;

  job = gather_selected_lines (self, &error);
  if (job == NULL)
    {
      show_error_toast (self, error);
      return;
    }
  if (job->lines->len == 0)
    {
      copy_job_free (job);
      return;
    }

  /* The latest copy is the one the clipboard gets. */
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  self->copy_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->copy_cancellable, on_copy_ready, NULL);
  g_task_set_source_tag (task, copy_action);
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);
  g_task_run_in_thread (task, copy_text_in_thread);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TroupeJobView *self = TROUPE_JOB_VIEW (widget);

  if (self->selection == NULL)
    return;
  /* All the lines there are, including those not announced yet. */
  troupe_line_model_flush (self->lines);
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
update_actions (TroupeJobView *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection != NULL)
    selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "output.copy",
                                 selected != NULL && !gtk_bitset_is_empty (selected));
  /* Lines not announced yet count too: Select All is there whenever a log is. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "output.select-all", self->selection != NULL);
}

/* Opens the output's menu at a point of the output view. */
static void
popup_output_menu (TroupeJobView *self,
                   double         x,
                   double         y)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self->output_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_popover_set_pointing_to (self->output_menu,
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (self->output_menu);
}

/* The list item whose row @widget is in, if any. */
static GtkListItem *
find_list_item (TroupeJobView *self,
                GtkWidget     *widget)
{
  for (; widget != NULL && widget != GTK_WIDGET (self->output_view);
       widget = gtk_widget_get_parent (widget))
    {
      GtkListItem *item = g_object_get_data (G_OBJECT (widget), "troupe-list-item");

      if (item != NULL)
        return item;
    }
  return NULL;
}

/* A right click (or a long press) on a line outside the selection selects that
 * line, as in a file manager; on the selection, it keeps it. */
static void
on_output_menu_pressed (GtkGesture    *gesture,
                        int            n_press,
                        double         x,
                        double         y,
                        TroupeJobView *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->output_view), x, y, GTK_PICK_DEFAULT);
  GtkListItem *item = find_list_item (self, picked);

  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->selection == NULL)
    return;
  if (item != NULL && !gtk_list_item_get_selected (item))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection),
                                     gtk_list_item_get_position (item), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->output_view));
  popup_output_menu (self, x, y);
}

static void
on_output_long_pressed (GtkGestureLongPress *gesture,
                        double               x,
                        double               y,
                        TroupeJobView       *self)
{
  on_output_menu_pressed (GTK_GESTURE (gesture), 1, x, y, self);
}

/* The Menu key, or Shift+F10: the menu opens at the line with the focus. */
static void
show_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TroupeJobView *self = TROUPE_JOB_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *output = GTK_WIDGET (self->output_view);
  graphene_rect_t bounds;

  if (self->selection == NULL)
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, output) &&
      gtk_widget_compute_bounds (focus, output, &bounds))
    popup_output_menu (self, bounds.origin.x + 24, bounds.origin.y + bounds.size.height);
  else
    popup_output_menu (self, gtk_widget_get_width (output) / 2.0,
                       gtk_widget_get_height (output) / 2.0);
}

/**
 * troupe_job_view_start_search:
 *
 * Opens the search bar and puts the focus in it.
 */
void
troupe_job_view_start_search (TroupeJobView *self)
{
  g_return_if_fail (TROUPE_IS_JOB_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * troupe_job_view_get_search:
 *
 * Returns: (transfer none) (nullable): the search under way
 */
TroupeLogSearch *
troupe_job_view_get_search (TroupeJobView *self)
{
  g_return_val_if_fail (TROUPE_IS_JOB_VIEW (self), NULL);
  return self->search;
}

static void
troupe_job_view_dispose (GObject *object)
{
  TroupeJobView *self = (TroupeJobView *) object;

  troupe_job_view_set_process (self, NULL);
  if (self->follow_tick != 0 && self->output_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->output_view), self->follow_tick);
  self->follow_tick = 0;
  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  g_clear_object (&self->search);
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  /* Unparented with the other children below. */
  self->output_menu = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_JOB_VIEW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_job_view_parent_class)->dispose (object);
}

static void
troupe_job_view_class_init (TroupeJobViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_job_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-job-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, title_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, command_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, folder_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, status_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, pid_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, started_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, duration_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, output_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, output_scroller);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, stdin_entry);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, eof_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, stop_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, kill_button);
  gtk_widget_class_bind_template_callback (widget_class, on_jump_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stdin_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_eof_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_kill_clicked);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, match_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, stream_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, timestamps_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next_match);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, on_stream_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, output_menu_model);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* Their shortcuts (Ctrl+C, Ctrl+A, Menu) are the output view's, in the
   * template: elsewhere in the view, the entries' own copy and select all count. */
  gtk_widget_class_install_action (widget_class, "output.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "output.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "output.show-menu", NULL, show_menu_action);
}

static void
troupe_job_view_init (TroupeJobView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment;
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_line), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_line), self);
  gtk_list_view_set_factory (self->output_view, factory);
  g_object_unref (factory);

  /* Parented to the view, whose layout places popovers. */
  self->output_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (self->output_menu_model));
  gtk_popover_set_has_arrow (self->output_menu, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->output_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->output_menu), GTK_WIDGET (self));

  /* In the capture phase, before a row's own click changes the selection. */
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_output_menu_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->output_view), GTK_EVENT_CONTROLLER (gesture));
  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_output_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->output_view), GTK_EVENT_CONTROLLER (gesture));

  adjustment = output_adjustment (self);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (on_upper_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  set_following (self, TRUE);
  update_actions (self);
}

GtkWidget *
troupe_job_view_new (void)
{
  return g_object_new (TROUPE_TYPE_JOB_VIEW, NULL);
}

/**
 * troupe_job_view_get_process:
 *
 * Returns: (transfer none) (nullable): the job shown
 */
TroupeProcess *
troupe_job_view_get_process (TroupeJobView *self)
{
  g_return_val_if_fail (TROUPE_IS_JOB_VIEW (self), NULL);
  return self->process;
}

/**
 * troupe_job_view_set_process:
 * @process: (nullable): the job to show
 */
void
troupe_job_view_set_process (TroupeJobView *self,
                             TroupeProcess *process)
{
  g_return_if_fail (TROUPE_IS_JOB_VIEW (self));

  if (self->process == process)
    return;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->process != NULL)
    g_signal_handlers_disconnect_by_data (self->process, self);
  g_set_object (&self->process, process);
  g_clear_object (&self->lines);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);

  if (process != NULL && troupe_process_get_log (process) != NULL)
    {
      self->lines = troupe_line_model_new (troupe_process_get_log (process));
      /* New lines come at the end, so what is selected stays selected as they
       * do; clearing or showing another stream replaces every row, and with
       * them the selection. */
      self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->lines)));
      g_signal_connect_object (self->lines, "items-changed", G_CALLBACK (on_upper_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (update_actions),
                                self);
      g_signal_connect_swapped (self->selection, "selection-changed",
                                G_CALLBACK (update_actions), self);
    }
  gtk_list_view_set_model (self->output_view, GTK_SELECTION_MODEL (self->selection));
  update_actions (self);
  set_following (self, TRUE);
  gtk_drop_down_set_selected (self->stream_dropdown, 0);
  on_search_changed (self);

  if (process != NULL)
    {
      g_signal_connect_swapped (process, "notify::state", G_CALLBACK (on_state_changed), self);
      g_signal_connect_swapped (process, "notify::group-alive", G_CALLBACK (update_header), self);
      on_state_changed (self);
    }
}

/**
 * troupe_job_view_get_following:
 *
 * Returns: whether the output view keeps to its end as lines come
 */
gboolean
troupe_job_view_get_following (TroupeJobView *self)
{
  g_return_val_if_fail (TROUPE_IS_JOB_VIEW (self), FALSE);
  return self->following;
}

/**
 * troupe_job_view_get_n_shown:
 *
 * Returns: how many lines the output view has
 */
guint
troupe_job_view_get_n_shown (TroupeJobView *self)
{
  g_return_val_if_fail (TROUPE_IS_JOB_VIEW (self), 0);
  return self->lines != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->lines)) : 0;
}

/**
 * troupe_job_view_bind_settings:
 * @settings: the app's settings
 *
 * Keeps the timestamps toggle and the "timestamps" setting the same.
 */
void
troupe_job_view_bind_settings (TroupeJobView *self,
                               GSettings     *settings)
{
  g_return_if_fail (TROUPE_IS_JOB_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "timestamps", self->timestamps_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
}
