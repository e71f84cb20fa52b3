/* troupe-spool.h: one run's spool file: appended in memory, written behind on a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TROUPE_TYPE_SPOOL (troupe_spool_get_type ())
G_DECLARE_FINAL_TYPE (TroupeSpool, troupe_spool, TROUPE, SPOOL, GObject)

TroupeSpool *troupe_spool_new            (int            fd,
                                          const char    *path);
guint64      troupe_spool_get_length     (TroupeSpool   *self);
gboolean     troupe_spool_append         (TroupeSpool   *self,
                                          const guint8  *data,
                                          gsize          length);
gboolean     troupe_spool_read           (TroupeSpool   *self,
                                          guint64        offset,
                                          gsize          length,
                                          guint8        *destination,
                                          GError       **error);
void         troupe_spool_flush          (TroupeSpool   *self);
gboolean     troupe_spool_is_congested   (TroupeSpool   *self);
const GError *troupe_spool_get_error     (TroupeSpool   *self);
void         troupe_spool_wait           (TroupeSpool   *self);
void         troupe_spool_wait_all       (void);

G_END_DECLS
