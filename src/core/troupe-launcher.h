/* troupe-launcher.h: the one place that decides how a child process is started
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "troupe-command.h"

G_BEGIN_DECLS

#define TROUPE_LAUNCH_ERROR (troupe_launch_error_quark ())

typedef enum
{
  TROUPE_LAUNCH_ERROR_EMPTY_COMMAND,
  TROUPE_LAUNCH_ERROR_NOT_FOUND,
  TROUPE_LAUNCH_ERROR_PERMISSION_DENIED,
  TROUPE_LAUNCH_ERROR_NO_SUCH_FOLDER,
  TROUPE_LAUNCH_ERROR_NOT_A_PROGRAM,
  TROUPE_LAUNCH_ERROR_FAILED,
} TroupeLaunchError;

/**
 * TroupeSpawnedChild:
 * @pid: the child, which leads its own process group
 * @stdin_fd: our end of its stdin (non-blocking, close-on-exec)
 * @stdout_fd: our end of its stdout (non-blocking, close-on-exec)
 * @stderr_fd: our end of its stderr (non-blocking, close-on-exec)
 * @channel_fd: our end of its message channel (close-on-exec), or -1 if the
 *   command is not a fork
 *
 * What a launcher hands back; the caller owns the descriptors and must reap @pid.
 */
typedef struct
{
  GPid pid;
  int  stdin_fd;
  int  stdout_fd;
  int  stderr_fd;
  int  channel_fd;
} TroupeSpawnedChild;

#define TROUPE_TYPE_LAUNCHER (troupe_launcher_get_type ())
G_DECLARE_DERIVABLE_TYPE (TroupeLauncher, troupe_launcher, TROUPE, LAUNCHER, GObject)

struct _TroupeLauncherClass
{
  GObjectClass parent_class;

  gboolean (*spawn) (TroupeLauncher     *self,
                     TroupeCommand      *command,
                     TroupeSpawnedChild *child,
                     GError            **error);

  gpointer padding[8];
};

GQuark          troupe_launch_error_quark  (void);
TroupeLauncher *troupe_launcher_get_default (void);
gboolean        troupe_launcher_spawn      (TroupeLauncher     *self,
                                            TroupeCommand      *command,
                                            TroupeSpawnedChild *child,
                                            GError            **error);

G_END_DECLS
