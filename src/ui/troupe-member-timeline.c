/* troupe-member-timeline.c: how each run of a cluster member ended, newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "troupe-format.h"
#include "troupe-member-timeline.h"

struct _TroupeMemberTimeline
{
  GtkWidget            parent_instance;

  TroupeClusterMember *member;
  guint                shown_exits;

  GtkStack            *stack;
  GtkListBox          *exit_list;
};

G_DEFINE_FINAL_TYPE (TroupeMemberTimeline, troupe_member_timeline, GTK_TYPE_WIDGET)

static GtkWidget *
create_exit_row (const TroupeMemberExit *member_exit)
{
  g_autofree char *title = troupe_format_member_exit (member_exit);
  g_autofree char *uptime = troupe_format_duration (member_exit->uptime);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (member_exit->ended_at /
                                                              G_USEC_PER_SEC);
  g_autofree char *time = g_date_time_format (when, "%X");
  /* Translators: a member run's pid, how long it ran, and when it ended */
  g_autofree char *subtitle = g_strdup_printf (_("pid %d · ran %s · ended at %s"),
                                               member_exit->pid, uptime, time);
  GtkWidget *row = adw_action_row_new ();
  const char *icon = member_exit->signaled ? "process-stop-symbolic" : "dialog-warning-symbolic";

  /* A run Troupe ended on purpose (over its memory limit, say) leads with
   * why; how it ended follows. */
  if (member_exit->reason != NULL)
    {
      g_autofree char *details = g_strdup_printf ("%s · %s", title, subtitle);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member_exit->reason);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);
      icon = "view-refresh-symbolic";
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  return row;
}

/* Exits are only ever added: put the new ones on top, keep the rest. */
static void
update (TroupeMemberTimeline *self)
{
  guint n_exits = self->member != NULL ? troupe_cluster_member_get_n_exits (self->member) : 0;

  for (; self->shown_exits < n_exits; self->shown_exits++)
    gtk_list_box_prepend (self->exit_list,
                          create_exit_row (troupe_cluster_member_get_exit (self->member,
                                                                           self->shown_exits)));
  gtk_stack_set_visible_child_name (self->stack, n_exits > 0 ? "exits" : "empty");
}

/* The member records a run's exit when it ends, before this hears of it. */
static void
on_runs_changed (TroupeMemberTimeline *self,
                 guint                 position,
                 guint                 removed,
                 guint                 added)
{
  GListModel *runs = troupe_cluster_member_get_runs (self->member);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TroupeProcess) run = g_list_model_get_item (runs, i);

      g_signal_connect_object (run, "ended", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
}

static void
clear (TroupeMemberTimeline *self)
{
  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (self->exit_list))) != NULL;)
    gtk_list_box_remove (self->exit_list, row);
  self->shown_exits = 0;
}

static void
troupe_member_timeline_dispose (GObject *object)
{
  TroupeMemberTimeline *self = (TroupeMemberTimeline *) object;

  troupe_member_timeline_set_member (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_MEMBER_TIMELINE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_member_timeline_parent_class)->dispose (object);
}

static void
troupe_member_timeline_class_init (TroupeMemberTimelineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_member_timeline_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-member-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberTimeline, stack);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberTimeline, exit_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
troupe_member_timeline_init (TroupeMemberTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_member_timeline_set_member:
 * @member: (nullable): whose exits to show
 */
void
troupe_member_timeline_set_member (TroupeMemberTimeline *self,
                                   TroupeClusterMember  *member)
{
  g_return_if_fail (TROUPE_IS_MEMBER_TIMELINE (self));

  if (self->member == member)
    return;
  if (self->member != NULL)
    {
      GListModel *runs = troupe_cluster_member_get_runs (self->member);

      g_signal_handlers_disconnect_by_data (self->member, self);
      g_signal_handlers_disconnect_by_data (runs, self);
      for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
        {
          g_autoptr(TroupeProcess) run = g_list_model_get_item (runs, i);

          g_signal_handlers_disconnect_by_data (run, self);
        }
    }
  g_set_object (&self->member, member);
  clear (self);
  if (member != NULL)
    {
      GListModel *runs = troupe_cluster_member_get_runs (member);

      /* Each exit changes the member's state (exited, restarting, …); a run
       * replaced while its successor serves ends without one. */
      g_signal_connect_swapped (member, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (runs, "items-changed", G_CALLBACK (on_runs_changed), self);
      on_runs_changed (self, 0, 0, g_list_model_get_n_items (runs));
      update (self);
    }
}
