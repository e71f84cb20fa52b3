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
 * children and theirs) is only signalled after the person confirms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "troupe-processes-view.h"
#include "troupe-signal-names.h"

typedef enum
{
  COLUMN_NAME,
  COLUMN_PID,
  COLUMN_CPU,
  COLUMN_MEMORY,
  COLUMN_THREADS,
  COLUMN_STATE,
  N_COLUMNS
} Column;

typedef struct
{
  const char *title;
  const char *property;   /* notified when the cell's value changes */
  int         width;      /* -1: takes the room left */
  float       xalign;
} ColumnInfo;

static const ColumnInfo columns[N_COLUMNS] = {
  [COLUMN_NAME] = { N_("Name"), "name", -1, 0 },
  [COLUMN_PID] = { N_("PID"), NULL, 90, 1 },
  [COLUMN_CPU] = { N_("CPU %"), "cpu", 90, 1 },
  [COLUMN_MEMORY] = { N_("Memory"), "rss", 110, 1 },
  [COLUMN_THREADS] = { N_("Threads"), "n-threads", 90, 1 },
  [COLUMN_STATE] = { N_("State"), "run-state", 120, 0 },
};

struct _TroupeProcessesView
{
  GtkWidget           parent_instance;

  TroupeProcessTree  *tree;
  TroupeProcessInfo  *selected;
  GtkSingleSelection *selection;
  /* The sorters of values that change with every sample. */
  GtkSorter          *live_sorters[N_COLUMNS];

  GtkStack           *stack;
  AdwStatusPage      *unavailable_page;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  GtkLabel           *job_cpu_label;
  GtkLabel           *job_memory_label;
  TroupeUsageGraph   *job_cpu_graph;
  TroupeUsageGraph   *job_memory_graph;
  GtkWidget          *process_graphs;
  GtkLabel           *process_cpu_title;
  GtkLabel           *process_memory_title;
  GtkLabel           *process_cpu_label;
  GtkLabel           *process_memory_label;
  TroupeUsageGraph   *process_cpu_graph;
  TroupeUsageGraph   *process_memory_graph;
};

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

static gboolean
is_gone (TroupeProcessInfo *info)
{
  return troupe_process_info_get_run_state (info) == TROUPE_RUN_STATE_GONE;
}

static char *
format_cell (TroupeProcessInfo *info,
             Column             column)
{
  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (troupe_process_info_get_name (info));
    case COLUMN_PID:
      return g_strdup_printf ("%d", troupe_process_info_get_pid (info));
    case COLUMN_CPU:
      return is_gone (info) ? g_strdup ("—")
                            : g_strdup_printf ("%.1f", troupe_process_info_get_cpu (info));
    case COLUMN_MEMORY:
      return is_gone (info) ? g_strdup ("—") : g_format_size (troupe_process_info_get_rss (info));
    case COLUMN_THREADS:
      return is_gone (info) ? g_strdup ("—")
                            : g_strdup_printf ("%u", troupe_process_info_get_n_threads (info));
    case COLUMN_STATE:
      return g_strdup (troupe_run_state_to_string (troupe_process_info_get_run_state (info)));
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Cells: a label each (the name's inside the tree's expander), following
 * its process's notifications while bound. */
static void
update_cell (GtkWidget *label)
{
  TroupeProcessInfo *info = g_object_get_data (G_OBJECT (label), "troupe-process-info");
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "troupe-column"));
  g_autofree char *text = NULL;

  if (info == NULL)
    return;
  text = format_cell (info, column);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (is_gone (info))
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
  if (column == COLUMN_NAME)
    gtk_widget_set_tooltip_text (label, troupe_process_info_get_command_line (info));
  else if (column == COLUMN_MEMORY && troupe_process_info_get_pss (info) >= 0 && !is_gone (info))
    {
      g_autofree char *rss = g_format_size (troupe_process_info_get_rss (info));
      g_autofree char *pss = g_format_size ((guint64) troupe_process_info_get_pss (info));
      /* Translators: a process's memory, resident and proportional (shared pages split) */
      g_autofree char *tooltip = g_strdup_printf (_("Resident: %s\nProportional: %s"), rss, pss);

      gtk_widget_set_tooltip_text (label, tooltip);
    }
}

/* A process without children has nothing to expand: its arrow is hidden,
 * keeping its place so names stay lined up. Children may come later. */
static void
update_leaf (GtkWidget *expander)
{
  GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander));
  GListModel *children = row != NULL ? gtk_tree_list_row_get_children (row) : NULL;

  if (children == NULL || g_list_model_get_n_items (children) == 0)
    gtk_widget_add_css_class (expander, "leaf");
  else
    gtk_widget_remove_css_class (expander, "leaf");
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_data (G_OBJECT (label), "troupe-column", user_data);
  gtk_label_set_xalign (GTK_LABEL (label), columns[column].xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column != COLUMN_NAME && column != COLUMN_STATE)
    gtk_widget_add_css_class (label, "numeric");

  if (column == COLUMN_NAME)
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
      gtk_list_item_set_child (item, expander);
    }
  else
    gtk_list_item_set_child (item, label);
}

