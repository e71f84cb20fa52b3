/* troupe-session.h: every run this instance started, and stopping them all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-cluster.h"
#include "troupe-launcher.h"
#include "troupe-process.h"
#include "troupe-sampler.h"
#include "troupe-spool-dir.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_SESSION (troupe_session_get_type ())
G_DECLARE_FINAL_TYPE (TroupeSession, troupe_session, TROUPE, SESSION, GObject)

TroupeSession  *troupe_session_new              (TroupeLauncher       *launcher,
                                                 TroupeSpoolDir       *spool_dir);
TroupeLauncher *troupe_session_get_launcher     (TroupeSession        *self);
TroupeSpoolDir *troupe_session_get_spool_dir    (TroupeSession        *self);
TroupeProcess  *troupe_session_run              (TroupeSession        *self,
                                                 TroupeCommand        *command,
                                                 GError              **error);
void            troupe_session_remove           (TroupeSession        *self,
                                                 TroupeProcess        *process);
TroupeProcess  *troupe_session_restart          (TroupeSession        *self,
                                                 TroupeProcess        *process,
                                                 const char           *reason,
                                                 GError              **error);
TroupeSampler  *troupe_session_get_sampler      (TroupeSession        *self);
TroupeProcessTree *troupe_session_get_process_tree (TroupeSession     *self,
                                                    TroupeProcess     *process);
void            troupe_session_add_cluster      (TroupeSession        *self,
                                                 TroupeCluster        *cluster);
void            troupe_session_remove_cluster   (TroupeSession        *self,
                                                 TroupeCluster        *cluster);
GListModel     *troupe_session_get_clusters     (TroupeSession        *self);
guint           troupe_session_count_alive      (TroupeSession        *self);
void            troupe_session_stop_all_async   (TroupeSession        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        troupe_session_stop_all_finish  (TroupeSession        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void            troupe_session_stop_all_sync    (TroupeSession        *self);

G_END_DECLS
