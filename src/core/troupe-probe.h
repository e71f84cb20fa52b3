/* troupe-probe.h: is a server up? One TCP connect or HTTP GET, with a timeout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "troupe-http-client.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_PROBE_TCP,
  TROUPE_PROBE_HTTP,
} TroupeProbeMode;

typedef struct
{
  TroupeProbeMode  mode;
  char            *host;
  guint16          port;
  TroupeHttpUrl   *url;          /* HTTP only */
  guint            interval_ms;
  guint            timeout_ms;
  guint64          count;        /* checks to make; 0 = until cancelled */
} TroupeProbeSpec;

#define TROUPE_PROBE_DEFAULT_INTERVAL_MS 1000
#define TROUPE_PROBE_DEFAULT_TIMEOUT_MS  1000

TroupeProbeSpec *troupe_probe_spec_new_from_json (JsonNode              *data,
                                                  const char            *default_host,
                                                  guint16                default_port,
                                                  GError               **error);
TroupeProbeSpec *troupe_probe_spec_copy          (const TroupeProbeSpec *spec);
void             troupe_probe_spec_free          (TroupeProbeSpec       *spec);
char            *troupe_probe_spec_describe      (const TroupeProbeSpec *spec);

gboolean         troupe_probe_check              (const TroupeProbeSpec *spec,
                                                  gint64                *latency_usec,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
void             troupe_probe_check_async        (const TroupeProbeSpec *spec,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean         troupe_probe_check_finish       (GAsyncResult          *result,
                                                  gint64                *latency_usec,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeProbeSpec, troupe_probe_spec_free)

G_END_DECLS
