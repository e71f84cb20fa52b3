/* troupe-preferences-window.h: the settings a person can change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TROUPE_TYPE_PREFERENCES_WINDOW (troupe_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TroupePreferencesWindow, troupe_preferences_window, TROUPE,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *troupe_preferences_window_new (GtkWindow *parent,
                                          GSettings *settings);

G_END_DECLS
