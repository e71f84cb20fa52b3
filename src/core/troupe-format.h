/* troupe-format.h: durations and states as people read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster-member.h"
#include "troupe-process.h"

G_BEGIN_DECLS

char       *troupe_format_duration     (gint64         microseconds);
const char *troupe_format_state_icon   (TroupeProcess *process);
char       *troupe_format_exit_badge   (TroupeProcess *process);
char       *troupe_format_raw_excerpt  (const guint8  *data,
                                        gsize          length,
                                        guint          max_chars);
char       *troupe_format_member_state (TroupeClusterMember    *member);
const char *troupe_format_member_icon  (TroupeClusterMember    *member);
char       *troupe_format_member_exit  (const TroupeMemberExit *member_exit);

G_END_DECLS
