/* main.c: troupe: the window, or `troupe run|exec` on the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "troupe-application.h"
#include "troupe-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TroupeApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The command line needs no display: it is handled before GTK is touched. */
  if (troupe_cli_handles (argc, argv))
    return troupe_cli_main (argc, argv);

  app = troupe_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
