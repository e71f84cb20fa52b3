/* troupe-worker-row.c: a thread worker in the sidebar, or the Workers section's header
 *
 * A worker's row says its kind, its state and run time, and what it was
 * started on (a load test's URL, a search's pattern), with its exit code as
 * a badge once it has one. The sidebar has no section headers of its own
 * (GTK 4.8's list view has none), so the same row, given the pool instead of
 * a worker, is the header: "Workers" and how many run, wait and have ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-format.h"
#include "troupe-worker-row.h"

/* How much of a start data summary the row shows. */
#define SUMMARY_CHARS 60

struct _TroupeWorkerRow
{
  GtkWidget         parent_instance;

  TroupeWorker     *worker;
  TroupeWorkerPool *pool;
  guint             clock;

  GtkImage         *state_icon;
  GtkLabel         *name_label;
  GtkLabel         *detail_label;
  GtkLabel         *exit_badge;
};

G_DEFINE_FINAL_TYPE (TroupeWorkerRow, troupe_worker_row, GTK_TYPE_WIDGET)

/* The fields that say best what a worker works on, as its kinds name them. */
static const char *summary_members[] = { "url", "address", "pattern", "path", "name" };

/**
 * troupe_worker_row_dup_summary:
 *
 * Returns: (transfer full): what @worker was started on, short: a URL, an
 *   address, a pattern, or its start data on one line, cut; "" for none
 */
char *
troupe_worker_row_dup_summary (TroupeWorker *worker)
{
  JsonNode *data = troupe_worker_get_data (worker);
  g_autofree char *compact = NULL;

  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *object = json_node_get_object (data);

      for (guint i = 0; i < G_N_ELEMENTS (summary_members); i++)
        {
          JsonNode *member = json_object_get_member (object, summary_members[i]);

          if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
              json_node_get_value_type (member) == G_TYPE_STRING)
            return g_strdup (json_node_get_string (member));
        }
    }
  compact = json_to_string (data, FALSE);
  if (g_utf8_strlen (compact, -1) > SUMMARY_CHARS)
    {
      const char *cut = g_utf8_offset_to_pointer (compact, SUMMARY_CHARS);

      return g_strdup_printf ("%.*s…", (int) (cut - compact), compact);
    }
  return g_steal_pointer (&compact);
}

/**
 * troupe_worker_row_dup_counts:
 *
 * Returns: (transfer full): "2 running · 1 queued · 3 finished"
 */
char *
troupe_worker_row_dup_counts (TroupeWorkerPool *pool)
{
  /* Translators: how many thread workers run, part of "2 running · 1 queued · 3 finished" */
  return g_strdup_printf (_("%u running · %u queued · %u finished"),
                          troupe_worker_pool_get_n_running (pool),
                          troupe_worker_pool_get_n_queued (pool),
                          troupe_worker_pool_get_n_finished (pool));
}

/**
 * troupe_worker_row_get_state_icon:
 *
 * Returns: a symbolic icon name for @worker's state
 */
const char *
troupe_worker_row_get_state_icon (TroupeWorker *worker)
{
  switch (troupe_worker_get_state (worker))
    {
    case TROUPE_WORKER_QUEUED:
      return "content-loading-symbolic";
    case TROUPE_WORKER_RUNNING:
      return "media-playback-start-symbolic";
    case TROUPE_WORKER_TERMINATING:
    case TROUPE_WORKER_TERMINATED:
      return "process-stop-symbolic";
    case TROUPE_WORKER_EXITED:
      return troupe_worker_get_exit_code (worker) == 0 ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic";
    case TROUPE_WORKER_FAILED:
      return "dialog-error-symbolic";
    case TROUPE_WORKER_NOT_RESPONDING:
      return "dialog-warning-symbolic";
    default:
      return "system-run-symbolic";
    }
}

static void
set_badge (TroupeWorkerRow *self,
           const char      *text,
           const char      *style)
{
  GtkWidget *badge = GTK_WIDGET (self->exit_badge);

  gtk_widget_set_visible (badge, text != NULL);
  gtk_label_set_text (self->exit_badge, text != NULL ? text : "");
  gtk_widget_remove_css_class (badge, "error");
  gtk_widget_remove_css_class (badge, "success");
  if (style != NULL)
    gtk_widget_add_css_class (badge, style);
}

static void
update_header (TroupeWorkerRow *self)
{
  g_autofree char *counts = troupe_worker_row_dup_counts (self->pool);

  gtk_label_set_text (self->name_label, _("Workers"));
  gtk_label_set_text (self->detail_label, counts);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Workers"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, counts,
                                  -1);
}

