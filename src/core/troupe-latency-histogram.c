/* troupe-latency-histogram.c: request latencies in logarithmic buckets, for percentiles
 *
 * A load test makes hundreds of thousands of requests; keeping every latency
 * to sort them would cost memory in proportion. Instead each latency, in
 * microseconds, goes into a bucket: values below 64 µs each have their own,
 * and every power of two above that is split into 64 buckets, so a bucket is
 * never wider than 1/64 (1.6 %) of its values, from 1 µs up to hours, in a few
 * thousand counters. Adding is a few instructions; two histograms merge by
 * adding their counters, so threads can keep their own and combine them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-latency-histogram.h"

#define SUB_BITS     6
#define SUB_BUCKETS  (1 << SUB_BITS)
/* Powers of two above the first SUB_BUCKETS values: up to 2^(SUB_BITS + 36) µs. */
#define N_OCTAVES    36
#define N_BUCKETS    (SUB_BUCKETS * (N_OCTAVES + 1))

struct _TroupeLatencyHistogram
{
  guint64 count;
  gint64  max;
  double  sum;
  guint64 buckets[N_BUCKETS];
};

TroupeLatencyHistogram *
troupe_latency_histogram_new (void)
{
  return g_new0 (TroupeLatencyHistogram, 1);
}

void
troupe_latency_histogram_free (TroupeLatencyHistogram *self)
{
  g_free (self);
}

void
troupe_latency_histogram_clear (TroupeLatencyHistogram *self)
{
  memset (self, 0, sizeof *self);
}

static guint
bucket_of (guint64 value)
{
  guint octave;

  if (value < SUB_BUCKETS)
    return value;
  /* The highest set bit says the octave; the SUB_BITS bits below it, where in it. */
  octave = (63 - __builtin_clzll (value)) - SUB_BITS + 1;
  if (octave > N_OCTAVES)
    return N_BUCKETS - 1;
  return octave * SUB_BUCKETS + ((value >> (octave - 1)) - SUB_BUCKETS);
}

/* The middle of a bucket's range, so a percentile is off by at most half a bucket. */
static gint64
value_of (guint bucket)
{
  guint octave = bucket / SUB_BUCKETS;
  guint64 offset = bucket % SUB_BUCKETS;
  guint64 low;
  guint64 width;

  if (octave == 0)
    return offset;
  low = (SUB_BUCKETS + offset) << (octave - 1);
  width = G_GUINT64_CONSTANT (1) << (octave - 1);
  return low + width / 2;
}

/**
 * troupe_latency_histogram_add:
 * @usec: a latency, in microseconds (negative counts as 0)
 */
void
troupe_latency_histogram_add (TroupeLatencyHistogram *self,
                              gint64                  usec)
{
  if (usec < 0)
    usec = 0;
  self->buckets[bucket_of (usec)]++;
  self->count++;
  self->sum += usec;
  if (usec > self->max)
    self->max = usec;
}

void
troupe_latency_histogram_merge (TroupeLatencyHistogram       *self,
                                const TroupeLatencyHistogram *other)
{
  for (guint i = 0; i < N_BUCKETS; i++)
    self->buckets[i] += other->buckets[i];
  self->count += other->count;
  self->sum += other->sum;
  self->max = MAX (self->max, other->max);
}

guint64
troupe_latency_histogram_get_count (const TroupeLatencyHistogram *self)
{
  return self->count;
}

gint64
troupe_latency_histogram_get_max (const TroupeLatencyHistogram *self)
{
  return self->max;
}

double
troupe_latency_histogram_get_mean (const TroupeLatencyHistogram *self)
{
  return self->count > 0 ? self->sum / self->count : 0;
}

/**
 * troupe_latency_histogram_percentile:
 * @percent: 50 for the median, 99 for the 99th percentile, …
 *
 * Returns: the latency that @percent of the values are at or below, in
 *   microseconds, to within 1.6 %; 0 when empty
 */
gint64
troupe_latency_histogram_percentile (const TroupeLatencyHistogram *self,
                                     double                        percent)
{
  guint64 wanted;
  guint64 seen = 0;

  if (self->count == 0)
    return 0;
  percent = CLAMP (percent, 0, 100);
  wanted = (guint64) (percent / 100 * self->count + 0.5);
  wanted = CLAMP (wanted, 1, self->count);
  for (guint i = 0; i < N_BUCKETS; i++)
    {
      seen += self->buckets[i];
      if (seen >= wanted)
        return MIN (value_of (i), self->max);
    }
  return self->max;
}
