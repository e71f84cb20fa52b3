/* troupe-job-row.c: a job in the sidebar: name, state, pid, exit and run time
 *
 * A running job also shows its CPU use of the last half minute (its whole
 * process tree), as a sparkline that moves with each sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-format.h"
#include "troupe-job-row.h"
#include "troupe-sparkline.h"

struct _TroupeJobRow
{
  GtkWidget      parent_instance;

  TroupeProcess *process;
  guint          clock;

  GtkImage      *state_icon;
  GtkLabel      *name_label;
  GtkLabel      *detail_label;
  GtkLabel      *exit_badge;
  TroupeSparkline *sparkline;
};

G_DEFINE_FINAL_TYPE (TroupeJobRow, troupe_job_row, GTK_TYPE_WIDGET)

static void
update (TroupeJobRow *self)
{
  g_autofree char *duration = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *badge = NULL;
  g_autofree char *status = NULL;

  if (self->process == NULL)
    return;

  duration = troupe_format_duration (troupe_process_get_duration (self->process));
  if (troupe_process_get_pid (self->process) > 0)
    /* Translators: pid and run time of a job, in the job list */
    detail = g_strdup_printf (_("pid %d · %s"), troupe_process_get_pid (self->process),
                              duration);
  else
    detail = g_strdup (duration);

  gtk_image_set_from_icon_name (self->state_icon, troupe_format_state_icon (self->process));
  gtk_label_set_text (self->name_label, troupe_process_get_name (self->process));
  gtk_label_set_text (self->detail_label, detail);

  badge = troupe_format_exit_badge (self->process);
  gtk_widget_set_visible (GTK_WIDGET (self->exit_badge), badge != NULL);
  gtk_label_set_text (self->exit_badge, badge != NULL ? badge : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->exit_badge), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->exit_badge), "success");
  if (badge != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->exit_badge),
                              g_str_equal (badge, "0") ? "success" : "error");

  status = troupe_process_dup_status_text (self->process);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  troupe_process_get_name (self->process),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), status);
  troupe_sparkline_follow_process (self->sparkline, self->process);
}

static gboolean
on_clock (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (TroupeJobRow *self)
{
  update (self);
  /* The run time ticks (in tenths under ten seconds) only while the job runs. */
  if (troupe_process_has_ended (self->process))
    g_clear_handle_id (&self->clock, g_source_remove);
  else if (self->clock == 0)
    self->clock = g_timeout_add (250, on_clock, self);
}

static void
troupe_job_row_dispose (GObject *object)
{
  TroupeJobRow *self = (TroupeJobRow *) object;

  troupe_job_row_set_process (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_JOB_ROW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_job_row_parent_class)->dispose (object);
}

static void
troupe_job_row_class_init (TroupeJobRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_job_row_dispose;

  g_type_ensure (TROUPE_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeJobRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobRow, exit_badge);
  gtk_widget_class_bind_template_child (widget_class, TroupeJobRow, sparkline);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
troupe_job_row_init (TroupeJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (update), NULL);
}

GtkWidget *
troupe_job_row_new (void)
{
  return g_object_new (TROUPE_TYPE_JOB_ROW, NULL);
}

/**
 * troupe_job_row_get_process:
 *
 * Returns: (transfer none) (nullable): the job shown
 */
TroupeProcess *
troupe_job_row_get_process (TroupeJobRow *self)
{
  g_return_val_if_fail (TROUPE_IS_JOB_ROW (self), NULL);
  return self->process;
}

/**
 * troupe_job_row_set_process:
 * @process: (nullable): the job to show
 */
void
troupe_job_row_set_process (TroupeJobRow  *self,
                            TroupeProcess *process)
{
  g_return_if_fail (TROUPE_IS_JOB_ROW (self));

  if (self->process == process)
    return;

  g_clear_handle_id (&self->clock, g_source_remove);
  if (self->process != NULL)
    g_signal_handlers_disconnect_by_data (self->process, self);
  troupe_sparkline_follow_process (self->sparkline, NULL);
  g_set_object (&self->process, process);

  if (process != NULL)
    {
      g_signal_connect_swapped (process, "notify::state", G_CALLBACK (on_state_changed), self);
      g_signal_connect_swapped (process, "notify::pid", G_CALLBACK (update), self);
      on_state_changed (self);
    }
}
