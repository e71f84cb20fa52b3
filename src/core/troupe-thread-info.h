/* troupe-thread-info.h: one thread of a monitored process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "troupe-process-info.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_THREAD_INFO (troupe_thread_info_get_type ())
G_DECLARE_FINAL_TYPE (TroupeThreadInfo, troupe_thread_info, TROUPE, THREAD_INFO, GObject)

GPid           troupe_thread_info_get_tid       (TroupeThreadInfo *self);
const char    *troupe_thread_info_get_name      (TroupeThreadInfo *self);
double         troupe_thread_info_get_cpu       (TroupeThreadInfo *self);
TroupeRunState troupe_thread_info_get_run_state (TroupeThreadInfo *self);

G_END_DECLS
