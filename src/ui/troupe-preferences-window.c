/* troupe-preferences-window.c: the settings a person can change
 *
 * Every control is bound to its GSettings key, so a change takes effect at
 * once, and the app reacts to the keys, not to this window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-preferences-window.h"

struct _TroupePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSpinButton        *stop_timeout_spin;
  GtkSpinButton        *keep_runs_spin;
  GtkSpinButton        *keep_megabytes_spin;
  GtkSwitch            *timestamps_switch;
  GtkSwitch            *notifications_switch;
  GtkFontButton        *font_button;
  GtkSpinButton        *sample_interval_spin;
};

G_DEFINE_FINAL_TYPE (TroupePreferencesWindow, troupe_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void
troupe_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TROUPE_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (troupe_preferences_window_parent_class)->dispose (object);
}

static void
troupe_preferences_window_class_init (TroupePreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = troupe_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/troupe/Troupe/troupe-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow, stop_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow, keep_runs_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow,
                                        keep_megabytes_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow, timestamps_switch);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow,
                                        notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow, font_button);
  gtk_widget_class_bind_template_child (widget_class, TroupePreferencesWindow,
                                        sample_interval_spin);
}

static void
troupe_preferences_window_init (TroupePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_preferences_window_new:
 * @parent: the main window
 * @settings: the app's settings
 *
 * Returns: (transfer floating): the preferences, bound to @settings
 */
GtkWidget *
troupe_preferences_window_new (GtkWindow *parent,
                               GSettings *settings)
{
  TroupePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TROUPE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  g_settings_bind (settings, "stop-timeout", gtk_spin_button_get_adjustment (self->stop_timeout_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-runs", gtk_spin_button_get_adjustment (self->keep_runs_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-megabytes",
                   gtk_spin_button_get_adjustment (self->keep_megabytes_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "timestamps", self->timestamps_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "font", self->font_button, "font", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sample-interval",
                   gtk_spin_button_get_adjustment (self->sample_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  return GTK_WIDGET (self);
}
