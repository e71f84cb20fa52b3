/* troupe-job-view-private.h: what the job view's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-job-view.h"
#include "troupe-line-model.h"
#include "troupe-tail-follower.h"

G_BEGIN_DECLS

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
  TroupeTailFollower *follower;

  GtkLabel         *title_label;
  GtkLabel         *command_label;
  GtkLabel         *folder_label;
  GtkLabel         *status_label;
  GtkLabel         *pid_label;
  GtkLabel         *started_label;
  GtkLabel         *duration_label;
  GtkLabel         *note_label;
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

void _troupe_job_view_copy (GtkWidget *widget,
                            const char *action_name,
                            GVariant *parameter);
void _troupe_job_view_select_all (GtkWidget *widget,
                                  const char *action_name,
                                  GVariant *parameter);
void _troupe_job_view_show_menu (GtkWidget *widget,
                                 const char *action_name,
                                 GVariant *parameter);
void _troupe_job_view_update_copy_actions (TroupeJobView *self);
void _troupe_job_view_on_menu_pressed (GtkGesture *gesture,
                                       int n_press,
                                       double x,
                                       double y,
                                       TroupeJobView *self);
void _troupe_job_view_on_long_pressed (GtkGestureLongPress *gesture,
                                       double x,
                                       double y,
                                       TroupeJobView *self);

G_END_DECLS
