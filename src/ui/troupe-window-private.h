/* troupe-window-private.h: what the main window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster-view.h"
#include "troupe-job-view.h"
#include "troupe-member-timeline.h"
#include "troupe-messages-view.h"
#include "troupe-processes-view.h"
#include "troupe-recent-commands.h"
#include "troupe-window.h"
#include "troupe-window-workers.h"

G_BEGIN_DECLS

struct _TroupeWindow
{
  AdwApplicationWindow  parent_instance;

  TroupeSession        *session;
  TroupeRecentCommands *recent_commands;
  GtkSingleSelection   *selection;
  /* The member whose run the job and messages views show: they follow it
   * from run to run as it restarts. */
  TroupeClusterMember  *member;
  TroupeWindowWorkers  *workers;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListView          *job_list;
  GtkStack             *content_stack;
  AdwViewSwitcherTitle *page_switcher;
  AdwViewSwitcherBar   *page_switcher_bar;
  AdwViewStack         *job_pages;
  AdwViewStackPage     *messages_page;
  AdwViewStackPage     *timeline_page;
  TroupeJobView        *job_view;
  TroupeMessagesView   *messages_view;
  TroupeClusterView    *cluster_view;
  TroupeMemberTimeline *member_timeline;
  GtkBox               *example_box;
  AdwViewStackPage     *processes_page;
  AdwBin               *processes_bin;
  TroupeProcessesView  *processes_view;  /* in processes_bin, once shown */
  /* TroupeProcess → why it replaced the run before it */
  GHashTable           *restart_notes;
};

/* In troupe-window-actions.c. */
void _troupe_window_actions_class_init  (GtkWidgetClass *widget_class);
void _troupe_window_add_example_buttons (TroupeWindow   *self);

G_END_DECLS
