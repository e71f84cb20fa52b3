/* troupe-log.h: every byte a run prints, spooled to disk and indexed by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-line-index.h"
#include "troupe-spool-dir.h"

G_BEGIN_DECLS

/* Longer lines without a newline are split, so one endless line cannot eat memory. */
#define TROUPE_LOG_MAX_LINE_BYTES (16 * 1024 * 1024)

#define TROUPE_TYPE_LOG (troupe_log_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLog, troupe_log, TROUPE, LOG, GObject)

TroupeLog  *troupe_log_new              (TroupeSpoolDir  *spool_dir,
                                         const char      *run_name);
const char *troupe_log_get_spool_path   (TroupeLog       *self);
void        troupe_log_append           (TroupeLog       *self,
                                         TroupeStream     stream,
                                         const guint8    *data,
                                         gsize            length,
                                         gint64           time);
void        troupe_log_end_stream       (TroupeLog       *self,
                                         TroupeStream     stream,
                                         gint64           time);
guint       troupe_log_get_n_lines      (TroupeLog       *self,
                                         TroupeLines      lines);
guint64     troupe_log_get_n_bytes      (TroupeLog       *self,
                                         TroupeLines      lines);
gboolean    troupe_log_get_line_info    (TroupeLog       *self,
                                         TroupeLines      lines,
                                         guint            position,
                                         TroupeLineInfo  *info);
GBytes     *troupe_log_read_line        (TroupeLog       *self,
                                         TroupeLines      lines,
                                         guint            position,
                                         TroupeLineInfo  *info,
                                         GError         **error);
gboolean    troupe_log_read_bytes       (TroupeLog       *self,
                                         guint64          offset,
                                         gsize            length,
                                         guint8          *destination,
                                         GError         **error);
char       *troupe_log_read_line_text   (TroupeLog       *self,
                                         TroupeLines      lines,
                                         guint            position,
                                         TroupeLineInfo  *info,
                                         GError         **error);
const GError *troupe_log_get_spool_error (TroupeLog      *self);
gboolean    troupe_log_is_congested     (TroupeLog       *self);
void        troupe_log_wait_saved       (TroupeLog       *self);
void        troupe_log_export_async     (TroupeLog            *self,
                                         GFile                *destination,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    troupe_log_export_finish    (TroupeLog            *self,
                                         GAsyncResult         *result,
                                         GError              **error);
gsize       troupe_log_get_index_memory (TroupeLog       *self);

char       *troupe_text_from_output     (const guint8    *data,
                                         gsize            length);

G_END_DECLS
