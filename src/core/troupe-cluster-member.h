/* troupe-cluster-member.h: one place in a cluster, and the runs that have filled it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-process.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_MEMBER_STARTING,
  TROUPE_MEMBER_ONLINE,
  TROUPE_MEMBER_LISTENING,
  TROUPE_MEMBER_STOPPING,
  TROUPE_MEMBER_EXITED,
  TROUPE_MEMBER_RESTARTING,
  TROUPE_MEMBER_CRASH_LOOPING,
} TroupeMemberState;

/**
 * TroupeMemberExit:
 * @pid: the run that ended
 * @ended_at: when, in wall-clock microseconds
 * @uptime: how long it had run, in microseconds
 * @signaled: whether a signal ended it
 * @code_or_signal: its exit code, or the signal
 * @reason: (nullable): why it was ended to be started again (over its memory
 *   limit, say); %NULL when it ended by itself or was simply stopped
 *
 * One entry of a member's timeline.
 */
typedef struct
{
  GPid        pid;
  gint64      ended_at;
  gint64      uptime;
  gboolean    signaled;
  int         code_or_signal;
  const char *reason;
} TroupeMemberExit;

#define TROUPE_TYPE_CLUSTER_MEMBER (troupe_cluster_member_get_type ())
G_DECLARE_FINAL_TYPE (TroupeClusterMember, troupe_cluster_member, TROUPE, CLUSTER_MEMBER, GObject)

guint                   troupe_cluster_member_get_id         (TroupeClusterMember *self);
TroupeMemberState       troupe_cluster_member_get_state      (TroupeClusterMember *self);
TroupeProcess          *troupe_cluster_member_get_process    (TroupeClusterMember *self);
GListModel             *troupe_cluster_member_get_runs       (TroupeClusterMember *self);
guint                   troupe_cluster_member_get_restarts   (TroupeClusterMember *self);
gint64                  troupe_cluster_member_get_restart_at (TroupeClusterMember *self);
guint                   troupe_cluster_member_get_n_exits    (TroupeClusterMember *self);
const TroupeMemberExit *troupe_cluster_member_get_exit       (TroupeClusterMember *self,
                                                              guint                index);
void                    troupe_cluster_member_restart        (TroupeClusterMember *self);
void                    troupe_cluster_member_restart_with_reason (TroupeClusterMember *self,
                                                                   const char          *reason);
void                    troupe_cluster_member_stop           (TroupeClusterMember *self);
gboolean                troupe_cluster_member_send_signal    (TroupeClusterMember *self,
                                                              int                  signal_number,
                                                              GError             **error);
const char             *troupe_member_state_to_string        (TroupeMemberState    state);

G_END_DECLS
