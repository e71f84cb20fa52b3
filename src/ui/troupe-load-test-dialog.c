/* troupe-load-test-dialog.c: a load test against a cluster's address, as an HTTP load worker
 *
 * Opened from a cluster's page, with the URL of its listening socket filled
 * in (a cluster listening on every address is reached on loopback). Start
 * runs an HTTP load worker with the connections, duration and keep-alive
 * chosen, and the window shows its page, where the user watches it beside
 * the cluster's members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-load-test-dialog.h"

struct _TroupeLoadTestDialog
{
  AdwWindow          parent_instance;

  TroupeWorkerPool  *pool;

  AdwPreferencesGroup *target_group;
  AdwEntryRow       *url_row;
  GtkSpinButton     *connections_spin;
  GtkSpinButton     *duration_spin;
  GtkSwitch         *keep_alive_switch;
  GtkLabel          *error_label;
};

enum
{
  WORKER_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeLoadTestDialog, troupe_load_test_dialog, ADW_TYPE_WINDOW)

static void
show_error (TroupeLoadTestDialog *self,
            const char           *text)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
}

/* Only http:// URLs are offered: that is what the load worker speaks. */
static void
validate (TroupeLoadTestDialog *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  gboolean valid = g_str_has_prefix (url, "http://") && g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);

  if (valid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
      show_error (self, NULL);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      show_error (self, _("Enter an http:// URL, such as http://127.0.0.1:8000/"));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "load-test.start", valid);
}

/**
 * troupe_load_test_dialog_dup_data:
 *
 * Returns: (transfer full): the load worker's start data, as JSON text
 */
char *
troupe_load_test_dialog_dup_data (TroupeLoadTestDialog *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (TROUPE_IS_LOAD_TEST_DIALOG (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, gtk_spin_button_get_value_as_int (self->connections_spin));
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, gtk_spin_button_get_value (self->duration_spin));
  json_builder_set_member_name (builder, "keep_alive");
  json_builder_add_boolean_value (builder, gtk_switch_get_active (self->keep_alive_switch));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
on_start (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TroupeLoadTestDialog *self = TROUPE_LOAD_TEST_DIALOG (widget);
  g_autofree char *data = troupe_load_test_dialog_dup_data (self);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker;

  worker = troupe_worker_pool_start_text (self->pool, TROUPE_LOAD_TEST_KIND, data, &error);
  if (worker == NULL)
    {
      /* Translators: why a load test could not be started */
      g_autofree char *text = g_strdup_printf (_("Could not start the load test: %s"),
                                               error->message);

      show_error (self, text);
      gtk_widget_error_bell (widget);
      return;
    }
  g_signal_emit (self, signals[WORKER_STARTED], 0, worker);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
troupe_load_test_dialog_dispose (GObject *object)
{
  TroupeLoadTestDialog *self = (TroupeLoadTestDialog *) object;

  g_clear_object (&self->pool);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_LOAD_TEST_DIALOG);

  G_OBJECT_CLASS (troupe_load_test_dialog_parent_class)->dispose (object);
}

static void
troupe_load_test_dialog_class_init (TroupeLoadTestDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_load_test_dialog_dispose;

  /**
   * TroupeLoadTestDialog::worker-started:
   * @worker: the load worker, started in the dialog's pool
   */
  signals[WORKER_STARTED] = g_signal_new ("worker-started", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, TROUPE_TYPE_WORKER);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/troupe/Troupe/troupe-load-test-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, target_group);
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, connections_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, keep_alive_switch);
  gtk_widget_class_bind_template_child (widget_class, TroupeLoadTestDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, validate);

  gtk_widget_class_install_action (widget_class, "load-test.start", NULL, on_start);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
troupe_load_test_dialog_init (TroupeLoadTestDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_load_test_dialog_new:
 * @parent: the window it belongs to
 * @pool: where the load worker is started
 * @cluster: the cluster to aim at
 *
 * Returns: (transfer none): a new dialog, not shown yet; it emits
 *   "worker-started" and closes once the load test has started
 */
TroupeLoadTestDialog *
troupe_load_test_dialog_new (GtkWindow        *parent,
                             TroupeWorkerPool *pool,
                             TroupeCluster    *cluster)
{
  TroupeLoadTestDialog *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (pool), NULL);
  g_return_val_if_fail (TROUPE_IS_CLUSTER (cluster), NULL);

  self = g_object_new (TROUPE_TYPE_LOAD_TEST_DIALOG, "transient-for", parent, NULL);
  self->pool = g_object_ref (pool);
  url = troupe_cluster_dup_http_url (cluster);
  adw_preferences_group_set_title (self->target_group,
                                   troupe_command_get_name (troupe_cluster_get_command (cluster)));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  validate (self);
  return self;
}

/**
 * troupe_load_test_dialog_set_settings:
 * @connections: how many connections at once
 * @duration: seconds
 * @keep_alive: whether connections are reused
 */
void
troupe_load_test_dialog_set_settings (TroupeLoadTestDialog *self,
                                      guint                 connections,
                                      double                duration,
                                      gboolean              keep_alive)
{
  g_return_if_fail (TROUPE_IS_LOAD_TEST_DIALOG (self));
  gtk_spin_button_set_value (self->connections_spin, connections);
  gtk_spin_button_set_value (self->duration_spin, duration);
  gtk_switch_set_active (self->keep_alive_switch, keep_alive);
}
