/* troupe-member-row.c: a cluster member: its state, pid, restarts and uptime, live
 *
 * The same row serves the sidebar, where it sits under its cluster, and the
 * cluster's page, where it also tells how the last run ended and offers the
 * member's own actions (restart, stop, a signal) through the page's
 * "cluster." actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-format.h"
#include "troupe-member-row.h"
#include "troupe-sparkline.h"

struct _TroupeMemberRow
{
  GtkWidget            parent_instance;

  TroupeClusterMember *member;
  TroupeProcess       *run;
  guint                clock;
  gboolean             with_actions;

  GtkImage            *state_icon;
  GtkLabel            *name_label;
  GtkLabel            *detail_label;
  GtkLabel            *exit_label;
  TroupeSparkline     *sparkline;
  GtkWidget           *actions;
  GtkButton           *restart_button;
  GtkButton           *stop_button;
  GtkMenuButton       *signal_button;
};

G_DEFINE_FINAL_TYPE (TroupeMemberRow, troupe_member_row, GTK_TYPE_WIDGET)

/* The signals a person sends to a member by hand, most common first. */
static const char *const signal_names[] = { "SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1",
                                            "SIGUSR2", "SIGKILL" };

/**
 * troupe_member_row_dup_details:
 *
 * Returns: (transfer full): "pid 123 · Listening · 1 restart · 5 s"
 */
char *
troupe_member_row_dup_details (TroupeClusterMember *member)
{
  TroupeProcess *run = troupe_cluster_member_get_process (member);
  guint restarts = troupe_cluster_member_get_restarts (member);
  g_autofree char *state = troupe_format_member_state (member);
  g_autofree char *restart_text = NULL;
  GString *details = g_string_new (NULL);

  restart_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u restart", "%u restarts",
                                               restarts), restarts);
  if (run != NULL && troupe_process_get_pid (run) > 0 && !troupe_process_has_ended (run))
    /* Translators: a cluster member's pid */
    g_string_append_printf (details, _("pid %d"), troupe_process_get_pid (run));
  if (details->len > 0)
    g_string_append (details, " · ");
  g_string_append_printf (details, "%s · %s", state, restart_text);
  if (run != NULL && !troupe_process_has_ended (run))
    {
      g_autofree char *uptime = troupe_format_duration (troupe_process_get_duration (run));

      g_string_append_printf (details, " · %s", uptime);
    }
  return g_string_free (details, FALSE);
}

/* "pid 123 · ↻ 1 · 5 s", for the sidebar, where the state is beside the name. */
static char *
dup_compact_details (TroupeClusterMember *member)
{
  TroupeProcess *run = troupe_cluster_member_get_process (member);
  guint restarts = troupe_cluster_member_get_restarts (member);
  GString *details = g_string_new (NULL);

  if (run != NULL && troupe_process_get_pid (run) > 0 && !troupe_process_has_ended (run))
    g_string_append_printf (details, _("pid %d"), troupe_process_get_pid (run));
  if (details->len > 0)
    g_string_append (details, " · ");
  /* Translators: a cluster member's restarts, short, in the sidebar */
  g_string_append_printf (details, _("↻ %u"), restarts);
  if (run != NULL && !troupe_process_has_ended (run))
    {
      g_autofree char *uptime = troupe_format_duration (troupe_process_get_duration (run));

      g_string_append_printf (details, " · %s", uptime);
    }
  return g_string_free (details, FALSE);
}

