/* refuses.c: a worker module whose registration fails after adding a kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gmodule.h>

#include "troupe-worker-registry.h"

static int
never_entry (TroupeWorkerContext *context)
{
  return 0;
}

static const TroupeWorkerKindInfo half_kind = {
  .name = "refused-half",
  .title = "Half registered",
  .entry = never_entry,
};

G_MODULE_EXPORT gboolean troupe_worker_module_register (guint                  abi_version,
                                                        TroupeWorkerRegistry  *registry,
                                                        GError               **error);

G_MODULE_EXPORT gboolean
troupe_worker_module_register (guint                  abi_version,
                               TroupeWorkerRegistry  *registry,
                               GError               **error)
{
  if (!troupe_worker_registry_check_abi_version (registry, TROUPE_WORKER_ABI_VERSION, error) ||
      !troupe_worker_registry_add (registry, &half_kind, error))
    return FALSE;
  /* The kind added above must not survive this. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "its licence file is missing");
  return FALSE;
}
