/* troupe-cluster-row.c: a cluster in the sidebar: its name, address and members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "troupe-cluster-row.h"

struct _TroupeClusterRow
{
  GtkWidget      parent_instance;

  TroupeCluster *cluster;

  GtkImage      *state_icon;
  GtkLabel      *name_label;
  GtkLabel      *detail_label;
  GtkLabel      *listening_badge;
};

G_DEFINE_FINAL_TYPE (TroupeClusterRow, troupe_cluster_row, GTK_TYPE_WIDGET)

/**
 * troupe_cluster_row_dup_address:
 *
 * Returns: (transfer full): "127.0.0.1:8000", with brackets around an IPv6 host
 */
char *
troupe_cluster_row_dup_address (TroupeCluster *cluster)
{
  const char *host = troupe_cluster_get_host (cluster);

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, troupe_cluster_get_port (cluster));
  return g_strdup_printf ("%s:%u", host, troupe_cluster_get_port (cluster));
}

static guint
count_listening (TroupeCluster *cluster)
{
  GListModel *members = troupe_cluster_get_members (cluster);
  guint listening = 0;

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);

      if (troupe_cluster_member_get_state (member) == TROUPE_MEMBER_LISTENING)
        listening++;
    }
  return listening;
}

/**
 * troupe_cluster_row_dup_summary:
 *
 * Returns: (transfer full): "127.0.0.1:8000 · 2 of 2 listening", or why it
 *   did not start
 */
char *
troupe_cluster_row_dup_summary (TroupeCluster *cluster)
{
  g_autofree char *address = troupe_cluster_row_dup_address (cluster);
  guint size = troupe_cluster_get_size (cluster);

  if (troupe_cluster_get_error_message (cluster) != NULL)
    return g_strdup (troupe_cluster_get_error_message (cluster));
  if (!troupe_cluster_is_running (cluster))
    {
      if (troupe_cluster_is_alive (cluster))
        /* Translators: a cluster whose members are being stopped */
        return g_strdup_printf (_("%s · stopping"), address);
      /* Translators: a cluster that was stopped */
      return g_strdup_printf (_("%s · stopped"), address);
    }
  /* Translators: a cluster's address, then how many of its members serve */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u of %u listening",
                                       "%s · %u of %u listening", size),
                          address, count_listening (cluster), size);
}

static void
update (TroupeClusterRow *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *address = NULL;
  g_autofree char *badge = NULL;
  const char *name;
  gboolean running;

  if (self->cluster == NULL)
    return;
  name = troupe_command_get_name (troupe_cluster_get_command (self->cluster));
  summary = troupe_cluster_row_dup_summary (self->cluster);
  running = troupe_cluster_is_running (self->cluster);
  address = troupe_cluster_row_dup_address (self->cluster);
  gtk_label_set_text (self->name_label, name);
  /* The sidebar is narrow: while it runs, the address, with how many of its
   * members listen in a badge; otherwise what the summary says. */
  gtk_label_set_text (self->detail_label, running ? address : summary);
  gtk_widget_set_visible (GTK_WIDGET (self->listening_badge), running);
  if (running)
    {
      /* Translators: how many of a cluster's members listen, of how many, in a badge */
      badge = g_strdup_printf (_("%u/%u"), count_listening (self->cluster),
                               troupe_cluster_get_size (self->cluster));
      gtk_label_set_text (self->listening_badge, badge);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->listening_badge), summary);
    }
  gtk_image_set_from_icon_name (self->state_icon,
                                troupe_cluster_get_error_message (self->cluster) != NULL
                                  ? "dialog-error-symbolic"
                                  : "network-server-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

static void
troupe_cluster_row_dispose (GObject *object)
{
  TroupeClusterRow *self = (TroupeClusterRow *) object;

  troupe_cluster_row_set_cluster (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_CLUSTER_ROW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_cluster_row_parent_class)->dispose (object);
}

static void
troupe_cluster_row_class_init (TroupeClusterRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_cluster_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-cluster-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeClusterRow, listening_badge);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
troupe_cluster_row_init (TroupeClusterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
troupe_cluster_row_new (void)
{
  return g_object_new (TROUPE_TYPE_CLUSTER_ROW, NULL);
}

/**
 * troupe_cluster_row_set_cluster:
 * @cluster: (nullable): the cluster to show
 */
void
troupe_cluster_row_set_cluster (TroupeClusterRow *self,
                                TroupeCluster    *cluster)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_ROW (self));

  if (self->cluster == cluster)
    return;
  if (self->cluster != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->cluster, self);
      g_signal_handlers_disconnect_by_data (troupe_cluster_get_members (self->cluster), self);
    }
  g_set_object (&self->cluster, cluster);
  if (cluster != NULL)
    {
      g_signal_connect_swapped (cluster, "member-changed", G_CALLBACK (update), self);
      g_signal_connect_swapped (cluster, "stopped", G_CALLBACK (update), self);
      g_signal_connect_swapped (troupe_cluster_get_members (cluster), "items-changed",
                                G_CALLBACK (update), self);
      update (self);
    }
}
