/* troupe-worker-registry.h: the kinds of thread worker there are, built in and from modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker-kind.h"

G_BEGIN_DECLS

#define TROUPE_WORKER_ERROR (troupe_worker_error_quark ())

typedef enum
{
  TROUPE_WORKER_ERROR_UNKNOWN_KIND,
  TROUPE_WORKER_ERROR_BAD_DATA,
  TROUPE_WORKER_ERROR_BAD_MESSAGE,
  TROUPE_WORKER_ERROR_ENDED,
  TROUPE_WORKER_ERROR_MODULE,
  TROUPE_WORKER_ERROR_ABI,
} TroupeWorkerError;

/* The registration ABI a module is built against (docs/worker-modules.md). It
 * goes up whenever TroupeWorkerKindInfo or a function a module calls changes. */
#define TROUPE_WORKER_ABI_VERSION 1

#define TROUPE_TYPE_WORKER_REGISTRY (troupe_worker_registry_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorkerRegistry, troupe_worker_registry, TROUPE, WORKER_REGISTRY,
                      GObject)

/* The function a module exports, under the name troupe_worker_module_register:
 * @abi_version is the version of the Troupe that loads it. */
typedef gboolean (*TroupeWorkerModuleRegister) (guint                  abi_version,
                                                TroupeWorkerRegistry  *registry,
                                                GError               **error);

GQuark                troupe_worker_error_quark                (void);
TroupeWorkerRegistry *troupe_worker_registry_new               (void);
TroupeWorkerRegistry *troupe_worker_registry_new_empty         (void);
gboolean              troupe_worker_registry_add               (TroupeWorkerRegistry       *self,
                                                                const TroupeWorkerKindInfo *info,
                                                                GError                    **error);
gboolean              troupe_worker_registry_check_abi_version (TroupeWorkerRegistry       *self,
                                                                guint                       module_abi_version,
                                                                GError                    **error);
TroupeWorkerKind     *troupe_worker_registry_lookup            (TroupeWorkerRegistry       *self,
                                                                const char                 *name);
GListModel           *troupe_worker_registry_get_kinds         (TroupeWorkerRegistry       *self);
guint                 troupe_worker_registry_load_modules      (TroupeWorkerRegistry       *self,
                                                                const char                 *folder);
GPtrArray            *troupe_worker_registry_get_module_errors (TroupeWorkerRegistry       *self);
char                 *troupe_worker_registry_dup_default_module_folder (void);

G_END_DECLS
