/* troupe-cluster-view.c: a cluster's page: its address, its members, and what to do with them
 *
 * Everything the page does is a "cluster." action (scale, reload, broadcast,
 * stop-all, and per member restart-member, stop-member, signal-member), so
 * that buttons, menus and tests all go the same way. Problems a person should
 * see (a signal that could not be sent, say) leave through ::show-message,
 * for the window to show as a toast.
 *
 * The Usage graphs draw each member's CPU and memory (its process and all
 * the processes it started), one line per member, in the member's own colour
 * from the graph palette (by member number, so a restarted member keeps it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "troupe-cluster-row.h"
#include "troupe-cluster-view.h"
#include "troupe-json-text.h"
#include "troupe-member-row.h"
#include "troupe-signal-names.h"

struct _TroupeClusterView
{
  GtkWidget          parent_instance;

  TroupeCluster     *cluster;
  TroupeSession     *session;
  /* The members' processes the graphs draw, to tell when to redraw them. */
  GPtrArray         *graphed;

  AdwPreferencesGroup *cluster_group;
  GtkLabel          *error_label;
  AdwActionRow      *address_row;
  GtkLabel          *address_label;
  GtkWidget         *load_test_button;
  GtkSpinButton     *size_spin;
  AdwEntryRow       *broadcast_row;
  GtkLabel          *broadcast_error;
  GtkListBox        *member_list;
  TroupeUsageGraph  *cpu_graph;
  TroupeUsageGraph  *memory_graph;
};

enum
{
  SHOW_MESSAGE,
  MEMBER_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeClusterView, troupe_cluster_view, GTK_TYPE_WIDGET)

static void
show_message (TroupeClusterView *self,
              const char        *text)
{
  g_signal_emit (self, signals[SHOW_MESSAGE], 0, text);
}

static TroupeClusterMember *
find_member (TroupeClusterView *self,
             guint              id)
{
  GListModel *members;

  if (self->cluster == NULL)
    return NULL;
  members = troupe_cluster_get_members (self->cluster);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);

      if (troupe_cluster_member_get_id (member) == id)
        return member; /* the cluster keeps it */
    }
  return NULL;
}

static void
update (TroupeClusterView *self)
{
  g_autofree char *address = NULL;
  g_autofree char *line = NULL;
  const char *error_message;
  gboolean running;

  if (self->cluster == NULL)
    return;
  address = troupe_cluster_row_dup_address (self->cluster);
  line = troupe_command_to_display_string (troupe_cluster_get_command (self->cluster));
  error_message = troupe_cluster_get_error_message (self->cluster);
  running = troupe_cluster_is_running (self->cluster);

  adw_preferences_group_set_title (self->cluster_group,
                                   troupe_command_get_name (
                                     troupe_cluster_get_command (self->cluster)));
  adw_preferences_group_set_description (self->cluster_group, line);
  gtk_label_set_text (self->address_label, address);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error_message != NULL);
  if (error_message != NULL)
    {
      /* Translators: why a cluster did not start */
      g_autofree char *text = g_strdup_printf (_("Could not start: %s"), error_message);

      gtk_label_set_text (self->error_label, text);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.scale", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.reload",
                                 running && !troupe_cluster_is_reloading (self->cluster));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.broadcast", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.stop-all",
                                 running || troupe_cluster_is_alive (self->cluster));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.restart-member", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.stop-member", running);
  /* A stopped cluster has no one to answer. The action is the window's, shared
   * by every cluster, so the button itself says it. */
  gtk_widget_set_sensitive (self->load_test_button, running);
}

/* Each member's line: the tree of its current process, if it has one. */
static void
update_usage (TroupeClusterView *self)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new ();
  GListModel *members = self->cluster != NULL ? troupe_cluster_get_members (self->cluster) : NULL;
  guint n = members != NULL ? g_list_model_get_n_items (members) : 0;
  gboolean same;

  if (self->cluster == NULL || self->session == NULL)
    {
      troupe_usage_graph_remove_all (self->cpu_graph);
      troupe_usage_graph_remove_all (self->memory_graph);
      g_clear_pointer (&self->graphed, g_ptr_array_unref);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);
      TroupeProcess *process = troupe_cluster_member_get_process (member);

      if (process != NULL && troupe_session_get_process_tree (self->session, process) != NULL)
        g_ptr_array_add (processes, process);
    }

  same = self->graphed != NULL && self->graphed->len == processes->len;
  for (guint i = 0; same && i < processes->len; i++)
    same = g_ptr_array_index (self->graphed, i) == g_ptr_array_index (processes, i);
  if (same)
    {
      troupe_usage_graph_update (self->cpu_graph);
      troupe_usage_graph_update (self->memory_graph);
      return;
    }

  troupe_usage_graph_remove_all (self->cpu_graph);
  troupe_usage_graph_remove_all (self->memory_graph);
  g_clear_pointer (&self->graphed, g_ptr_array_unref);
  self->graphed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0, j = 0; i < n && j < processes->len; i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);
      TroupeProcess *process = troupe_cluster_member_get_process (member);
      guint id = troupe_cluster_member_get_id (member);
      TroupeSampleRing *totals;
      g_autofree char *label = NULL;

      if (process != g_ptr_array_index (processes, j))
        continue;
      j++;
      totals = troupe_process_tree_get_totals (troupe_session_get_process_tree (self->session,
                                                                                process));
      /* Translators: a cluster member, by its id */
      label = g_strdup_printf (_("Member %u"), id);
      troupe_usage_graph_add_series (self->cpu_graph, totals, label, id > 0 ? id - 1 : 0);
      troupe_usage_graph_add_series (self->memory_graph, totals, label, id > 0 ? id - 1 : 0);
      g_ptr_array_add (self->graphed, g_object_ref (process));
    }
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  GdkRGBA colour;

  troupe_usage_graph_get_colour (GPOINTER_TO_UINT (user_data), TROUPE_USAGE_METRIC_CPU,
                                 adw_style_manager_get_dark (adw_style_manager_get_default ()),
                                 &colour);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A member's row, led by a dot in the colour of its line on the graphs. */
