/* troupe-cli.h: the command line: `troupe run` and `troupe exec`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster.h"
#include "troupe-command.h"

G_BEGIN_DECLS

/* troupe_cli_main()'s answer when the job is for the running window. */
#define TROUPE_CLI_FOR_WINDOW (-1)

typedef enum
{
  TROUPE_CLI_WINDOW,
  TROUPE_CLI_HEADLESS,
  TROUPE_CLI_JSON,
} TroupeCliMode;

gboolean       troupe_cli_handles (int                  argc,
                                   char               **argv);
int            troupe_cli_main    (int                  argc,
                                   char               **argv);
TroupeCommand *troupe_cli_parse   (const char * const  *argv,
                                   const char          *caller_cwd,
                                   gboolean             help_enabled,
                                   TroupeCliMode       *mode,
                                   GError             **error);
TroupeCluster *troupe_cli_parse_cluster (const char * const *argv,
                                         const char         *caller_cwd,
                                         TroupeLauncher     *launcher,
                                         TroupeSpoolDir     *spool_dir,
                                         guint              *instances,
                                         GError            **error);

G_END_DECLS
