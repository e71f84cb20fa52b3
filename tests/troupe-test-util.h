/* troupe-test-util.h: what the tests share: running children and reading their logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-session.h"

G_BEGIN_DECLS

void           troupe_test_init              (int            *argc,
                                              char         ***argv);
int            troupe_test_run_all           (void);
char          *troupe_test_make_folder       (const char     *name);
TroupeCommand *troupe_test_child_command     (const char     *mode,
                                              ...) G_GNUC_NULL_TERMINATED;
TroupeProcess *troupe_test_run               (TroupeCommand  *command);
void           troupe_test_wait_until        (gboolean      (*done) (gpointer),
                                              gpointer        data,
                                              const char     *what);
void           troupe_test_wait_ended        (TroupeProcess  *process);
void           troupe_test_wait_group_gone   (TroupeProcess  *process);
void           troupe_test_wait_lines        (TroupeProcess  *process,
                                              TroupeLines     lines,
                                              guint           n_lines);
GPtrArray     *troupe_test_read_lines        (TroupeLog      *log,
                                              TroupeLines     lines);
gboolean       troupe_test_pid_is_gone       (GPid            pid);
void           troupe_test_wait_pid_gone     (GPid            pid);

G_END_DECLS
