/* troupe-headless.h: one run in this terminal, its output on ours, its exit code ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-session.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_HEADLESS_PLAIN,
  TROUPE_HEADLESS_JSON,
} TroupeHeadlessFormat;

#define TROUPE_TYPE_HEADLESS (troupe_headless_get_type ())
G_DECLARE_FINAL_TYPE (TroupeHeadless, troupe_headless, TROUPE, HEADLESS, GObject)

TroupeHeadless *troupe_headless_new (TroupeCommand        *command,
                                     TroupeHeadlessFormat  format);
void            troupe_headless_set_stats_interval (TroupeHeadless *self,
                                                    guint           interval_ms);
int             troupe_headless_run (TroupeHeadless       *self);

G_END_DECLS
