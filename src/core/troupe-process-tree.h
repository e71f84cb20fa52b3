/* troupe-process-tree.h: one watched job: its process and all descendants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-process-info.h"
#include "troupe-sample-ring.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_PROCESS_TREE (troupe_process_tree_get_type ())
G_DECLARE_FINAL_TYPE (TroupeProcessTree, troupe_process_tree, TROUPE, PROCESS_TREE, GObject)

TroupeProcessInfo *troupe_process_tree_get_root        (TroupeProcessTree *self);
GListModel        *troupe_process_tree_get_roots       (TroupeProcessTree *self);
TroupeProcessInfo *troupe_process_tree_find            (TroupeProcessTree *self,
                                                        GPid               pid);
guint              troupe_process_tree_get_n_processes (TroupeProcessTree *self);
TroupeSampleRing  *troupe_process_tree_get_totals      (TroupeProcessTree *self);
gboolean           troupe_process_tree_has_ended       (TroupeProcessTree *self);

G_END_DECLS
