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
#include "troupe-job-view-private.h"
#include "troupe-line-model.h"
#include "troupe-log-search.h"


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
/* GTK 4.8's GtkInscription does not release its attributes when it is
 * finalized; a line going away gives them back itself. */
static void
release_attributes (GtkInscription *label)
{
  gtk_inscription_set_attributes (label, NULL);
}

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
  g_signal_connect (label, "destroy", G_CALLBACK (release_attributes), NULL);

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

static void
on_jump_clicked (TroupeJobView *self)
{
  troupe_tail_follower_follow (self->follower);
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
      /* A big log is searched on a worker thread, so typing stays quick. */
      self->search = troupe_log_search_new_with_pool (troupe_line_model_get_log (self->lines),
                                                      needle,
                                                      troupe_log_search_get_default_pool ());
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
  if (self->follower != NULL)
    troupe_tail_follower_detach (self->follower);
  g_clear_object (&self->follower);
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
  gtk_widget_class_bind_template_child (widget_class, TroupeJobView, note_label);
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
  gtk_widget_class_install_action (widget_class, "output.copy", NULL, _troupe_job_view_copy);
  gtk_widget_class_install_action (widget_class, "output.select-all", NULL, _troupe_job_view_select_all);
  gtk_widget_class_install_action (widget_class, "output.show-menu", NULL, _troupe_job_view_show_menu);
}

static void
troupe_job_view_init (TroupeJobView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
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
  g_signal_connect (gesture, "pressed", G_CALLBACK (_troupe_job_view_on_menu_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->output_view), GTK_EVENT_CONTROLLER (gesture));
  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (_troupe_job_view_on_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->output_view), GTK_EVENT_CONTROLLER (gesture));

  self->follower = troupe_tail_follower_new (self->output_view, GTK_WIDGET (self->jump_button));
  _troupe_job_view_update_copy_actions (self);
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
      g_signal_connect_object (self->lines, "items-changed",
                               G_CALLBACK (troupe_tail_follower_catch_up), self->follower,
                               G_CONNECT_SWAPPED);
      g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (_troupe_job_view_update_copy_actions),
                                self);
      g_signal_connect_swapped (self->selection, "selection-changed",
                                G_CALLBACK (_troupe_job_view_update_copy_actions), self);
    }
  gtk_list_view_set_model (self->output_view, GTK_SELECTION_MODEL (self->selection));
  _troupe_job_view_update_copy_actions (self);
  troupe_tail_follower_follow (self->follower);
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
 * troupe_job_view_set_note:
 * @note: (nullable): a line about the job shown under its details, such as
 *   why it was restarted; %NULL for none
 */
void
troupe_job_view_set_note (TroupeJobView *self,
                          const char    *note)
{
  g_return_if_fail (TROUPE_IS_JOB_VIEW (self));

  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
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
  return troupe_tail_follower_get_following (self->follower);
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
