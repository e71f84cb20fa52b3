/* troupe-worker.h: one thread worker: its kind, start data, state and messages both ways
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-message-log.h"
#include "troupe-worker-kind.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_WORKER_QUEUED,          /* waiting for a free pool thread */
  TROUPE_WORKER_RUNNING,
  TROUPE_WORKER_TERMINATING,     /* cancelled, deadline not yet passed */
  TROUPE_WORKER_EXITED,          /* entry returned: exit code */
  TROUPE_WORKER_FAILED,          /* troupe_worker_context_fail(): error message */
  TROUPE_WORKER_TERMINATED,      /* ended after terminate */
  TROUPE_WORKER_NOT_RESPONDING,  /* terminate deadline passed and it still runs; it may end
                                    later, then becomes TERMINATED */
} TroupeWorkerState;

/* How long troupe_worker_terminate() callers usually wait before calling a
 * worker not responding. */
#define TROUPE_WORKER_DEFAULT_DEADLINE_MS 2000

const char *troupe_worker_state_to_string (TroupeWorkerState state);

#define TROUPE_TYPE_WORKER (troupe_worker_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorker, troupe_worker, TROUPE, WORKER, GObject)

guint              troupe_worker_get_id            (TroupeWorker  *self);
TroupeWorkerKind  *troupe_worker_get_kind          (TroupeWorker  *self);
JsonNode          *troupe_worker_get_data          (TroupeWorker  *self);
char              *troupe_worker_dup_data_text     (TroupeWorker  *self);
TroupeWorkerState  troupe_worker_get_state         (TroupeWorker  *self);
gboolean           troupe_worker_has_ended         (TroupeWorker  *self);
int                troupe_worker_get_exit_code     (TroupeWorker  *self);
const char        *troupe_worker_get_error_message (TroupeWorker  *self);
char              *troupe_worker_dup_status_text   (TroupeWorker  *self);
gint64             troupe_worker_get_queued_at     (TroupeWorker  *self);
gint64             troupe_worker_get_started_at    (TroupeWorker  *self);
gint64             troupe_worker_get_run_time      (TroupeWorker  *self);
int                troupe_worker_get_thread_id     (TroupeWorker  *self);
guint              troupe_worker_get_n_queued_in   (TroupeWorker  *self);
guint              troupe_worker_get_n_queued_out  (TroupeWorker  *self);
gboolean           troupe_worker_post_text         (TroupeWorker  *self,
                                                    const char    *json_text,
                                                    GError       **error);
void               troupe_worker_post              (TroupeWorker  *self,
                                                    JsonNode      *message);
void               troupe_worker_terminate         (TroupeWorker  *self,
                                                    guint          deadline_ms);
TroupeMessageLog  *troupe_worker_get_messages      (TroupeWorker  *self);
gboolean           troupe_worker_get_recording     (TroupeWorker  *self);
void               troupe_worker_set_recording     (TroupeWorker  *self,
                                                    gboolean       recording);
void               troupe_worker_wait_async        (TroupeWorker        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           troupe_worker_wait_finish       (TroupeWorker  *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

G_END_DECLS
