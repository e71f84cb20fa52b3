/* troupe-sparkline.h: a tiny line of recent CPU use, for a row in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-process.h"
#include "troupe-sample-ring.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_SPARKLINE (troupe_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (TroupeSparkline, troupe_sparkline, TROUPE, SPARKLINE, GtkWidget)

GtkWidget        *troupe_sparkline_new         (void);
TroupeSampleRing *troupe_sparkline_get_ring    (TroupeSparkline  *self);
void              troupe_sparkline_set_ring    (TroupeSparkline  *self,
                                                TroupeSampleRing *ring);
void              troupe_sparkline_update      (TroupeSparkline  *self);
guint             troupe_sparkline_get_n_points (TroupeSparkline *self);
void              troupe_sparkline_follow_process (TroupeSparkline *self,
                                                   TroupeProcess   *process);

G_END_DECLS
