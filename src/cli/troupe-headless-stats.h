/* troupe-headless-stats.h: a job's CPU and memory, a line every interval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-headless.h"
#include "troupe-process-tree.h"

G_BEGIN_DECLS

GString  *troupe_headless_format_stats (TroupeProcessTree    *tree,
                                        TroupeHeadlessFormat  format,
                                        int                   member_id);
gboolean  troupe_parse_memory_size     (const char           *text,
                                        guint64              *bytes,
                                        GError              **error);

G_END_DECLS
