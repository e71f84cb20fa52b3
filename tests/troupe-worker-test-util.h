/* troupe-worker-test-util.h: what the worker kind tests share: an HTTP server, messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "troupe-worker-pool.h"

G_BEGIN_DECLS

typedef struct
{
  GThreadedSocketService *service;
  guint16                 port;
  int                     requests;     /* atomic */
  int                     connections;  /* atomic */
} TroupeTestServer;

typedef struct
{
  GPtrArray *messages;  /* of JsonNode */
  GArray    *arrived;   /* g_get_monotonic_time() of each message */
} TroupeTestReceived;

void                troupe_test_server_start_on (TroupeTestServer   *server,
                                                 guint16             port);
void                troupe_test_server_start    (TroupeTestServer   *server);
void                troupe_test_server_stop     (TroupeTestServer   *server);
guint16             troupe_test_closed_port     (void);

void                troupe_test_received_init   (TroupeTestReceived *received);
void                troupe_test_received_clear  (TroupeTestReceived *received);
JsonObject         *troupe_test_message_at      (TroupeTestReceived *received,
                                                 guint               index);
const char         *troupe_test_type_at         (TroupeTestReceived *received,
                                                 guint               index);
JsonObject         *troupe_test_last_of_type    (TroupeTestReceived *received,
                                                 const char         *type);
guint               troupe_test_count_of_type   (TroupeTestReceived *received,
                                                 const char         *type);
gint64              troupe_test_member_or_zero  (JsonObject         *object,
                                                 const char         *name);

TroupeWorkerPool   *troupe_test_new_pool        (guint               max_threads);
gboolean            troupe_test_worker_has_ended (gpointer           worker);
TroupeWorker       *troupe_test_start_worker    (TroupeWorkerPool   *pool,
                                                 const char         *kind,
                                                 TroupeTestReceived *received,
                                                 const char         *format,
                                                 ...) G_GNUC_PRINTF (4, 5);
void                troupe_test_run_to_end      (TroupeWorker       *worker);

G_END_DECLS
