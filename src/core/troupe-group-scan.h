/* troupe-group-scan.h: who is still alive in a process group, read from /proc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GPid  troupe_group_scan_last_pid             (void);
guint troupe_group_scan_count_members        (GPid                 group_id,
                                              GPid                 except_pid,
                                              GPid                 newer_than);
void  troupe_group_scan_count_members_async  (GPid                 group_id,
                                              GPid                 except_pid,
                                              GObject             *source_object,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
guint troupe_group_scan_count_members_finish (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