static void
update (TroupeMemberRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *details = NULL;
  g_autofree char *state = NULL;
  guint n_exits;

  if (self->member == NULL)
    return;

  /* Translators: a cluster member, by its id */
  name = g_strdup_printf (_("Member %u"), troupe_cluster_member_get_id (self->member));
  details = troupe_member_row_dup_details (self->member);
  state = troupe_format_member_state (self->member);
  if (!self->with_actions)
    {
      /* The sidebar is narrow: the state goes up beside the name, where it
       * is read first, and the pid, restarts and uptime stay below. */
      g_autofree char *compact = dup_compact_details (self->member);
      /* Translators: a cluster member and its state, in the sidebar */
      g_autofree char *title = g_strdup_printf (_("%s · %s"), name, state);

      gtk_label_set_text (self->name_label, title);
      gtk_label_set_text (self->detail_label, compact);
    }
  else
    {
      gtk_label_set_text (self->name_label, name);
      gtk_label_set_text (self->detail_label, details);
    }
  gtk_image_set_from_icon_name (self->state_icon, troupe_format_member_icon (self->member));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), state);

  n_exits = troupe_cluster_member_get_n_exits (self->member);
  if (self->with_actions && n_exits > 0)
    {
      g_autofree char *last = troupe_format_member_exit (
        troupe_cluster_member_get_exit (self->member, n_exits - 1));
      /* Translators: how a member's previous run ended */
      g_autofree char *text = g_strdup_printf (_("Last exit: %s"), last);

      gtk_label_set_text (self->exit_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->exit_label), self->with_actions && n_exits > 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
  /* In the sidebar, the CPU of the member's current run, as for a job. */
  troupe_sparkline_follow_process (self->sparkline, self->with_actions ? NULL : self->run);
}

static gboolean
on_clock (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_process_changed (TroupeMemberRow *self)
{
  TroupeProcess *run = self->member != NULL ? troupe_cluster_member_get_process (self->member)
                                            : NULL;

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  if (run != NULL)
    {
      g_signal_connect_swapped (run, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (run, "notify::pid", G_CALLBACK (update), self);
    }
  update (self);
}

static void
set_up_actions (TroupeMemberRow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  guint id = troupe_cluster_member_get_id (self->member);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->restart_button), "u", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->stop_button), "u", id);
  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (signal_names[i], NULL);

      g_menu_item_set_action_and_target (item, "cluster.signal-member", "(us)", id,
                                         signal_names[i]);
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->signal_button, G_MENU_MODEL (menu));
}

static void
troupe_member_row_dispose (GObject *object)
{
  TroupeMemberRow *self = (TroupeMemberRow *) object;

  troupe_member_row_set_member (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_MEMBER_ROW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_member_row_parent_class)->dispose (object);
}

static void
troupe_member_row_class_init (TroupeMemberRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_member_row_dispose;

  g_type_ensure (TROUPE_TYPE_SPARKLINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, exit_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, sparkline);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, actions);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, restart_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeMemberRow, signal_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
troupe_member_row_init (TroupeMemberRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_member_row_new:
 * @with_actions: whether the row tells the last exit and offers restart,
 *   stop and signals (on the cluster's page), or is one line (in the sidebar)
 */
GtkWidget *
troupe_member_row_new (gboolean with_actions)
{
  TroupeMemberRow *self = g_object_new (TROUPE_TYPE_MEMBER_ROW, NULL);

  self->with_actions = with_actions;
  gtk_widget_set_visible (self->actions, with_actions);
  if (!with_actions)
    gtk_widget_add_css_class (GTK_WIDGET (self), "member-row-nested");
  return GTK_WIDGET (self);
}

/**
 * troupe_member_row_get_member:
 *
 * Returns: (transfer none) (nullable): the member shown
 */
TroupeClusterMember *
troupe_member_row_get_member (TroupeMemberRow *self)
{
  g_return_val_if_fail (TROUPE_IS_MEMBER_ROW (self), NULL);
  return self->member;
}

/**
 * troupe_member_row_set_member:
 * @member: (nullable): the member to show
 */
void
troupe_member_row_set_member (TroupeMemberRow     *self,
                              TroupeClusterMember *member)
{
  g_return_if_fail (TROUPE_IS_MEMBER_ROW (self));

  if (self->member == member)
    return;

  g_clear_handle_id (&self->clock, g_source_remove);
  troupe_sparkline_follow_process (self->sparkline, NULL);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  if (self->member != NULL)
    g_signal_handlers_disconnect_by_data (self->member, self);
  g_set_object (&self->member, member);

  if (member != NULL)
    {
      g_signal_connect_swapped (member, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (member, "notify::restarts", G_CALLBACK (update), self);
      g_signal_connect_swapped (member, "notify::process", G_CALLBACK (on_process_changed), self);
      if (self->with_actions)
        set_up_actions (self);
      on_process_changed (self);
      /* Uptime and "restarting in N s" count by the second. */
      self->clock = g_timeout_add_seconds (1, on_clock, self);
    }
}
