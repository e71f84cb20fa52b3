/* troupe-launcher.c: the one place that decides how a child process is started
 *
 * Every process Troupe creates goes through troupe_launcher_spawn(), so that a
 * launcher for the Flatpak host can replace the local one without any caller
 * knowing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "troupe-launcher.h"
#include "troupe-local-launcher.h"

G_DEFINE_QUARK (troupe-launch-error-quark, troupe_launch_error)
G_DEFINE_ABSTRACT_TYPE (TroupeLauncher, troupe_launcher, G_TYPE_OBJECT)

static void
troupe_launcher_class_init (TroupeLauncherClass *klass)
{
  /* Writing to the stdin of a child that has exited must be an EPIPE we report,
   * not a SIGPIPE that kills the whole app with every other job in it; a spool
   * reaching the file size limit likewise an EFBIG, not a SIGXFSZ. Children get
   * both back at their defaults (see the local launcher). */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGXFSZ, SIG_IGN);
}

static void
troupe_launcher_init (TroupeLauncher *self)
{
}

/**
 * troupe_launcher_get_default:
 *
 * Returns: (transfer none): the launcher for this app: local processes for now
 */
TroupeLauncher *
troupe_launcher_get_default (void)
{
  static TroupeLauncher *default_launcher;

  if (g_once_init_enter (&default_launcher))
    g_once_init_leave (&default_launcher, troupe_local_launcher_new ());

  return default_launcher;
}

/**
 * troupe_launcher_spawn:
 * @command: what to run
 * @child: (out caller-allocates): the new child and our ends of its pipes
 * @error: set to a %TROUPE_LAUNCH_ERROR that says, for a person, why it did not start
 *
 * Starts @command as the leader of a new process group, with only stdin,
 * stdout and stderr open, and for a fork its end of the message channel.
 *
 * Returns: %TRUE if the child is running
 */
gboolean
troupe_launcher_spawn (TroupeLauncher     *self,
                       TroupeCommand      *command,
                       TroupeSpawnedChild *child,
                       GError            **error)
{
  g_return_val_if_fail (TROUPE_IS_LAUNCHER (self), FALSE);
  g_return_val_if_fail (TROUPE_IS_COMMAND (command), FALSE);
  g_return_val_if_fail (child != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *child = (TroupeSpawnedChild) { 0, -1, -1, -1, -1 };
  return TROUPE_LAUNCHER_GET_CLASS (self)->spawn (self, command, child, error);
}
