/* troupe-load-history.h: what a load test has reported so far, kept on its worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-load-graph.h"
#include "troupe-worker.h"

G_BEGIN_DECLS

/* The kind of worker whose reports are kept. */
#define TROUPE_LOAD_HISTORY_KIND "http-load"

/* Ten minutes of reports at four a second. */
#define TROUPE_LOAD_HISTORY_MAX_SAMPLES 2400

typedef struct
{
  GArray           *samples;       /* of TroupeLoadSample, the newest MAX_SAMPLES */
  guint64           n_reports;     /* points ever, so views know which are new to them */
  gint64            requests;
  gint64            errors;
  char             *status_codes;  /* "200 × 1,234 · 503 × 2" */
  char             *error_kinds;   /* "connect × 3 · timeout × 1" */
  gboolean          done;
  TroupeLoadSample  whole_run;     /* from the last report, once the test is done */
} TroupeLoadHistory;

void               troupe_load_history_track (TroupeWorker *worker);
TroupeLoadHistory *troupe_load_history_get   (TroupeWorker *worker);

G_END_DECLS
