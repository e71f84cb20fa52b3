/* troupe-job-view.c: one job: what it is, how it is doing, and everything it printed
 *
 * The output is a GtkListView over the run's TroupeLineModel, so only the rows
 * on screen exist, whatever the log's size. The view follows the end while the
 * user has not scrolled up; "Jump to End" brings it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-format.h"
#include "troupe-job-view.h"
#include "troupe-line-model.h"

struct _TroupeJobView
{
  GtkWidget         parent_instance;

  TroupeProcess    *process;
  TroupeLineModel  *lines;
  guint             clock;
  gboolean          following;

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
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "output-line");
  gtk_list_item_set_child (item, label);
}

static void
bind_line (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  TroupeLine *line = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gboolean is_stderr = troupe_line_get_stream (line) == TROUPE_STREAM_STDERR;

  gtk_label_set_text (GTK_LABEL (label), troupe_line_get_text (line));
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

static void
scroll_to_end (TroupeJobView *self)
{
  GtkAdjustment *adjustment = output_adjustment (self);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

static void
set_following (TroupeJobView *self,
               gboolean       following)
{
  self->following = following;
  gtk_widget_set_visible (GTK_WIDGET (self->jump_button), !following);
}

/* New lines grow the adjustment's upper bound: stay at the end if we were. */
static void
on_upper_changed (TroupeJobView *self)
{
  if (self->following)
    scroll_to_end (self);
}

static void
on_value_changed (TroupeJobView *self)
{
  GtkAdjustment *adjustment = output_adjustment (self);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Scrolling up stops following; scrolling back to the end resumes it. */
  set_following (self, gtk_adjustment_get_value (adjustment) >= bottom - 1);
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
troupe_job_view_dispose (GObject *object)
{
  TroupeJobView *self = (TroupeJobView *) object;

  troupe_job_view_set_process (self, NULL);
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
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
troupe_job_view_init (TroupeJobView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_line), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line), NULL);
  gtk_list_view_set_factory (self->output_view, factory);
  g_object_unref (factory);

  adjustment = output_adjustment (self);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (on_upper_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  set_following (self, TRUE);
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
  g_autoptr(GtkSelectionModel) selection = NULL;

  g_return_if_fail (TROUPE_IS_JOB_VIEW (self));

  if (self->process == process)
    return;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->process != NULL)
    g_signal_handlers_disconnect_by_data (self->process, self);
  g_set_object (&self->process, process);
  g_clear_object (&self->lines);

  if (process != NULL && troupe_process_get_log (process) != NULL)
    {
      self->lines = troupe_line_model_new (troupe_process_get_log (process));
      selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->lines))));
    }
  gtk_list_view_set_model (self->output_view, selection);
  set_following (self, TRUE);

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
