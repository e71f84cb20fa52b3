/* troupe-new-worker-dialog.h: choosing a kind of thread worker and its start data, and starting it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-worker-pool.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_NEW_WORKER_DIALOG (troupe_new_worker_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TroupeNewWorkerDialog, troupe_new_worker_dialog, TROUPE, NEW_WORKER_DIALOG,
                      AdwWindow)

TroupeNewWorkerDialog *troupe_new_worker_dialog_new           (GtkWindow             *parent,
                                                               TroupeWorkerPool      *pool);
gboolean               troupe_new_worker_dialog_select_kind   (TroupeNewWorkerDialog *self,
                                                               const char            *kind_name);
TroupeWorkerKind      *troupe_new_worker_dialog_get_kind      (TroupeNewWorkerDialog *self);
char                  *troupe_new_worker_dialog_dup_data_text (TroupeNewWorkerDialog *self);
void                   troupe_new_worker_dialog_set_data_text (TroupeNewWorkerDialog *self,
                                                               const char            *text);
const char            *troupe_new_worker_dialog_get_problem   (TroupeNewWorkerDialog *self);

G_END_DECLS
