/* troupe-sample-ring.h: the latest samples of one series, in a fixed-size ring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  time;  /* g_get_monotonic_time (), µs */
  double  cpu;   /* % of one core (200.0 = two cores busy) */
  guint64 rss;   /* bytes */
} TroupeSample;

/* Ten minutes at one sample a second. */
#define TROUPE_SAMPLE_RING_DEFAULT_CAPACITY 600

#define TROUPE_TYPE_SAMPLE_RING (troupe_sample_ring_get_type ())

typedef struct _TroupeSampleRing TroupeSampleRing;

GType               troupe_sample_ring_get_type     (void) G_GNUC_CONST;
TroupeSampleRing   *troupe_sample_ring_new          (guint               capacity);
TroupeSampleRing   *troupe_sample_ring_ref          (TroupeSampleRing   *self);
void                troupe_sample_ring_unref        (TroupeSampleRing   *self);
void                troupe_sample_ring_push         (TroupeSampleRing   *self,
                                                     const TroupeSample *sample);
guint               troupe_sample_ring_get_length   (TroupeSampleRing   *self);
guint               troupe_sample_ring_get_capacity (TroupeSampleRing   *self);
const TroupeSample *troupe_sample_ring_get          (TroupeSampleRing   *self,
                                                     guint               index);
const TroupeSample *troupe_sample_ring_get_latest   (TroupeSampleRing   *self);
double              troupe_sample_ring_get_max_cpu  (TroupeSampleRing   *self);
guint64             troupe_sample_ring_get_max_rss  (TroupeSampleRing   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeSampleRing, troupe_sample_ring_unref)

G_END_DECLS
