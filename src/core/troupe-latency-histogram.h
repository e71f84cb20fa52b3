/* troupe-latency-histogram.h: request latencies in logarithmic buckets, for percentiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TroupeLatencyHistogram TroupeLatencyHistogram;

TroupeLatencyHistogram *troupe_latency_histogram_new        (void);
void                    troupe_latency_histogram_free       (TroupeLatencyHistogram       *self);
void                    troupe_latency_histogram_clear      (TroupeLatencyHistogram       *self);
void                    troupe_latency_histogram_add        (TroupeLatencyHistogram       *self,
                                                             gint64                        usec);
void                    troupe_latency_histogram_merge      (TroupeLatencyHistogram       *self,
                                                             const TroupeLatencyHistogram *other);
guint64                 troupe_latency_histogram_get_count  (const TroupeLatencyHistogram *self);
gint64                  troupe_latency_histogram_get_max    (const TroupeLatencyHistogram *self);
double                  troupe_latency_histogram_get_mean   (const TroupeLatencyHistogram *self);
gint64                  troupe_latency_histogram_percentile (const TroupeLatencyHistogram *self,
                                                             double                        percent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeLatencyHistogram, troupe_latency_histogram_free)

G_END_DECLS
