/* troupe-load-test-dialog.h: a load test against a cluster's address, as an HTTP load worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-cluster.h"
#include "troupe-worker-pool.h"

G_BEGIN_DECLS

/* The kind of worker a load test is. */
#define TROUPE_LOAD_TEST_KIND "http-load"

#define TROUPE_TYPE_LOAD_TEST_DIALOG (troupe_load_test_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLoadTestDialog, troupe_load_test_dialog, TROUPE, LOAD_TEST_DIALOG,
                      AdwWindow)

TroupeLoadTestDialog *troupe_load_test_dialog_new          (GtkWindow            *parent,
                                                            TroupeWorkerPool     *pool,
                                                            TroupeCluster        *cluster);
void                  troupe_load_test_dialog_set_settings (TroupeLoadTestDialog *self,
                                                            guint                 connections,
                                                            double                duration,
                                                            gboolean              keep_alive);
char                 *troupe_load_test_dialog_dup_data     (TroupeLoadTestDialog *self);

G_END_DECLS