static GtkWidget *
get_cell_label (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_TREE_EXPANDER (child))
    return gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
  return child;
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(TroupeProcessInfo) info = gtk_tree_list_row_get_item (row);
  GtkWidget *label = get_cell_label (item);

  g_object_set_data_full (G_OBJECT (label), "troupe-process-info", g_object_ref (info),
                          g_object_unref);
  if (columns[column].property != NULL)
    {
      g_autofree char *signal = g_strconcat ("notify::", columns[column].property, NULL);

      g_signal_connect_object (info, signal, G_CALLBACK (update_cell), label,
                               G_CONNECT_SWAPPED);
    }
  if (column != COLUMN_STATE)
    g_signal_connect_object (info, "notify::run-state", G_CALLBACK (update_cell), label,
                             G_CONNECT_SWAPPED);
  if (column == COLUMN_NAME)
    {
      GtkWidget *expander = gtk_list_item_get_child (item);
      GListModel *children = gtk_tree_list_row_get_children (row);

      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
      g_signal_connect_object (info, "notify::command-line", G_CALLBACK (update_cell), label,
                               G_CONNECT_SWAPPED);
      if (children != NULL)
        g_signal_connect_object (children, "items-changed", G_CALLBACK (update_leaf), expander,
                                 G_CONNECT_SWAPPED);
      update_leaf (expander);
    }
  update_cell (label);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *label = get_cell_label (item);
  TroupeProcessInfo *info = g_object_get_data (G_OBJECT (label), "troupe-process-info");
  GtkWidget *child = gtk_list_item_get_child (item);

  if (info != NULL)
    g_signal_handlers_disconnect_by_data (info, label);
  if (GTK_IS_TREE_EXPANDER (child))
    {
      GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (child));
      GListModel *children = row != NULL ? gtk_tree_list_row_get_children (row) : NULL;

      if (children != NULL)
        g_signal_handlers_disconnect_by_data (children, child);
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
    }
  g_object_set_data (G_OBJECT (label), "troupe-process-info", NULL);
}

static int
get_pid_for_sorting (TroupeProcessInfo *info,
                     gpointer           user_data)
{
  return troupe_process_info_get_pid (info);
}

static int
get_state_for_sorting (TroupeProcessInfo *info,
                       gpointer           user_data)
{
  return (int) troupe_process_info_get_run_state (info);
}

static GtkSorter *
create_sorter (Column column)
{
  GtkNumericSorter *sorter;

  switch (column)
    {
    case COLUMN_NAME:
      return GTK_SORTER (gtk_string_sorter_new (
        gtk_property_expression_new (TROUPE_TYPE_PROCESS_INFO, NULL, "name")));
    case COLUMN_PID:
      return GTK_SORTER (gtk_numeric_sorter_new (
        gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                     G_CALLBACK (get_pid_for_sorting), NULL, NULL)));
    case COLUMN_STATE:
      return GTK_SORTER (gtk_numeric_sorter_new (
        gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                     G_CALLBACK (get_state_for_sorting), NULL, NULL)));
    case COLUMN_CPU:
    case COLUMN_MEMORY:
    case COLUMN_THREADS:
      /* The busiest first, on the first click. */
      sorter = gtk_numeric_sorter_new (
        gtk_property_expression_new (TROUPE_TYPE_PROCESS_INFO, NULL, columns[column].property));
      gtk_numeric_sorter_set_sort_order (sorter, GTK_SORT_DESCENDING);
      return GTK_SORTER (sorter);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
add_columns (TroupeProcessesView *self)
{
  for (Column column = 0; column < N_COLUMNS; column++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) view_column = NULL;
      GtkSorter *sorter = create_sorter (column);

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (column));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (column));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GUINT_TO_POINTER (column));
      view_column = gtk_column_view_column_new (_(columns[column].title), factory);
      gtk_column_view_column_set_sorter (view_column, sorter);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      if (columns[column].width < 0)
        gtk_column_view_column_set_expand (view_column, TRUE);
      else
        gtk_column_view_column_set_fixed_width (view_column, columns[column].width);
      if (column == COLUMN_CPU || column == COLUMN_MEMORY || column == COLUMN_THREADS ||
          column == COLUMN_STATE)
        self->live_sorters[column] = g_object_ref (sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, view_column);
    }
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

  if (latest != NULL)
    text = troupe_usage_format_value (metric, metric == TROUPE_USAGE_METRIC_CPU ? latest->cpu
                                                                                : (double) latest->rss);
  gtk_label_set_text (label, text != NULL ? text : "");
}

static void
update_actions (TroupeProcessesView *self)
{
  gboolean can_signal = self->selected != NULL && !is_gone (self->selected);

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
  gtk_widget_queue_draw (GTK_WIDGET (self->job_cpu_graph));
  gtk_widget_queue_draw (GTK_WIDGET (self->job_memory_graph));
  if (self->selected != NULL)
    {
      set_value_label (self->process_cpu_label, TROUPE_USAGE_METRIC_CPU,
                       troupe_process_info_get_history (self->selected));
      set_value_label (self->process_memory_label, TROUPE_USAGE_METRIC_MEMORY,
                       troupe_process_info_get_history (self->selected));
      gtk_widget_queue_draw (GTK_WIDGET (self->process_cpu_graph));
      gtk_widget_queue_draw (GTK_WIDGET (self->process_memory_graph));
    }

  for (Column column = 0; column < N_COLUMNS; column++)
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

static void
troupe_processes_view_dispose (GObject *object)
{
  TroupeProcessesView *self = (TroupeProcessesView *) object;

  troupe_processes_view_set_tree (self, NULL);
  for (Column column = 0; column < N_COLUMNS; column++)
    g_clear_object (&self->live_sorters[column]);
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
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "processes.stop", NULL, on_stop);
  gtk_widget_class_install_action (widget_class, "processes.kill", NULL, on_kill);
  gtk_widget_class_install_action (widget_class, "processes.send-signal", "s", on_send_signal);
}

static void
troupe_processes_view_init (TroupeProcessesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
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
