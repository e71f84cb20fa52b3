/* troupe-launch-dialog.h: the dialog that starts a new job from a typed command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-command.h"
#include "troupe-recent-commands.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_LAUNCH_DIALOG (troupe_launch_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLaunchDialog, troupe_launch_dialog, TROUPE, LAUNCH_DIALOG, AdwWindow)

TroupeLaunchDialog   *troupe_launch_dialog_new                 (GtkWindow            *parent,
                                                                TroupeRecentCommands *recent_commands);
TroupeRecentCommands *troupe_launch_dialog_get_recent_commands (TroupeLaunchDialog   *self);
void                  troupe_launch_dialog_set_command         (TroupeLaunchDialog   *self,
                                                                TroupeCommand        *command);

G_END_DECLS
