/* troupe-processes-view-private.h: what the processes view's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-processes-view.h"

G_BEGIN_DECLS

typedef enum
{
  COLUMN_NAME,
  COLUMN_PID,
  COLUMN_CPU,
  COLUMN_MEMORY,
  COLUMN_THREADS,
  COLUMN_STATE,
  N_COLUMNS
} TroupeProcessesColumn;

struct _TroupeProcessesView
{
  GtkWidget           parent_instance;

  TroupeProcessTree  *tree;
  TroupeProcessInfo  *selected;
  GtkSingleSelection *selection;
  /* The sorters of values that change with every sample. */
  GtkSorter          *live_sorters[N_COLUMNS];
  GMenuModel         *row_menu_model;
  GtkPopover         *row_menu;

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

gboolean _troupe_processes_view_is_gone      (TroupeProcessInfo   *info);
void     _troupe_processes_view_add_columns  (TroupeProcessesView *self);
void     _troupe_processes_view_popup_menu   (TroupeProcessesView *self,
                                              double               x,
                                              double               y);

G_END_DECLS
