/* troupe-process-group.c: a run's process group: its leader's end, who is left,
 * and stopping, killing and signalling all of it
 *
 * The leader is watched through a pidfd and, when it exits, its status is read
 * without reaping it (waitid with WNOWAIT). It stays a zombie, holding its pid
 * — which is the group id — until a scan of /proc finds nobody else alive in
 * the group. Only then is it reaped. So every kill(-group) we send reaches our
 * own processes, never a stranger that was handed a recycled pid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-group-scan.h"
#include "troupe-process-private.h"
#include "troupe-signal-names.h"

/* How often to look again at a group that outlived its leader. */
#define GROUP_CHECK_IDLE_MS     1000
#define GROUP_CHECK_STOPPING_MS 50

/* A run this short cannot have seen the pid counter go all the way round. */
#define QUICK_CHECK_MAX_USEC    (2 * G_USEC_PER_SEC)

/* Right after a short run's leader exits, anyone left in its group was forked
 * after it, so has a higher pid — unless the counter wrapped, which
 * ns_last_pid shows by being below the leader's pid. Then only the few newer
 * processes need reading, here and now, instead of all of /proc on a thread.
 * That is what keeps a burst of short runs cheap. */
static gboolean
quick_check_says_empty (TroupeProcess *self)
{
  GPid last_pid;

  if (troupe_process_get_duration (self) > QUICK_CHECK_MAX_USEC)
    return FALSE;
  last_pid = troupe_group_scan_last_pid ();
  if (last_pid < self->pid)
    return FALSE;
  return troupe_group_scan_count_members (self->pid, self->pid, self->pid) == 0;
}

static gboolean
on_leader_exited (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  TroupeProcess *self = user_data;
  siginfo_t info = { 0 };

  g_clear_pointer (&self->pidfd_source, g_source_unref);

  /* WNOWAIT: read how it ended, but leave it a zombie that holds its pid. */
  if (waitid (P_PIDFD, self->pidfd, &info, WEXITED | WNOWAIT) != 0)
    {
      /* Cannot happen for our own child; treat it as gone rather than hang. */
      info.si_code = CLD_KILLED;
      info.si_status = SIGKILL;
    }

  _troupe_process_leader_ended (self, info.si_code != CLD_EXITED, info.si_status);
  return G_SOURCE_REMOVE;
}

static void
on_child_reaped (GPid     pid,
                 int      wait_status,
                 gpointer user_data)
{
  TroupeProcess *self = user_data;

  self->child_watch = 0;
  self->leader_reaped = TRUE;
  g_spawn_close_pid (pid);

  if (WIFSIGNALED (wait_status))
    _troupe_process_leader_ended (self, TRUE, WTERMSIG (wait_status));
  else
    _troupe_process_leader_ended (self, FALSE, WEXITSTATUS (wait_status));
}

void
_troupe_process_watch_leader (TroupeProcess *self)
{
  self->group_alive = TRUE;
  self->pidfd = pidfd_open (self->pid, 0);

  if (self->pidfd < 0)
    {
      /* No pidfd (an old kernel or a strict sandbox): GLib reaps the leader. */
      self->child_watch = g_child_watch_add_full (G_PRIORITY_DEFAULT, self->pid,
                                                  on_child_reaped, self, NULL);
      return;
    }

  self->pidfd_source = g_unix_fd_source_new (self->pidfd, G_IO_IN);
  g_source_set_callback (self->pidfd_source, G_SOURCE_FUNC (on_leader_exited), self, NULL);
  g_source_set_static_name (self->pidfd_source, "[troupe] process leader");
  g_source_attach (self->pidfd_source, NULL);
}

static void
reap_leader (TroupeProcess *self)
{
  siginfo_t info = { 0 };

  if (self->pidfd < 0)
    return;
  while (waitid (P_PIDFD, self->pidfd, &info, WEXITED) != 0 && errno == EINTR)
    ;
  close (self->pidfd);
  self->pidfd = -1;
  self->leader_reaped = TRUE;
}

/* Nobody is left: let the leader go, and with it the claim on its group id. */
void
_troupe_process_group_gone (TroupeProcess *self)
{
  if (!self->group_alive)
    return;

  reap_leader (self);
  /* A descendant that left the group with setsid() may still hold the pipes; it
   * is not ours to wait for, so what it wrote so far is read and we let go. */
  _troupe_process_drain_outputs (self, TRUE);

  g_clear_handle_id (&self->kill_timeout, g_source_remove);
  g_clear_handle_id (&self->group_check, g_source_remove);
  self->group_alive = FALSE;
  _troupe_process_notify_group_alive (self);
}

static void
on_group_scanned (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* Our reference, dropped here on the main thread: had the task held the
   * process as its source object, the worker thread could drop the last one. */
  g_autoptr(TroupeProcess) self = user_data;
  g_autoptr(GError) error = NULL;
  guint members = troupe_group_scan_count_members_finish (result, &error);

  self->group_scan_pending = FALSE;
  if (error != NULL || !self->group_alive)
    return;

  if (members == 0)
    _troupe_process_group_gone (self);
  else
    _troupe_process_check_group (self, self->kill_timeout != 0 ? GROUP_CHECK_STOPPING_MS
                                                              : GROUP_CHECK_IDLE_MS);
}

