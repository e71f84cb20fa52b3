/* troupe-local-launcher.h: starts children on this machine with posix_spawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-launcher.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_LOCAL_LAUNCHER (troupe_local_launcher_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLocalLauncher, troupe_local_launcher, TROUPE, LOCAL_LAUNCHER,
                      TroupeLauncher)

TroupeLauncher *troupe_local_launcher_new (void);

G_END_DECLS
