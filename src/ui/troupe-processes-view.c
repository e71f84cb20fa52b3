/* troupe-processes-view.c: a job's processes, as a tree, with graphs and actions
 *
 * The table is a GtkColumnView over a GtkTreeListModel of the job's process
 * tree, sorted column by column without losing the tree's shape
 * (GtkTreeListRowSorter). The sampler updates each process object in place,
 * and each cell follows its object's property notifications, so a sample
 * changes the text in the cells and nothing else: the selection, the
 * expanded rows and the scroll position stay. Only when the table is sorted
 * by a value that changes (CPU, memory, …) does a sample move rows, as it
 * must.
 *
 * Above the table, the job's CPU and memory (its whole tree) over the last
 * minute, and the same for the selected process. The actions send a signal to
 * the selected process; one that Troupe did not start itself (the job's own
 * children and theirs) is only signalled after the person confirms. The
 * table's columns and cells are in troupe-processes-view-cells.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "troupe-processes-view-private.h"
#include "troupe-signal-names.h"

enum
{
  SHOW_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeProcessesView, troupe_processes_view, GTK_TYPE_WIDGET)

static void
show_message (TroupeProcessesView *self,
              const char          *text)
{
  g_signal_emit (self, signals[SHOW_MESSAGE], 0, text);
}

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  return g_object_ref (troupe_process_info_get_children (item));
}

static void
set_value_label (GtkLabel          *label,
                 TroupeUsageMetric  metric,
                 TroupeSampleRing  *ring)
{
  const TroupeSample *latest = ring != NULL ? troupe_sample_ring_get_latest (ring) : NULL;
  g_autofree char *text = NULL;

  if (latest != NULL && metric == TROUPE_USAGE_METRIC_CPU)
    text = troupe_usage_format_value (metric, latest->cpu);
  else if (latest != NULL)
    text = troupe_usage_format_value (metric, (double) latest->rss);
  gtk_label_set_text (label, text != NULL ? text : "");
}

static void
update_actions (TroupeProcessesView *self)
{
  gboolean can_signal = self->selected != NULL && !_troupe_processes_view_is_gone (self->selected);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.stop", can_signal);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.kill", can_signal);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "processes.send-signal", can_signal);
}

/* After each sample: the values beside the graphs, the graphs, the count,
 * and the order where it follows a changing value. */
static void
on_updated (TroupeProcessesView *self)
{
  g_autofree char *count = NULL;
  guint n;

  if (self->tree == NULL)
    return;

  n = troupe_process_tree_get_n_processes (self->tree);
  if (troupe_process_tree_has_ended (self->tree) && n == 0)
    count = g_strdup (_("All processes have ended"));
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process running",
                                          "%u processes running", n), n);
  gtk_label_set_text (self->count_label, count);

  set_value_label (self->job_cpu_label, TROUPE_USAGE_METRIC_CPU,
                   troupe_process_tree_get_totals (self->tree));
  set_value_label (self->job_memory_label, TROUPE_USAGE_METRIC_MEMORY,
                   troupe_process_tree_get_totals (self->tree));
  troupe_usage_graph_update (self->job_cpu_graph);
  troupe_usage_graph_update (self->job_memory_graph);
  if (self->selected != NULL)
    {
      set_value_label (self->process_cpu_label, TROUPE_USAGE_METRIC_CPU,
                       troupe_process_info_get_history (self->selected));
      set_value_label (self->process_memory_label, TROUPE_USAGE_METRIC_MEMORY,
                       troupe_process_info_get_history (self->selected));
      troupe_usage_graph_update (self->process_cpu_graph);
      troupe_usage_graph_update (self->process_memory_graph);
    }

  for (TroupeProcessesColumn column = 0; column < N_COLUMNS; column++)
    if (self->live_sorters[column] != NULL)
      gtk_sorter_changed (self->live_sorters[column], GTK_SORTER_CHANGE_DIFFERENT);
  update_actions (self);
}

