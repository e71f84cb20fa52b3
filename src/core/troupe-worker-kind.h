/* troupe-worker-kind.h: a kind of thread worker: a name, words for people, an entry function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker-context.h"

G_BEGIN_DECLS

typedef struct
{
  const char        *name;             /* "http-load": used on the command line */
  const char        *title;            /* "HTTP Load" (translatable, N_()) */
  const char        *description;      /* one sentence (N_()) */
  const char        *example_data;     /* JSON text offered in the New Worker dialog, or NULL */
  gboolean           accepts_messages; /* the UI offers a composer only if TRUE */
  TroupeWorkerEntry  entry;
} TroupeWorkerKindInfo;

#define TROUPE_TYPE_WORKER_KIND (troupe_worker_kind_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorkerKind, troupe_worker_kind, TROUPE, WORKER_KIND, GObject)

TroupeWorkerKind  *troupe_worker_kind_new              (const TroupeWorkerKindInfo *info,
                                                        const char                 *module_path);
const char        *troupe_worker_kind_get_name         (TroupeWorkerKind *self);
const char        *troupe_worker_kind_get_title        (TroupeWorkerKind *self);
const char        *troupe_worker_kind_get_description  (TroupeWorkerKind *self);
const char        *troupe_worker_kind_get_example_data (TroupeWorkerKind *self);
gboolean           troupe_worker_kind_accepts_messages (TroupeWorkerKind *self);
const char        *troupe_worker_kind_get_module_path  (TroupeWorkerKind *self);
TroupeWorkerEntry  troupe_worker_kind_get_entry        (TroupeWorkerKind *self);

G_END_DECLS
