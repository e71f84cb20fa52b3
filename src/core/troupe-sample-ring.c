/* troupe-sample-ring.c: the latest samples of one series, in a fixed-size ring
 *
 * Every process the monitor follows keeps ten minutes of samples, and a busy
 * job can have a thousand processes, so the ring grows its storage as samples
 * arrive (most processes live for seconds) and never beyond its capacity:
 * once full, each new sample replaces the oldest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-sample-ring.h"

struct _TroupeSampleRing
{
  gatomicrefcount  ref_count;
  guint            capacity;
  guint            allocated;
  guint            length;
  /* Where the oldest sample is, once the ring has wrapped around. */
  guint            start;
  TroupeSample    *samples;
};

G_DEFINE_BOXED_TYPE (TroupeSampleRing, troupe_sample_ring,
                     troupe_sample_ring_ref, troupe_sample_ring_unref)

/**
 * troupe_sample_ring_new:
 * @capacity: how many samples it keeps, at least 1
 *
 * Returns: (transfer full): an empty ring
 */
TroupeSampleRing *
troupe_sample_ring_new (guint capacity)
{
  TroupeSampleRing *self;

  g_return_val_if_fail (capacity > 0, NULL);

  self = g_new0 (TroupeSampleRing, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->capacity = capacity;
  return self;
}

TroupeSampleRing *
troupe_sample_ring_ref (TroupeSampleRing *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
troupe_sample_ring_unref (TroupeSampleRing *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->samples);
  g_free (self);
}

/**
 * troupe_sample_ring_push:
 * @sample: the newest sample; copied
 *
 * Adds @sample as the newest; a full ring drops its oldest.
 */
void
troupe_sample_ring_push (TroupeSampleRing   *self,
                         const TroupeSample *sample)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (sample != NULL);

  if (self->length < self->capacity)
    {
      if (self->length == self->allocated)
        {
          self->allocated = MIN (self->capacity, MAX (16, self->allocated * 2));
          self->samples = g_renew (TroupeSample, self->samples, self->allocated);
        }
      self->samples[self->length++] = *sample;
      return;
    }

  self->samples[self->start] = *sample;
  self->start = (self->start + 1) % self->capacity;
}

guint
troupe_sample_ring_get_length (TroupeSampleRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

guint
troupe_sample_ring_get_capacity (TroupeSampleRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->capacity;
}

/**
 * troupe_sample_ring_get:
 * @index: 0 for the oldest sample kept, up to the length minus one
 *
 * Returns: (transfer none): the sample, valid until the next push
 */
const TroupeSample *
troupe_sample_ring_get (TroupeSampleRing *self,
                        guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->length, NULL);

  return &self->samples[(self->start + index) % self->capacity];
}

/**
 * troupe_sample_ring_get_latest:
 *
 * Returns: (transfer none) (nullable): the newest sample, or %NULL if there is none
 */
const TroupeSample *
troupe_sample_ring_get_latest (TroupeSampleRing *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->length == 0)
    return NULL;
  return troupe_sample_ring_get (self, self->length - 1);
}

/**
 * troupe_sample_ring_get_max_cpu:
 *
 * Returns: the highest CPU use among the samples kept, 0 when empty; for
 *   scaling a graph's axis
 */
double
troupe_sample_ring_get_max_cpu (TroupeSampleRing *self)
{
  double max = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->length; i++)
    max = MAX (max, self->samples[i].cpu);
  return max;
}

/**
 * troupe_sample_ring_get_max_rss:
 *
 * Returns: the highest resident memory among the samples kept, 0 when empty
 */
guint64
troupe_sample_ring_get_max_rss (TroupeSampleRing *self)
{
  guint64 max = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->length; i++)
    max = MAX (max, self->samples[i].rss);
  return max;
}