static void
update (TroupeWorkerRow *self)
{
  TroupeWorker *worker = self->worker;
  TroupeWorkerState state;
  g_autofree char *summary = NULL;
  g_autofree char *run_time = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *status = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;

  if (worker == NULL)
    return;

  state = troupe_worker_get_state (worker);
  summary = troupe_worker_row_dup_summary (worker);
  run_time = troupe_format_duration (troupe_worker_get_run_time (worker));
  /* Translators: a worker's kind and number, as in "HTTP Load #3" */
  name = g_strdup_printf (_("%s #%u"), troupe_worker_kind_get_title (troupe_worker_get_kind (worker)),
                          troupe_worker_get_id (worker));
  if (state == TROUPE_WORKER_QUEUED)
    detail = summary[0] != '\0'
               ? g_strdup_printf ("%s · %s", troupe_worker_state_to_string (state), summary)
               : g_strdup (troupe_worker_state_to_string (state));
  else if (summary[0] != '\0')
    /* Translators: a worker's state, run time and what it works on, in the sidebar, as in
     * "Running · 12.5 s · http://127.0.0.1:8000/" */
    detail = g_strdup_printf (_("%s · %s · %s"), troupe_worker_state_to_string (state), run_time,
                              summary);
  else
    /* Translators: a worker's state and run time, in the sidebar */
    detail = g_strdup_printf (_("%s · %s"), troupe_worker_state_to_string (state), run_time);

  gtk_image_set_from_icon_name (self->state_icon, troupe_worker_row_get_state_icon (worker));
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->detail_label, detail);

  switch (state)
    {
    case TROUPE_WORKER_EXITED:
      code = g_strdup_printf ("%d", troupe_worker_get_exit_code (worker));
      set_badge (self, code, troupe_worker_get_exit_code (worker) == 0 ? "success" : "error");
      break;
    case TROUPE_WORKER_FAILED:
    case TROUPE_WORKER_NOT_RESPONDING:
      set_badge (self, "!", "error");
      break;
    case TROUPE_WORKER_QUEUED:
    case TROUPE_WORKER_RUNNING:
    case TROUPE_WORKER_TERMINATING:
    case TROUPE_WORKER_TERMINATED:
    default:
      set_badge (self, NULL, NULL);
      break;
    }

  status = troupe_worker_dup_status_text (worker);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), status);
}

static gboolean
on_clock (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (TroupeWorkerRow *self)
{
  update (self);
  /* The run time ticks only while the worker has a thread. */
  if (troupe_worker_has_ended (self->worker) ||
      troupe_worker_get_state (self->worker) == TROUPE_WORKER_QUEUED)
    g_clear_handle_id (&self->clock, g_source_remove);
  else if (self->clock == 0)
    self->clock = g_timeout_add (250, on_clock, self);
}

static void
troupe_worker_row_dispose (GObject *object)
{
  TroupeWorkerRow *self = (TroupeWorkerRow *) object;

  troupe_worker_row_set_worker (self, NULL);
  troupe_worker_row_set_pool (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_WORKER_ROW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_worker_row_parent_class)->dispose (object);
}

static void
troupe_worker_row_class_init (TroupeWorkerRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_worker_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-worker-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerRow, exit_badge);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
troupe_worker_row_init (TroupeWorkerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
troupe_worker_row_new (void)
{
  return g_object_new (TROUPE_TYPE_WORKER_ROW, NULL);
}

/**
 * troupe_worker_row_get_worker:
 *
 * Returns: (transfer none) (nullable): the worker shown
 */
TroupeWorker *
troupe_worker_row_get_worker (TroupeWorkerRow *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_ROW (self), NULL);
  return self->worker;
}

/**
 * troupe_worker_row_set_worker:
 * @worker: (nullable): the worker to show
 */
void
troupe_worker_row_set_worker (TroupeWorkerRow *self,
                              TroupeWorker    *worker)
{
  g_return_if_fail (TROUPE_IS_WORKER_ROW (self));
  g_return_if_fail (worker == NULL || TROUPE_IS_WORKER (worker));

  if (self->worker == worker)
    return;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);

  if (worker != NULL)
    {
      troupe_worker_row_set_pool (self, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->state_icon), TRUE);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "worker-section-header");
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "heading");
      g_signal_connect_swapped (worker, "notify::state", G_CALLBACK (on_state_changed), self);
      on_state_changed (self);
    }
}

/**
 * troupe_worker_row_set_pool:
 * @pool: (nullable): the pool whose counts the row shows, as the section's
 *   header
 */
void
troupe_worker_row_set_pool (TroupeWorkerRow  *self,
                            TroupeWorkerPool *pool)
{
  g_return_if_fail (TROUPE_IS_WORKER_ROW (self));
  g_return_if_fail (pool == NULL || TROUPE_IS_WORKER_POOL (pool));

  if (self->pool == pool)
    return;
  if (self->pool != NULL)
    g_signal_handlers_disconnect_by_data (self->pool, self);
  g_set_object (&self->pool, pool);

  if (pool != NULL)
    {
      troupe_worker_row_set_worker (self, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->state_icon), FALSE);
      set_badge (self, NULL, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self), "worker-section-header");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
      g_signal_connect_swapped (pool, "notify::n-running", G_CALLBACK (update_header), self);
      g_signal_connect_swapped (pool, "notify::n-queued", G_CALLBACK (update_header), self);
      g_signal_connect_swapped (pool, "notify::n-finished", G_CALLBACK (update_header), self);
      update_header (self);
    }
}
