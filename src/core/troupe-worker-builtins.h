/* troupe-worker-builtins.h: the kinds of thread worker that come with Troupe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker-kind.h"

G_BEGIN_DECLS

const TroupeWorkerKindInfo *troupe_worker_builtins_get (guint *n_kinds);

G_END_DECLS
