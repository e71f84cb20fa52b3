/* main.c: troupe: the window, or `troupe run|exec` on the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

#include "troupe-application.h"
#include "troupe-cli.h"

/* Started with stdin, stdout or stderr closed, the next file we open would take
 * that number — and GLib's own wakeup descriptor would be read as our stdin.
 * So each closed one is held by /dev/null first. */
static void
ensure_standard_fds (void)
{
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      open ("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TroupeApplication) app = NULL;

  ensure_standard_fds ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The headless command line needs no display: it is handled before GTK is
   * touched. A job for the window goes to the running instance, or starts one. */
  if (troupe_cli_handles (argc, argv))
    {
      int status = troupe_cli_main (argc, argv);

      if (status != TROUPE_CLI_FOR_WINDOW)
        return status;
    }

  app = troupe_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
