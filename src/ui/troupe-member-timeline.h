/* troupe-member-timeline.h: how each run of a cluster member ended, newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-cluster-member.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_MEMBER_TIMELINE (troupe_member_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMemberTimeline, troupe_member_timeline, TROUPE, MEMBER_TIMELINE,
                      GtkWidget)

void troupe_member_timeline_set_member (TroupeMemberTimeline *self,
                                        TroupeClusterMember  *member);

G_END_DECLS
