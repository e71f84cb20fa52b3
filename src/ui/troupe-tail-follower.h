/* troupe-tail-follower.h: keeps a growing list scrolled to its end until the user scrolls away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TROUPE_TYPE_TAIL_FOLLOWER (troupe_tail_follower_get_type ())
G_DECLARE_FINAL_TYPE (TroupeTailFollower, troupe_tail_follower, TROUPE, TAIL_FOLLOWER, GObject)

TroupeTailFollower *troupe_tail_follower_new           (GtkListView        *list,
                                                        GtkWidget          *jump_button);
gboolean            troupe_tail_follower_get_following (TroupeTailFollower *self);
void                troupe_tail_follower_follow        (TroupeTailFollower *self);
void                troupe_tail_follower_catch_up      (TroupeTailFollower *self);
void                troupe_tail_follower_detach        (TroupeTailFollower *self);

G_END_DECLS
