/* troupe-spool-search.h: a regular expression over a spool file, line by line, in large blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called for each matching line; return FALSE to stop the search. */
typedef gboolean (*TroupeSpoolMatchFunc) (guint64       line_number,
                                          const guint8 *line,
                                          gsize         length,
                                          gpointer      user_data);

typedef struct _TroupeSpoolSearch TroupeSpoolSearch;

TroupeSpoolSearch *troupe_spool_search_new           (const char           *pattern,
                                                      gboolean              ignore_case,
                                                      GError              **error);
void               troupe_spool_search_free          (TroupeSpoolSearch    *self);
gboolean           troupe_spool_search_run           (TroupeSpoolSearch    *self,
                                                      const char           *path,
                                                      guint64               offset,
                                                      guint64               end_offset,
                                                      guint64               first_line,
                                                      TroupeSpoolMatchFunc  func,
                                                      gpointer              user_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
guint64            troupe_spool_search_get_n_lines   (TroupeSpoolSearch    *self);
guint64            troupe_spool_search_get_n_matches (TroupeSpoolSearch    *self);
guint64            troupe_spool_search_get_n_bytes   (TroupeSpoolSearch    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeSpoolSearch, troupe_spool_search_free)

G_END_DECLS