static GtkWidget *
create_member_row (gpointer item,
                   gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  /* Only a hint for the eye: the row says which member it is. */
  GtkWidget *swatch = g_object_new (GTK_TYPE_DRAWING_AREA,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *row = troupe_member_row_new (TRUE);
  guint id = troupe_cluster_member_get_id (item);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 10);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 10);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (id > 0 ? id - 1 : 0), NULL);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (swatch, 12);
  gtk_widget_set_margin_end (swatch, 2);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), swatch, G_CONNECT_SWAPPED);
  troupe_member_row_set_member (TROUPE_MEMBER_ROW (row), item);
  gtk_widget_set_hexpand (row, TRUE);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), row);
  return box;
}

static void
on_member_row_activated (TroupeClusterView *self,
                         GtkListBoxRow     *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  TroupeMemberRow *member_row = TROUPE_MEMBER_ROW (gtk_widget_get_last_child (box));

  g_signal_emit (self, signals[MEMBER_ACTIVATED], 0,
                 troupe_member_row_get_member (member_row));
}

static void
on_scale (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TroupeClusterView *self = TROUPE_CLUSTER_VIEW (widget);

  if (self->cluster == NULL)
    return;
  gtk_spin_button_update (self->size_spin);
  troupe_cluster_scale (self->cluster, (guint) gtk_spin_button_get_value_as_int (self->size_spin));
  update (self);
}

static void
on_reload (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TroupeClusterView *self = TROUPE_CLUSTER_VIEW (widget);

  if (self->cluster == NULL)
    return;
  troupe_cluster_reload (self->cluster);
  update (self);
}

static void
on_broadcast_changed (TroupeClusterView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->broadcast_row));
  g_autoptr(GError) error = NULL;
  gboolean valid = troupe_json_text_check (text, strlen (text), NULL, &error);
  gboolean empty = g_error_matches (error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_EMPTY);

  /* An empty entry is not wrong yet, only not ready. */
  if (valid || empty)
    gtk_widget_remove_css_class (GTK_WIDGET (self->broadcast_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->broadcast_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->broadcast_error), !valid && !empty);
  gtk_label_set_text (self->broadcast_error, valid || empty ? "" : error->message);
}

static void
on_broadcast (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TroupeClusterView *self = TROUPE_CLUSTER_VIEW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->broadcast_row));
  g_autoptr(GString) compact = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint sent;

  if (self->cluster == NULL)
    return;
  if (!troupe_json_text_check (text, strlen (text), compact, &error) ||
      (sent = troupe_cluster_broadcast (self->cluster, compact->str, &error), error != NULL))
    {
      on_broadcast_changed (self);
      show_message (self, error->message);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Message sent to %u member",
                                          "Message sent to %u members", sent), sent);
  show_message (self, message);
}

static void
on_stop_all (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TroupeClusterView *self = TROUPE_CLUSTER_VIEW (widget);

  if (self->cluster != NULL)
    troupe_cluster_stop (self->cluster);
  update (self);
}

static void
on_restart_member (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TroupeClusterMember *member = find_member (TROUPE_CLUSTER_VIEW (widget),
                                             g_variant_get_uint32 (parameter));

  if (member != NULL)
    troupe_cluster_member_restart (member);
}

static void
on_stop_member (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TroupeClusterMember *member = find_member (TROUPE_CLUSTER_VIEW (widget),
                                             g_variant_get_uint32 (parameter));

  if (member != NULL)
    troupe_cluster_member_stop (member);
}

