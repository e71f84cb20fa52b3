/* troupe-line-model.h: a run's lines as a list model, for a virtualized view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-line.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_LINE_MODEL (troupe_line_model_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLineModel, troupe_line_model, TROUPE, LINE_MODEL, GObject)

TroupeLineModel *troupe_line_model_new       (TroupeLog       *log);
TroupeLog       *troupe_line_model_get_log   (TroupeLineModel *self);
TroupeLines      troupe_line_model_get_lines (TroupeLineModel *self);
void             troupe_line_model_set_lines (TroupeLineModel *self,
                                              TroupeLines      lines);
void             troupe_line_model_clear     (TroupeLineModel *self);
void             troupe_line_model_flush     (TroupeLineModel *self);
guint            troupe_line_model_find_position (TroupeLineModel *self,
                                                  guint            line);

G_END_DECLS
