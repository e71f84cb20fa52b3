/* troupe-tail-follower.c: keeps a growing list scrolled to its end until the user scrolls away
 *
 * A GtkListView keeps its first visible row in place as rows are added, so
 * following the end means asking it to show the last row, once per frame, for
 * as long as the user has not scrolled up. Scrolling back to the end, or the
 * "jump to end" button (shown only while not following), resumes it. Shared by
 * the output and the messages views.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-tail-follower.h"

/* A move away from the end this soon after our own scroll to it is the list
 * settling (its row heights are estimates until rows exist), not the user. */
#define SETTLE_USEC (G_USEC_PER_SEC / 4)

struct _TroupeTailFollower
{
  GObject        parent_instance;

  GtkListView   *list;
  GtkWidget     *jump_button;
  GtkAdjustment *adjustment;
  gboolean       following;
  guint          tick;
  gint64         last_auto_scroll;
};

G_DEFINE_FINAL_TYPE (TroupeTailFollower, troupe_tail_follower, G_TYPE_OBJECT)

static gboolean
at_end (TroupeTailFollower *self)
{
  double bottom = gtk_adjustment_get_upper (self->adjustment) -
                  gtk_adjustment_get_page_size (self->adjustment);

  return gtk_adjustment_get_value (self->adjustment) >= bottom - 1;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  TroupeTailFollower *self = user_data;
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->list));
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  self->tick = 0;
  if (self->following && n > 0)
    {
      self->last_auto_scroll = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", n - 1);
    }
  return G_SOURCE_REMOVE;
}

static void
scroll_to_end (TroupeTailFollower *self)
{
  if (self->tick == 0 && self->list != NULL)
    self->tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->list), on_tick, self, NULL);
}

static void
set_following (TroupeTailFollower *self,
               gboolean            following)
{
  self->following = following;
  if (self->jump_button != NULL)
    gtk_widget_set_visible (self->jump_button, !following);
}

static void
on_value_changed (TroupeTailFollower *self)
{
  gboolean end = at_end (self);

  if (!end && g_get_monotonic_time () - self->last_auto_scroll < SETTLE_USEC)
    return;
  /* Scrolling up stops following; scrolling back to the end resumes it. */
  set_following (self, end);
}

static void
troupe_tail_follower_dispose (GObject *object)
{
  troupe_tail_follower_detach (TROUPE_TAIL_FOLLOWER (object));

  G_OBJECT_CLASS (troupe_tail_follower_parent_class)->dispose (object);
}

static void
troupe_tail_follower_class_init (TroupeTailFollowerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = troupe_tail_follower_dispose;
}

static void
troupe_tail_follower_init (TroupeTailFollower *self)
{
}

/**
 * troupe_tail_follower_new:
 * @list: a list view inside a scrolled window
 * @jump_button: (nullable): shown while the list does not follow its end
 *
 * Returns: (transfer full): a follower, following
 */
TroupeTailFollower *
troupe_tail_follower_new (GtkListView *list,
                          GtkWidget   *jump_button)
{
  TroupeTailFollower *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list), NULL);

  self = g_object_new (TROUPE_TYPE_TAIL_FOLLOWER, NULL);
  self->list = list;
  self->jump_button = jump_button;
  self->adjustment = g_object_ref (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)));
  g_signal_connect_object (self->adjustment, "notify::upper",
                           G_CALLBACK (troupe_tail_follower_catch_up), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  set_following (self, TRUE);
  return self;
}

gboolean
troupe_tail_follower_get_following (TroupeTailFollower *self)
{
  g_return_val_if_fail (TROUPE_IS_TAIL_FOLLOWER (self), FALSE);
  return self->following;
}

/**
 * troupe_tail_follower_follow:
 *
 * Follows the end again, from the next frame on.
 */
void
troupe_tail_follower_follow (TroupeTailFollower *self)
{
  g_return_if_fail (TROUPE_IS_TAIL_FOLLOWER (self));

  set_following (self, TRUE);
  scroll_to_end (self);
}

/**
 * troupe_tail_follower_catch_up:
 *
 * Rows were added (or the list changed size): stays at the end if following.
 */
void
troupe_tail_follower_catch_up (TroupeTailFollower *self)
{
  g_return_if_fail (TROUPE_IS_TAIL_FOLLOWER (self));

  /* Already at the end: nothing to do, and no frame to ask for. */
  if (self->following && self->adjustment != NULL && !at_end (self))
    scroll_to_end (self);
}

/**
 * troupe_tail_follower_detach:
 *
 * Lets go of the list, before it goes.
 */
void
troupe_tail_follower_detach (TroupeTailFollower *self)
{
  g_return_if_fail (TROUPE_IS_TAIL_FOLLOWER (self));

  if (self->tick != 0 && self->list != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list), self->tick);
  self->tick = 0;
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_clear_object (&self->adjustment);
  self->list = NULL;
  self->jump_button = NULL;
}
