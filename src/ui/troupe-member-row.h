/* troupe-member-row.h: a cluster member: its state, pid, restarts and uptime, live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-cluster-member.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_MEMBER_ROW (troupe_member_row_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMemberRow, troupe_member_row, TROUPE, MEMBER_ROW, GtkWidget)

GtkWidget           *troupe_member_row_new          (gboolean             with_actions);
TroupeClusterMember *troupe_member_row_get_member   (TroupeMemberRow     *self);
void                 troupe_member_row_set_member   (TroupeMemberRow     *self,
                                                     TroupeClusterMember *member);
char                *troupe_member_row_dup_details  (TroupeClusterMember *member);

G_END_DECLS
