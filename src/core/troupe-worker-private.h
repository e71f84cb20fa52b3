/* troupe-worker-private.h: what a worker shares with its pool thread, and with its pool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker.h"
#include "troupe-worker-context.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes *chunk;
  guint8 *data;
  gsize   used;
} TroupeWorkerChunks;

/* The state a worker's pool thread and the main thread share. It is counted
 * apart from the TroupeWorker object so that neither side frees what the other
 * still reads: the GObject is only ever touched on the main thread. */
struct _TroupeWorkerContext
{
  gatomicrefcount    ref_count;

  /* Set before the thread is started, then only read */
  JsonNode          *data;            /* sealed */
  TroupeWorkerEntry  entry;
  GCancellable      *cancellable;
  gulong             cancelled_handler;
  GMainContext      *main_context;

  GMutex             lock;
  /* Guarded by lock */
  GCond              inbox_changed;
  GPtrArray         *inbox;           /* of GBytes, from the main thread */
  int                inbox_length;    /* also read without the lock, atomically */
  gboolean           receiver_waiting;
  gboolean           cancelled;
  GPtrArray         *outbox;          /* of GBytes, for the main thread */
  gboolean           dispatch_scheduled;
  gboolean           started;
  gboolean           finished;
  gboolean           skipped;         /* terminated while queued: the entry never ran */
  gint64             started_at;
  gint64             ended_at;
  int                thread_id;
  int                exit_code;
  char              *error_message;
  /* Held from the push onto the pool until the main thread has seen the end */
  TroupeWorker      *worker;
  GSource           *dispatch_source;  /* on the main context, ready when there is news */

  /* Only the worker's own thread touches these */
  GPtrArray         *taken;           /* messages taken from inbox in one go */
  guint              taken_next;      /* the next one to hand out */
  guint              last_batch_size; /* how many were taken the last time */
  TroupeWorkerChunks out_chunks;      /* where small messages to post are copied */

  /* Only the main thread touches these */
  TroupeWorkerChunks in_chunks;       /* where small messages for the worker are copied */
};

TroupeWorkerContext *_troupe_worker_context_new    (TroupeWorkerEntry     entry,
                                                    JsonNode             *data,
                                                    GMainContext         *main_context);
TroupeWorkerContext *_troupe_worker_context_ref    (TroupeWorkerContext  *context);
void                 _troupe_worker_context_unref  (TroupeWorkerContext  *context);
void                 _troupe_worker_context_set_worker (TroupeWorkerContext *context,
                                                        TroupeWorker        *worker);
void                 _troupe_worker_context_run    (TroupeWorkerContext  *context);
void                 _troupe_worker_context_send   (TroupeWorkerContext  *context,
                                                    GBytes               *message);
guint                _troupe_worker_context_count_inbox (TroupeWorkerContext *context);
int                  _troupe_worker_context_get_thread_id (TroupeWorkerContext *context);

GBytes              *_troupe_worker_chunks_copy    (TroupeWorkerChunks   *chunks,
                                                    const char           *text,
                                                    gsize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeWorkerContext, _troupe_worker_context_unref)

TroupeWorker        *_troupe_worker_new            (guint                 id,
                                                    TroupeWorkerKind     *kind,
                                                    JsonNode             *data);
TroupeWorkerContext *_troupe_worker_get_context    (TroupeWorker         *self);
/* Called on the main thread with what the worker's thread left since the last
 * time; %FALSE once the worker's end has been dispatched. */
gboolean             _troupe_worker_dispatch       (TroupeWorker         *self);

G_END_DECLS
