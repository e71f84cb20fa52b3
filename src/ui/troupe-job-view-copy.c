/* troupe-job-view-copy.c: selecting a job's output lines, copying them, and the output's menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-ansi.h"
#include "troupe-job-view-private.h"

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

void
_troupe_job_view_copy (GtkWidget  *widget,
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
  g_task_set_source_tag (task, _troupe_job_view_copy);
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);
  g_task_run_in_thread (task, copy_text_in_thread);
}

void
_troupe_job_view_select_all (GtkWidget  *widget,
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

void
_troupe_job_view_update_copy_actions (TroupeJobView *self)
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
void
_troupe_job_view_on_menu_pressed (GtkGesture    *gesture,
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

void
_troupe_job_view_on_long_pressed (GtkGestureLongPress *gesture,
                                  double               x,
                                  double               y,
                                  TroupeJobView       *self)
{
  _troupe_job_view_on_menu_pressed (GTK_GESTURE (gesture), 1, x, y, self);
}

/* The Menu key, or Shift+F10: the menu opens at the line with the focus. */
void
_troupe_job_view_show_menu (GtkWidget  *widget,
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
