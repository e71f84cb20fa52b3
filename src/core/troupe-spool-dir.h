/* troupe-spool-dir.h: the folder of run logs, and how many of them are kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TROUPE_DEFAULT_KEEP_RUNS  50
#define TROUPE_DEFAULT_KEEP_BYTES (G_GUINT64_CONSTANT (1) << 30)

#define TROUPE_TYPE_SPOOL_DIR (troupe_spool_dir_get_type ())
G_DECLARE_FINAL_TYPE (TroupeSpoolDir, troupe_spool_dir, TROUPE, SPOOL_DIR, GObject)

TroupeSpoolDir *troupe_spool_dir_new             (const char          *path);
TroupeSpoolDir *troupe_spool_dir_new_default     (void);
const char     *troupe_spool_dir_get_path        (TroupeSpoolDir      *self);
guint           troupe_spool_dir_get_keep_runs   (TroupeSpoolDir      *self);
void            troupe_spool_dir_set_keep_runs   (TroupeSpoolDir      *self,
                                                  guint                keep_runs);
guint64         troupe_spool_dir_get_keep_bytes  (TroupeSpoolDir      *self);
void            troupe_spool_dir_set_keep_bytes  (TroupeSpoolDir      *self,
                                                  guint64              keep_bytes);
int             troupe_spool_dir_create_spool    (TroupeSpoolDir      *self,
                                                  const char          *run_name,
                                                  char               **path,
                                                  GError             **error);
guint           troupe_spool_dir_prune           (TroupeSpoolDir      *self,
                                                  GError             **error);
void            troupe_spool_dir_prune_async     (TroupeSpoolDir      *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
guint           troupe_spool_dir_prune_finish    (TroupeSpoolDir      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
