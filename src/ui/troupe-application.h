/* troupe-application.h: the app: one instance, one session of jobs, stopped on quit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-session.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_APPLICATION (troupe_application_get_type ())
G_DECLARE_FINAL_TYPE (TroupeApplication, troupe_application, TROUPE, APPLICATION,
                      AdwApplication)

TroupeApplication *troupe_application_new         (void);
TroupeSession     *troupe_application_get_session (TroupeApplication *self);
GSettings         *troupe_application_get_settings (TroupeApplication *self);
TroupeSession     *troupe_application_find_session (GtkWidget        *widget);

G_END_DECLS