static void
set_selected (TroupeProcessesView *self,
              TroupeProcessInfo   *info)
{
  if (self->selected == info)
    return;
  g_set_object (&self->selected, info);

  troupe_usage_graph_remove_all (self->process_cpu_graph);
  troupe_usage_graph_remove_all (self->process_memory_graph);
  gtk_widget_set_visible (self->process_graphs, info != NULL);
  if (info != NULL)
    {
      TroupeSampleRing *history = troupe_process_info_get_history (info);
      /* Translators: the CPU graph of one process: its name and pid */
      g_autofree char *cpu_title = g_strdup_printf (_("CPU of %s (%d)"),
                                                    troupe_process_info_get_name (info),
                                                    troupe_process_info_get_pid (info));
      /* Translators: the memory graph of one process: its name and pid */
      g_autofree char *memory_title = g_strdup_printf (_("Memory of %s (%d)"),
                                                       troupe_process_info_get_name (info),
                                                       troupe_process_info_get_pid (info));

      gtk_label_set_text (self->process_cpu_title, cpu_title);
      gtk_label_set_text (self->process_memory_title, memory_title);
      troupe_usage_graph_add_series (self->process_cpu_graph, history,
                                     troupe_process_info_get_name (info),
                                     TROUPE_USAGE_GRAPH_METRIC_COLOUR);
      troupe_usage_graph_add_series (self->process_memory_graph, history,
                                     troupe_process_info_get_name (info),
                                     TROUPE_USAGE_GRAPH_METRIC_COLOUR);
      set_value_label (self->process_cpu_label, TROUPE_USAGE_METRIC_CPU, history);
      set_value_label (self->process_memory_label, TROUPE_USAGE_METRIC_MEMORY, history);
    }
  update_actions (self);
}

static void
on_selection_changed (TroupeProcessesView *self)
{
  GtkTreeListRow *row = self->selection != NULL
                          ? gtk_single_selection_get_selected_item (self->selection)
                          : NULL;
  g_autoptr(TroupeProcessInfo) info = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  set_selected (self, info);
}

static void
on_process_left (TroupeProcessesView *self,
                 TroupeProcessInfo   *info,
                 gboolean             reparented)
{
  g_autofree char *text = NULL;

  if (!reparented)
    return;
  /* Translators: a process that detached itself from the job (daemonized): name, pid */
  text = g_strdup_printf (_("%s (%d) left the job’s process tree and is no longer watched"),
                          troupe_process_info_get_name (info), troupe_process_info_get_pid (info));
  show_message (self, text);
}

static void
send_signal (TroupeProcessesView *self,
             TroupeProcessInfo   *info,
             int                  signal_number)
{
  g_autoptr(GError) error = NULL;

  if (!troupe_process_info_send_signal (info, signal_number, &error))
    show_message (self, error->message);
}

static void
on_confirm_response (AdwMessageDialog    *dialog,
                     const char          *response,
                     TroupeProcessesView *self)
{
  TroupeProcessInfo *info = g_object_get_data (G_OBJECT (dialog), "troupe-process-info");
  int signal_number = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "troupe-signal"));

  if (g_str_equal (response, "send") && info != NULL)
    send_signal (self, info, signal_number);
}

/* Troupe's own child is the job's to stop; any other process was started by
 * the job, which may not expect it to go: ask first. */
