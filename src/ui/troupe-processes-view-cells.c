/* troupe-processes-view-cells.c: the processes table's columns, cells and sorters
 *
 * Each cell is a label (the name's inside the tree's expander) that follows
 * its process's property notifications while bound, so a sample changes the
 * text in place. The live values sort busiest first on the first click.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-processes-view-private.h"

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

gboolean
_troupe_processes_view_is_gone (TroupeProcessInfo *info)
{
  return troupe_process_info_get_run_state (info) == TROUPE_RUN_STATE_GONE;
}

static char *
format_cell (TroupeProcessInfo     *info,
             TroupeProcessesColumn  column)
{
  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (troupe_process_info_get_name (info));
    case COLUMN_PID:
      return g_strdup_printf ("%d", troupe_process_info_get_pid (info));
    case COLUMN_CPU:
      return _troupe_processes_view_is_gone (info) ? g_strdup ("—")
                            : g_strdup_printf ("%.1f", troupe_process_info_get_cpu (info));
    case COLUMN_MEMORY:
      return _troupe_processes_view_is_gone (info) ? g_strdup ("—")
                                                   : g_format_size (troupe_process_info_get_rss (info));
    case COLUMN_THREADS:
      return _troupe_processes_view_is_gone (info) ? g_strdup ("—")
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
  TroupeProcessesColumn column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label),
                                                                     "troupe-column"));
  g_autofree char *text = NULL;

  if (info == NULL)
    return;
  text = format_cell (info, column);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (_troupe_processes_view_is_gone (info))
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
  if (column == COLUMN_NAME)
    gtk_widget_set_tooltip_text (label, troupe_process_info_get_command_line (info));
  else if (column == COLUMN_MEMORY && troupe_process_info_get_pss (info) >= 0 &&
           !_troupe_processes_view_is_gone (info))
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

/* A right click selects the row and opens its menu. */
static void
on_cell_menu_pressed (GtkGesture  *gesture,
                      int          n_press,
                      double       x,
                      double       y,
                      GtkListItem *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *view = gtk_widget_get_ancestor (cell, TROUPE_TYPE_PROCESSES_VIEW);
  TroupeProcessesView *self = view != NULL ? TROUPE_PROCESSES_VIEW (view) : NULL;
  graphene_point_t point;

  if (self == NULL || self->selection == NULL ||
      gtk_list_item_get_position (item) == GTK_INVALID_LIST_POSITION)
    return;
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  if (gtk_widget_compute_point (cell, view, &GRAPHENE_POINT_INIT (x, y), &point))
    _troupe_processes_view_popup_menu (self, point.x, point.y);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TroupeProcessesColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *gesture;

  g_object_set_data (G_OBJECT (label), "troupe-column", user_data);
  gtk_label_set_xalign (GTK_LABEL (label), columns[column].xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column != COLUMN_NAME && column != COLUMN_STATE)
    gtk_widget_add_css_class (label, "numeric");

  gtk_widget_set_hexpand (label, TRUE);
  if (column == COLUMN_NAME)
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
      gtk_list_item_set_child (item, expander);
    }
  else
    gtk_list_item_set_child (item, label);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (on_cell_menu_pressed), item, 0);
  gtk_widget_add_controller (gtk_list_item_get_child (item), GTK_EVENT_CONTROLLER (gesture));
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
  TroupeProcessesColumn column = GPOINTER_TO_UINT (user_data);
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
create_sorter (TroupeProcessesColumn column)
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

void
_troupe_processes_view_add_columns (TroupeProcessesView *self)
{
  for (TroupeProcessesColumn column = 0; column < N_COLUMNS; column++)
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
