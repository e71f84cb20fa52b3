/* bad-abi.c: a worker module built for a Troupe that does not exist yet (ABI version 2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gmodule.h>

#include "troupe-worker-registry.h"

G_MODULE_EXPORT gboolean troupe_worker_module_register (guint                  abi_version,
                                                        TroupeWorkerRegistry  *registry,
                                                        GError               **error);

G_MODULE_EXPORT gboolean
troupe_worker_module_register (guint                  abi_version,
                               TroupeWorkerRegistry  *registry,
                               GError               **error)
{
  return troupe_worker_registry_check_abi_version (registry, TROUPE_WORKER_ABI_VERSION + 1, error);
}
