/* troupe-cli.h: the command line: `troupe run` and `troupe exec`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean troupe_cli_handles   (int    argc,
                               char **argv);
int      troupe_cli_main      (int    argc,
                               char **argv);

G_END_DECLS
