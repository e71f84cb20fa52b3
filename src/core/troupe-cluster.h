/* troupe-cluster.h: N members of one command sharing one listening socket, supervised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster-member.h"
#include "troupe-launcher.h"
#include "troupe-spool-dir.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_RESTART_NEVER,
  TROUPE_RESTART_ON_FAILURE,
  TROUPE_RESTART_ALWAYS,
} TroupeRestartPolicy;

/* The fd numbers a member gets: the listening socket (as systemd's socket
 * activation has it), then the channel. */
#define TROUPE_CLUSTER_LISTEN_FD  3
#define TROUPE_CLUSTER_CHANNEL_FD 4

/* A new member counts as ready after this long, unless it says so sooner. */
#define TROUPE_CLUSTER_DEFAULT_GRACE_MS 2000

#define TROUPE_TYPE_CLUSTER (troupe_cluster_get_type ())
G_DECLARE_FINAL_TYPE (TroupeCluster, troupe_cluster, TROUPE, CLUSTER, GObject)

TroupeCluster      *troupe_cluster_new              (TroupeCommand       *command,
                                                     TroupeLauncher      *launcher,
                                                     TroupeSpoolDir      *spool_dir);
TroupeCommand      *troupe_cluster_get_command      (TroupeCluster       *self);
void                troupe_cluster_set_listen       (TroupeCluster       *self,
                                                     const char          *host,
                                                     guint16              port);
const char         *troupe_cluster_get_host         (TroupeCluster       *self);
guint16             troupe_cluster_get_port         (TroupeCluster       *self);
void                troupe_cluster_set_restart_policy (TroupeCluster     *self,
                                                       TroupeRestartPolicy policy);
TroupeRestartPolicy troupe_cluster_get_restart_policy (TroupeCluster     *self);
void                troupe_cluster_set_grace_ms     (TroupeCluster       *self,
                                                     guint                grace_ms);
guint               troupe_cluster_get_grace_ms     (TroupeCluster       *self);
void                troupe_cluster_set_ready_probe  (TroupeCluster       *self,
                                                     const char          *probe_json);
const char         *troupe_cluster_get_ready_probe  (TroupeCluster       *self);
gboolean            troupe_cluster_check_ready_probe (const char         *probe_json,
                                                      GError            **error);
char               *troupe_cluster_dup_http_url     (TroupeCluster       *self);

gboolean            troupe_cluster_start            (TroupeCluster       *self,
                                                     guint                n_members,
                                                     GError             **error);
gboolean            troupe_cluster_is_running       (TroupeCluster       *self);
const char         *troupe_cluster_get_error_message (TroupeCluster      *self);
GListModel         *troupe_cluster_get_members      (TroupeCluster       *self);
guint               troupe_cluster_get_size         (TroupeCluster       *self);
void                troupe_cluster_scale            (TroupeCluster       *self,
                                                     guint                n_members);
void                troupe_cluster_reload           (TroupeCluster       *self);
gboolean            troupe_cluster_is_reloading     (TroupeCluster       *self);
guint               troupe_cluster_broadcast        (TroupeCluster       *self,
                                                     const char          *json_text,
                                                     GError             **error);
void                troupe_cluster_stop             (TroupeCluster       *self);
gboolean            troupe_cluster_is_alive         (TroupeCluster       *self);

guint               troupe_cluster_default_size     (void);

G_END_DECLS
