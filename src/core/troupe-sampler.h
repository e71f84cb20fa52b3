/* troupe-sampler.h: samples every watched process tree from /proc on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-process-tree.h"

G_BEGIN_DECLS

#define TROUPE_SAMPLER_DEFAULT_INTERVAL_MS 1000

#define TROUPE_TYPE_SAMPLER (troupe_sampler_get_type ())
G_DECLARE_FINAL_TYPE (TroupeSampler, troupe_sampler, TROUPE, SAMPLER, GObject)

TroupeSampler     *troupe_sampler_new          (void);
void               troupe_sampler_set_interval (TroupeSampler     *self,
                                                guint              interval_ms);
guint              troupe_sampler_get_interval (TroupeSampler     *self);
TroupeProcessTree *troupe_sampler_watch        (TroupeSampler     *self,
                                                GPid               pid);
void               troupe_sampler_unwatch      (TroupeSampler     *self,
                                                TroupeProcessTree *tree);
void               troupe_sampler_sample_now   (TroupeSampler     *self);
guint              troupe_sampler_get_n_watched (TroupeSampler    *self);
gboolean           troupe_sampler_is_supported (GError           **error);

G_END_DECLS