static gboolean
on_group_check (gpointer user_data)
{
  TroupeProcess *self = user_data;

  self->group_check = 0;
  _troupe_process_check_group (self, 0);
  return G_SOURCE_REMOVE;
}

/**
 * _troupe_process_check_group:
 * @delay_ms: how long to wait first; 0 looks now
 *
 * Once the leader has ended, finds out whether anyone is left in its group,
 * and keeps looking until nobody is.
 */
void
_troupe_process_check_group (TroupeProcess *self,
                             guint          delay_ms)
{
  if (!self->group_alive || !troupe_process_has_ended (self) || self->group_scan_pending)
    return;

  if (self->leader_reaped)
    {
      /* Without a held leader, open pipes are the only evidence left. */
      if (!_troupe_process_outputs_open (self))
        _troupe_process_group_gone (self);
      return;
    }

  if (delay_ms > 0)
    {
      if (self->group_check == 0)
        self->group_check = g_timeout_add (delay_ms, on_group_check, self);
      return;
    }

  g_clear_handle_id (&self->group_check, g_source_remove);
  if (!self->quick_check_done)
    {
      self->quick_check_done = TRUE;
      if (quick_check_says_empty (self))
        {
          _troupe_process_group_gone (self);
          return;
        }
    }
  self->group_scan_pending = TRUE;
  troupe_group_scan_count_members_async (self->pid, self->pid, NULL,
                                         NULL, on_group_scanned,
                                         g_object_ref (self));
}

/**
 * _troupe_process_release_group:
 *
 * For dispose: whatever is still alive in the group is killed, and the leader
 * reaped, so that a run dropped without a stop leaves nothing behind.
 */
void
_troupe_process_release_group (TroupeProcess *self)
{
  g_clear_handle_id (&self->group_check, g_source_remove);
  g_clear_handle_id (&self->kill_timeout, g_source_remove);
  g_clear_handle_id (&self->child_watch, g_source_remove);
  if (self->pidfd_source != NULL)
    {
      g_source_destroy (self->pidfd_source);
      g_clear_pointer (&self->pidfd_source, g_source_unref);
    }

  if (self->pid <= 0 || !self->group_alive)
    return;

  if (!self->leader_reaped)
    {
      kill (-self->pid, SIGKILL);
      reap_leader (self);
    }
  else if (self->state == TROUPE_PROCESS_STATE_RUNNING)
    {
      /* The child-watch fallback: the leader is ours until GLib reaps it. */
      kill (-self->pid, SIGKILL);
      waitpid (self->pid, NULL, 0);
    }
  self->group_alive = FALSE;
}

static gboolean
on_kill_timeout (gpointer user_data)
{
  TroupeProcess *self = user_data;

  self->kill_timeout = 0;
  if (self->group_alive)
    kill (-self->pid, SIGKILL);
  _troupe_process_check_group (self, GROUP_CHECK_STOPPING_MS);
  return G_SOURCE_REMOVE;
}

/**
 * troupe_process_stop:
 *
 * Sends SIGTERM to the run's whole process group, and SIGKILL to it when the
 * command's stop timeout has passed and anything in the group is still alive.
 */
void
troupe_process_stop (TroupeProcess *self)
{
  g_return_if_fail (TROUPE_IS_PROCESS (self));

  if (!self->group_alive || self->kill_timeout != 0)
    return;

  kill (-self->pid, SIGTERM);
  /* A stopped (SIGSTOP) process only acts on SIGTERM once it runs again. */
  kill (-self->pid, SIGCONT);
  self->kill_timeout = g_timeout_add (troupe_command_get_stop_timeout (self->command),
                                      on_kill_timeout, self);
  _troupe_process_check_group (self, GROUP_CHECK_STOPPING_MS);
}

/**
 * troupe_process_kill:
 *
 * Sends SIGKILL to the run's whole process group at once.
 *
 * Returns: %FALSE if there was nothing to kill
 */
gboolean
troupe_process_kill (TroupeProcess  *self,
                     GError        **error)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  return troupe_process_send_signal (self, SIGKILL, error);
}

/**
 * troupe_process_send_signal:
 * @signal_number: any signal
 * @error: set if the run has nothing left to signal
 *
 * Sends @signal_number to the run's whole process group, as a terminal does.
 *
 * Returns: %TRUE if the signal was sent
 */
gboolean
troupe_process_send_signal (TroupeProcess  *self,
                            int             signal_number,
                            GError        **error)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);

  if (!self->group_alive)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The process is not running"));
      return FALSE;
    }
  if (kill (-self->pid, signal_number) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not send %s: %s"), troupe_signal_name (signal_number),
                   g_strerror (saved_errno));
      return FALSE;
    }
  _troupe_process_check_group (self, GROUP_CHECK_STOPPING_MS);
  return TRUE;
}

/**
 * troupe_process_is_group_alive:
 *
 * Returns: %TRUE while the child or anything left in its process group lives,
 *   so stopping the run still has something to stop
 */
gboolean
troupe_process_is_group_alive (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  return self->group_alive;
}
