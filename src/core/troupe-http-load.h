/* troupe-http-load.h: many HTTP connections driven from one thread, with live statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "troupe-http-client.h"

G_BEGIN_DECLS

#define TROUPE_HTTP_LOAD_STATS_INTERVAL_MS 250
#define TROUPE_HTTP_LOAD_MAX_CONNECTIONS   10000
#define TROUPE_HTTP_LOAD_MAX_THREADS       64

typedef struct
{
  TroupeHttpUrl *url;
  char          *method;
  guint          connections;
  double         duration;          /* seconds; 0 = until the requests are made */
  guint64        requests;          /* attempts to make; 0 = until the duration is up */
  gboolean       keep_alive;
  guint          timeout_ms;        /* per request */
  guint          threads;           /* to share the connections among */
  guint          stats_interval_ms;
} TroupeHttpLoadSpec;

/* Each message the load posts, as JSON text built on its own thread. */
typedef void (*TroupeHttpLoadPostFunc) (const char *json_text,
                                        gsize       length,
                                        gpointer    user_data);

TroupeHttpLoadSpec *troupe_http_load_spec_new_from_json (JsonNode                 *data,
                                                         GError                  **error);
void                troupe_http_load_spec_free          (TroupeHttpLoadSpec       *spec);
gboolean            troupe_http_load_run                (const TroupeHttpLoadSpec *spec,
                                                         TroupeHttpLoadPostFunc    post,
                                                         gpointer                  user_data,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeHttpLoadSpec, troupe_http_load_spec_free)

G_END_DECLS