static void
request_signal (TroupeProcessesView *self,
                int                  signal_number)
{
  TroupeProcessInfo *info = self->selected;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *verb;
  AdwMessageDialog *dialog;
  GtkRoot *root;

  if (info == NULL || signal_number == 0)
    return;
  if (troupe_process_info_is_root (info))
    {
      send_signal (self, info, signal_number);
      return;
    }

  if (signal_number == SIGKILL)
    {
      /* Translators: asked before killing a process: its name and pid */
      heading = g_strdup_printf (_("Kill %s (%d)?"), troupe_process_info_get_name (info),
                                 troupe_process_info_get_pid (info));
      verb = _("_Kill");
    }
  else if (signal_number == SIGTERM)
    {
      /* Translators: asked before stopping a process: its name and pid */
      heading = g_strdup_printf (_("Stop %s (%d)?"), troupe_process_info_get_name (info),
                                 troupe_process_info_get_pid (info));
      verb = _("_Stop");
    }
  else
    {
      /* Translators: asked before signalling a process: the signal, its name and pid */
      heading = g_strdup_printf (_("Send %s to %s (%d)?"), troupe_signal_name (signal_number),
                                 troupe_process_info_get_name (info),
                                 troupe_process_info_get_pid (info));
      verb = _("_Send");
    }
  body = g_strdup (_("Troupe did not start this process: the job did. "
                     "The job may not expect it to be signalled or to end."));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "send", verb, NULL);
  adw_message_dialog_set_response_appearance (dialog, "send",
                                              signal_number == SIGKILL ||
                                                signal_number == SIGTERM
                                                ? ADW_RESPONSE_DESTRUCTIVE
                                                : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "troupe-process-info", g_object_ref (info),
                          g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "troupe-signal", GINT_TO_POINTER (signal_number));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_stop (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  request_signal (TROUPE_PROCESSES_VIEW (widget), SIGTERM);
}

static void
on_kill (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  request_signal (TROUPE_PROCESSES_VIEW (widget), SIGKILL);
}

static void
on_send_signal (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  request_signal (TROUPE_PROCESSES_VIEW (widget),
                  troupe_signal_from_name (g_variant_get_string (parameter, NULL)));
}

/* The right-click menu of a row, at @x, @y in the view. */
void
_troupe_processes_view_popup_menu (TroupeProcessesView *self,
                                   double               x,
                                   double               y)
{
  gtk_popover_set_pointing_to (self->row_menu, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (self->row_menu);
}

static void
troupe_processes_view_dispose (GObject *object)
{
  TroupeProcessesView *self = (TroupeProcessesView *) object;

  troupe_processes_view_set_tree (self, NULL);
  for (TroupeProcessesColumn column = 0; column < N_COLUMNS; column++)
    g_clear_object (&self->live_sorters[column]);
  if (self->row_menu != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->row_menu));
  self->row_menu = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_PROCESSES_VIEW);

  G_OBJECT_CLASS (troupe_processes_view_parent_class)->dispose (object);
}

static void
troupe_processes_view_class_init (TroupeProcessesViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_processes_view_dispose;

  /**
   * TroupeProcessesView::show-message:
   * @text: what to tell the user
   */
  signals[SHOW_MESSAGE] =
    g_signal_new ("show-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TROUPE_TYPE_USAGE_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-processes-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, stack);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, job_cpu_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, job_memory_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, job_cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, job_memory_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_graphs);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_cpu_title);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_memory_title);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_cpu_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_memory_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, process_memory_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeProcessesView, row_menu_model);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "processes.stop", NULL, on_stop);
  gtk_widget_class_install_action (widget_class, "processes.kill", NULL, on_kill);
  gtk_widget_class_install_action (widget_class, "processes.send-signal", "s", on_send_signal);
}

static void
troupe_processes_view_init (TroupeProcessesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _troupe_processes_view_add_columns (self);
  /* Parented to the view, whose layout places popovers. */
  self->row_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (self->row_menu_model));
  gtk_popover_set_has_arrow (self->row_menu, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->row_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->row_menu), GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
troupe_processes_view_new (void)
{
  return g_object_new (TROUPE_TYPE_PROCESSES_VIEW, NULL);
}

/**
 * troupe_processes_view_get_tree:
 *
 * Returns: (transfer none) (nullable): the process tree shown
 */
TroupeProcessTree *
troupe_processes_view_get_tree (TroupeProcessesView *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), NULL);
  return self->tree;
}

/**
 * troupe_processes_view_set_tree:
 * @tree: (nullable): the job's process tree
 */
