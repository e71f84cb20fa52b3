/* troupe-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-window.h"

struct _TroupeWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (TroupeWindow, troupe_window, ADW_TYPE_APPLICATION_WINDOW)

static void
troupe_window_class_init (TroupeWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-window.ui");
}

static void
troupe_window_init (TroupeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * troupe_window_new:
 *
 * Returns: (transfer floating): a new main window
 */
TroupeWindow *
troupe_window_new (TroupeApplication *application)
{
  return g_object_new (TROUPE_TYPE_WINDOW, "application", application, NULL);
}