static void
on_signal_member (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TroupeClusterView *self = TROUPE_CLUSTER_VIEW (widget);
  TroupeClusterMember *member;
  g_autoptr(GError) error = NULL;
  const char *signal_name;
  guint id;
  int signal_number;

  g_variant_get (parameter, "(u&s)", &id, &signal_name);
  member = find_member (self, id);
  signal_number = troupe_signal_from_name (signal_name);
  if (member == NULL || signal_number == 0)
    return;
  if (!troupe_cluster_member_send_signal (member, signal_number, &error))
    show_message (self, error->message);
}

static void
troupe_cluster_view_dispose (GObject *object)
{
  TroupeClusterView *self = (TroupeClusterView *) object;

  troupe_cluster_view_set_cluster (self, NULL);
  troupe_cluster_view_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_CLUSTER_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_cluster_view_parent_class)->dispose (object);
}

static void
troupe_cluster_view_class_init (TroupeClusterViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_cluster_view_dispose;

  /**
   * TroupeClusterView::show-message:
   * @text: what to tell the user
   */
  signals[SHOW_MESSAGE] =
    g_signal_new ("show-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TroupeClusterView::member-activated:
   * @member: the member whose row was activated
   */
  signals[MEMBER_ACTIVATED] =
    g_signal_new ("member-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, TROUPE_TYPE_CLUSTER_MEMBER);

  g_type_ensure (TROUPE_TYPE_USAGE_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-cluster-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, cluster_group);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, error_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, address_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, address_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, load_test_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, size_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, broadcast_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, broadcast_error);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, member_list);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterView, memory_graph);
  gtk_widget_class_bind_template_callback (widget_class, on_member_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_broadcast_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "cluster.scale", NULL, on_scale);
  gtk_widget_class_install_action (widget_class, "cluster.reload", NULL, on_reload);
  gtk_widget_class_install_action (widget_class, "cluster.broadcast", NULL, on_broadcast);
  gtk_widget_class_install_action (widget_class, "cluster.stop-all", NULL, on_stop_all);
  gtk_widget_class_install_action (widget_class, "cluster.restart-member", "u",
                                   on_restart_member);
  gtk_widget_class_install_action (widget_class, "cluster.stop-member", "u", on_stop_member);
  gtk_widget_class_install_action (widget_class, "cluster.signal-member", "(us)",
                                   on_signal_member);
}

static void
troupe_cluster_view_init (TroupeClusterView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_cluster_view_get_cluster:
 *
 * Returns: (transfer none) (nullable): the cluster shown
 */
TroupeCluster *
troupe_cluster_view_get_cluster (TroupeClusterView *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_VIEW (self), NULL);
  return self->cluster;
}

/**
 * troupe_cluster_view_set_cluster:
 * @cluster: (nullable): the cluster to show
 */
void
troupe_cluster_view_set_cluster (TroupeClusterView *self,
                                 TroupeCluster     *cluster)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_VIEW (self));

  if (self->cluster == cluster)
    return;
  if (self->cluster != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->cluster, self);
      g_signal_handlers_disconnect_by_data (troupe_cluster_get_members (self->cluster), self);
    }
  g_clear_pointer (&self->graphed, g_ptr_array_unref);
  g_set_object (&self->cluster, cluster);
  gtk_list_box_bind_model (self->member_list,
                           cluster != NULL ? troupe_cluster_get_members (cluster) : NULL,
                           cluster != NULL ? create_member_row : NULL, NULL, NULL);
  if (cluster != NULL)
    {
      g_signal_connect_swapped (cluster, "member-changed", G_CALLBACK (update), self);
      g_signal_connect_swapped (cluster, "stopped", G_CALLBACK (update), self);
      g_signal_connect_swapped (cluster, "reloaded", G_CALLBACK (update), self);
      gtk_spin_button_set_value (self->size_spin, MAX (1, troupe_cluster_get_size (cluster)));
      gtk_editable_set_text (GTK_EDITABLE (self->broadcast_row), "");
      g_signal_connect_swapped (cluster, "member-changed", G_CALLBACK (update_usage), self);
      g_signal_connect_swapped (troupe_cluster_get_members (cluster), "items-changed",
                                G_CALLBACK (update_usage), self);
      update (self);
    }
  update_usage (self);
}

/**
 * troupe_cluster_view_set_session:
 * @session: (nullable): the session that runs the clusters, whose sampler
 *   watches their members
 */
void
troupe_cluster_view_set_session (TroupeClusterView *self,
                                 TroupeSession     *session)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (troupe_session_get_sampler (self->session), self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_swapped (troupe_session_get_sampler (session), "sampled",
                              G_CALLBACK (update_usage), self);
  update_usage (self);
}

/**
 * troupe_cluster_view_get_usage_graph:
 *
 * Returns: (transfer none): the graph of the members' @metric, one line each
 */
TroupeUsageGraph *
troupe_cluster_view_get_usage_graph (TroupeClusterView *self,
                                     TroupeUsageMetric  metric)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_VIEW (self), NULL);
  return metric == TROUPE_USAGE_METRIC_CPU ? self->cpu_graph : self->memory_graph;
}