void
troupe_processes_view_set_tree (TroupeProcessesView *self,
                                TroupeProcessTree   *tree)
{
  g_autoptr(GtkTreeListModel) tree_model = NULL;
  GtkTreeListRowSorter *row_sorter;
  GtkSortListModel *sorted;

  g_return_if_fail (TROUPE_IS_PROCESSES_VIEW (self));

  if (self->tree == tree)
    return;
  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  set_selected (self, NULL);
  g_set_object (&self->tree, tree);
  troupe_usage_graph_remove_all (self->job_cpu_graph);
  troupe_usage_graph_remove_all (self->job_memory_graph);
  if (tree == NULL)
    return;

  tree_model = gtk_tree_list_model_new (g_object_ref (troupe_process_tree_get_roots (tree)), FALSE,
                                        TRUE, create_children, NULL, NULL);
  row_sorter = gtk_tree_list_row_sorter_new (
    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_steal_pointer (&tree_model)),
                                    GTK_SORTER (row_sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (on_selection_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* Both graphs draw the tree's totals, a sample for all its processes. */
  troupe_usage_graph_add_series (self->job_cpu_graph, troupe_process_tree_get_totals (tree),
                                 _("All processes"), TROUPE_USAGE_GRAPH_METRIC_COLOUR);
  troupe_usage_graph_add_series (self->job_memory_graph, troupe_process_tree_get_totals (tree),
                                 _("All processes"), TROUPE_USAGE_GRAPH_METRIC_COLOUR);
  g_signal_connect_swapped (tree, "updated", G_CALLBACK (on_updated), self);
  g_signal_connect_swapped (tree, "process-left", G_CALLBACK (on_process_left), self);
  gtk_stack_set_visible_child_name (self->stack, "tree");
  on_updated (self);
}

/**
 * troupe_processes_view_set_unavailable:
 * @reason: why there are no processes to show
 *
 * Shows @reason in place of the processes, and forgets any tree.
 */
void
troupe_processes_view_set_unavailable (TroupeProcessesView *self,
                                       const char          *reason)
{
  g_return_if_fail (TROUPE_IS_PROCESSES_VIEW (self));

  troupe_processes_view_set_tree (self, NULL);
  adw_status_page_set_description (self->unavailable_page, reason);
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
}

/**
 * troupe_processes_view_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected process
 */
TroupeProcessInfo *
troupe_processes_view_get_selected (TroupeProcessesView *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), NULL);
  return self->selected;
}

/**
 * troupe_processes_view_select_pid:
 *
 * Selects the row of process @pid, as a click on it would.
 *
 * Returns: whether the process is in the table
 */
gboolean
troupe_processes_view_select_pid (TroupeProcessesView *self,
                                  GPid                 pid)
{
  GListModel *rows;

  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), FALSE);

  if (self->selection == NULL)
    return FALSE;
  rows = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(TroupeProcessInfo) info = gtk_tree_list_row_get_item (row);

      if (troupe_process_info_get_pid (info) == pid)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * troupe_processes_view_get_column_view:
 *
 * Returns: (transfer none): the table of processes
 */
GtkColumnView *
troupe_processes_view_get_column_view (TroupeProcessesView *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), NULL);
  return self->column_view;
}

/**
 * troupe_processes_view_get_job_graph:
 *
 * Returns: (transfer none): the graph of the whole job's @metric
 */
TroupeUsageGraph *
troupe_processes_view_get_job_graph (TroupeProcessesView *self,
                                     TroupeUsageMetric    metric)
{
  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), NULL);
  return metric == TROUPE_USAGE_METRIC_CPU ? self->job_cpu_graph : self->job_memory_graph;
}

/**
 * troupe_processes_view_get_process_graph:
 *
 * Returns: (transfer none): the graph of the selected process's @metric
 */
TroupeUsageGraph *
troupe_processes_view_get_process_graph (TroupeProcessesView *self,
                                         TroupeUsageMetric    metric)
{
  g_return_val_if_fail (TROUPE_IS_PROCESSES_VIEW (self), NULL);
  return metric == TROUPE_USAGE_METRIC_CPU ? self->process_cpu_graph : self->process_memory_graph;
}
