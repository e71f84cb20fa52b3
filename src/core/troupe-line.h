/* troupe-line.h: one line of a run's output, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-log.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_LINE (troupe_line_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLine, troupe_line, TROUPE, LINE, GObject)

TroupeLine   *troupe_line_new        (TroupeLog   *log,
                                      TroupeLines  lines,
                                      guint        position);
guint         troupe_line_get_number (TroupeLine  *self);
TroupeStream  troupe_line_get_stream (TroupeLine  *self);
gint64        troupe_line_get_time   (TroupeLine  *self);
const char   *troupe_line_get_text   (TroupeLine  *self);

G_END_DECLS
