/* troupe-cluster.c: N members of one command sharing one listening socket, supervised
 *
 * Troupe binds and listens once, and every member gets that socket at fd 3
 * the way systemd's socket activation passes one (LISTEN_FDS=1, LISTEN_PID,
 * LISTEN_FDNAMES) and the port in PORT, plus a fork channel at fd 4 with
 * NODE_UNIQUE_ID, so a Node cluster program's workers find their primary in
 * Troupe. LISTEN_PID must be the member's own pid, which exists only once it
 * has forked: a one-line /bin/sh wrapper sets it to its own pid ($$) and then
 * execs the command, which keeps that pid.
 *
 * A reload replaces the members one at a time, each new run first; a member
 * that asks for a socket other than the cluster's (Node's queryServer) gets
 * one bound on demand, shared with the other members that ask for the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-cluster-private.h"
#include "troupe-listener.h"

#define WRAPPER_SCRIPT "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\""

struct _TroupeCluster
{
  GObject              parent_instance;

  TroupeCommand       *command;
  TroupeLauncher      *launcher;
  TroupeSpoolDir      *spool_dir;
  char                *host;
  guint16              port;
  TroupeRestartPolicy  policy;
  guint                grace_ms;
  char                *ready_probe;      /* JSON text, or NULL */

  int                  listen_fd;
  guint16              bound_port;
  GHashTable          *extra_listeners;  /* "address:port" → fd */
  char                *error_message;

  GListStore          *members;
  GPtrArray           *departing;        /* scaled away or replaced, until their runs end */
  guint                next_id;
  gboolean             running;

  GQueue               reload_queue;
  TroupeClusterMember *reloading;
};

enum
{
  MEMBER_CHANGED,
  RELOADED,
  STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeCluster, troupe_cluster, G_TYPE_OBJECT)

static void
close_listener (gpointer data)
{
  close (GPOINTER_TO_INT (data));
}

static void
troupe_cluster_dispose (GObject *object)
{
  TroupeCluster *self = (TroupeCluster *) object;
  guint n = self->members != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->members)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeClusterMember) member =
        g_list_model_get_item (G_LIST_MODEL (self->members), i);
      _troupe_cluster_member_forget_cluster (member);
    }
  for (guint i = 0; self->departing != NULL && i < self->departing->len; i++)
    _troupe_cluster_member_forget_cluster (g_ptr_array_index (self->departing, i));
  g_queue_clear_full (&self->reload_queue, g_object_unref);
  g_clear_object (&self->reloading);
  g_clear_object (&self->members);
  g_clear_pointer (&self->departing, g_ptr_array_unref);
  g_clear_object (&self->command);
  g_clear_object (&self->launcher);
  g_clear_object (&self->spool_dir);

  G_OBJECT_CLASS (troupe_cluster_parent_class)->dispose (object);
}

static void
troupe_cluster_finalize (GObject *object)
{
  TroupeCluster *self = (TroupeCluster *) object;

  if (self->listen_fd >= 0)
    close (self->listen_fd);
  g_hash_table_unref (self->extra_listeners);
  g_free (self->host);
  g_free (self->ready_probe);
  g_free (self->error_message);

  G_OBJECT_CLASS (troupe_cluster_parent_class)->finalize (object);
}

static void
troupe_cluster_class_init (TroupeClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_cluster_dispose;
  object_class->finalize = troupe_cluster_finalize;

  /**
   * TroupeCluster::member-changed:
   * @member: a member whose state changed
   */
  signals[MEMBER_CHANGED] =
    g_signal_new ("member-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, TROUPE_TYPE_CLUSTER_MEMBER);
  /**
   * TroupeCluster::reloaded:
   * @replaced: how many members got a new run
   *
   * A reload went through every member.
   */
  signals[RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * TroupeCluster::stopped:
   *
   * After troupe_cluster_stop(), every run of every member has ended.
   */
  signals[STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
troupe_cluster_init (TroupeCluster *self)
{
  self->listen_fd = -1;
  self->host = g_strdup (TROUPE_LISTEN_DEFAULT_HOST);
  self->policy = TROUPE_RESTART_ON_FAILURE;
  self->grace_ms = TROUPE_CLUSTER_DEFAULT_GRACE_MS;
  self->extra_listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, close_listener);
  self->members = g_list_store_new (TROUPE_TYPE_CLUSTER_MEMBER);
  self->departing = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_id = 1;
  g_queue_init (&self->reload_queue);
}

/**
 * troupe_cluster_new:
 * @command: what each member runs (an argv; the cluster adds the rest)
 *
 * Returns: (transfer full): a cluster, not started
 */
TroupeCluster *
troupe_cluster_new (TroupeCommand  *command,
                    TroupeLauncher *launcher,
                    TroupeSpoolDir *spool_dir)
{
  TroupeCluster *self;

  g_return_val_if_fail (TROUPE_IS_COMMAND (command), NULL);
  g_return_val_if_fail (TROUPE_IS_LAUNCHER (launcher), NULL);
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (spool_dir), NULL);

  self = g_object_new (TROUPE_TYPE_CLUSTER, NULL);
  self->command = troupe_command_copy (command);
  self->launcher = g_object_ref (launcher);
  self->spool_dir = g_object_ref (spool_dir);
  return self;
}

TroupeCommand *
troupe_cluster_get_command (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);
  return self->command;
}

/**
 * troupe_cluster_set_listen:
 * @host: an IP address
 * @port: the port; 0 picks a free one when the cluster starts
 */
void
troupe_cluster_set_listen (TroupeCluster *self,
                           const char    *host,
                           guint16        port)
{
  g_return_if_fail (TROUPE_IS_CLUSTER (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (!self->running);

  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
}

const char *
troupe_cluster_get_host (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);
  return self->host;
}

/**
 * troupe_cluster_get_port:
 *
 * Returns: the port the members serve on (the free one picked, for port 0,
 *   once started)
 */
guint16
troupe_cluster_get_port (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), 0);
  return self->listen_fd >= 0 ? self->bound_port : self->port;
}

void
troupe_cluster_set_restart_policy (TroupeCluster       *self,
                                   TroupeRestartPolicy  policy)
{
  g_return_if_fail (TROUPE_IS_CLUSTER (self));
  self->policy = policy;
}

TroupeRestartPolicy
troupe_cluster_get_restart_policy (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), TROUPE_RESTART_NEVER);
  return self->policy;
}

/**
 * troupe_cluster_set_grace_ms:
 * @grace_ms: how long a new member has before it counts as ready anyway
 */
void
troupe_cluster_set_grace_ms (TroupeCluster *self,
                             guint          grace_ms)
{
  g_return_if_fail (TROUPE_IS_CLUSTER (self));
  self->grace_ms = grace_ms;
}

guint
troupe_cluster_get_grace_ms (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), 0);
  return self->grace_ms;
}

/* The address to probe: the one members listen on, with "any" made loopback. */
static void
probe_target (TroupeCluster  *self,
              const char    **host,
              guint16        *port)
{
  *host = self->host;
  if (g_str_equal (self->host, "0.0.0.0"))
    *host = "127.0.0.1";
  else if (g_str_equal (self->host, "::"))
    *host = "::1";
  *port = troupe_cluster_get_port (self);
}

/**
 * troupe_cluster_check_ready_probe:
 * @probe_json: what troupe_cluster_set_ready_probe() takes
 *
 * Returns: %TRUE if @probe_json is a probe a cluster can use; else @error says
 *   what is wrong with it
 */
gboolean
troupe_cluster_check_ready_probe (const char  *probe_json,
                                  GError     **error)
{
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(TroupeProbeSpec) spec = NULL;

  g_return_val_if_fail (probe_json != NULL, FALSE);

  data = json_from_string (probe_json, error);
  if (data == NULL)
    return FALSE;
  spec = troupe_probe_spec_new_from_json (data, "127.0.0.1", 1, error);
  return spec != NULL;
}

/**
 * troupe_cluster_set_ready_probe:
 * @probe_json: (nullable): a probe as the "probe" worker takes it, such as
 *   {"mode": "http", "path": "/health", "timeout": 500}; without an "address"
 *   or "url" it is aimed at the cluster's own address. %NULL: no probe
 *
 * Adds a readiness gate: a new run of a member (when the cluster starts, a
 * member restarts, and in a rolling reload) counts as ready only once it is
 * ready by its own account (it said so, Node's cluster heard it listen, or the
 * grace time passed) *and* a check of this probe has passed; until then a
 * reload keeps the old run serving, and checks repeat at the probe's interval.
 *
 * The members share one socket, so the probe reaches whichever member the
 * kernel gives the connection to, not necessarily the new one: it says that
 * the service answers as a whole (a broken new version that still accepts
 * connections is caught only if it answers the probe), not which member did.
 * For the same reason a "tcp" probe of the cluster's own address passes as soon
 * as the socket listens, since the kernel accepts into the shared backlog
 * whether or not a member is there: aim it elsewhere (a health port) or use
 * "http", which needs a member to answer.
 * @probe_json must pass troupe_cluster_check_ready_probe().
 */
void
troupe_cluster_set_ready_probe (TroupeCluster *self,
                                const char    *probe_json)
{
  g_return_if_fail (TROUPE_IS_CLUSTER (self));
  g_return_if_fail (probe_json == NULL || troupe_cluster_check_ready_probe (probe_json, NULL));

  g_free (self->ready_probe);
  self->ready_probe = g_strdup (probe_json);
}

const char *
troupe_cluster_get_ready_probe (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);
  return self->ready_probe;
}

/**
 * troupe_cluster_dup_http_url:
 *
 * Where to send HTTP requests to reach the members: the listen address, with
 * 0.0.0.0 or :: made loopback. For a load test ("http-load" worker) of the
 * cluster.
 *
 * Returns: (transfer full): "http://HOST:PORT/"
 */
char *
troupe_cluster_dup_http_url (TroupeCluster *self)
{
  const char *host;
  guint16 port;

  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);

  probe_target (self, &host, &port);
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u/", host, port);
  return g_strdup_printf ("http://%s:%u/", host, port);
}

/* The probe, aimed: NULL when there is none. */
TroupeProbeSpec *
_troupe_cluster_dup_ready_probe (TroupeCluster *self)
{
  g_autoptr(JsonNode) data = NULL;
  const char *host;
  guint16 port;

  if (self->ready_probe == NULL)
    return NULL;
  data = json_from_string (self->ready_probe, NULL);
  probe_target (self, &host, &port);
  return troupe_probe_spec_new_from_json (data, host, port, NULL);
}

/**
 * troupe_cluster_default_size:
 *
 * Returns: the number of members when none is given: one per CPU
 */
guint
troupe_cluster_default_size (void)
{
  long cpus = sysconf (_SC_NPROCESSORS_ONLN);
  return cpus > 0 ? (guint) cpus : 1;
}

/* Says before binding anything whether the program is there at all: inside
 * the wrapper, a missing one would only be the shell's "not found". */
static gboolean
check_program (TroupeCommand  *command,
               GError        **error)
{
  const char * const *argv = troupe_command_get_argv (command);
  g_autofree char *found = NULL;

  if (troupe_command_is_shell (command))
    {
      g_set_error_literal (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_FAILED,
                           _("A cluster runs a program with its arguments, not a shell line"));
      return FALSE;
    }
  if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
    {
      g_set_error_literal (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_EMPTY_COMMAND,
                           _("There is no command to run"));
      return FALSE;
    }
  if (strchr (argv[0], '/') != NULL)
    {
      const char *cwd = troupe_command_get_cwd (command);
      g_autofree char *path = g_path_is_absolute (argv[0]) || cwd == NULL
                                ? g_strdup (argv[0]) : g_build_filename (cwd, argv[0], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (path, G_FILE_TEST_IS_DIR))
        return TRUE;
    }
  else if ((found = g_find_program_in_path (argv[0])) != NULL)
    return TRUE;
  g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_FOUND,
               _("command not found: %s"), argv[0]);
  return FALSE;
}

static TroupeClusterMember *
add_member (TroupeCluster *self)
{
  TroupeClusterMember *member = _troupe_cluster_member_new (self, self->next_id++);

  g_list_store_append (self->members, member);
  _troupe_cluster_member_start (member);
  g_object_unref (member);
  return member;
}

/**
 * troupe_cluster_start:
 * @n_members: how many members, or 0 for one per CPU
 * @error: why it cannot start: the port is in use, binding is not allowed,
 *   the command is not found
 *
 * Returns: %TRUE if it listens and its members are starting
 */
gboolean
troupe_cluster_start (TroupeCluster  *self,
                      guint           n_members,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!check_program (self->command, &local_error) ||
      (self->listen_fd = troupe_listen_tcp (self->host, self->port, &self->bound_port, NULL,
                                            &local_error)) < 0)
    {
      self->error_message = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->running = TRUE;
  if (n_members == 0)
    n_members = troupe_cluster_default_size ();
  for (guint i = 0; i < n_members; i++)
    add_member (self);
  return TRUE;
}

gboolean
troupe_cluster_is_running (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), FALSE);
  return self->running;
}

/**
 * troupe_cluster_get_error_message:
 *
 * Returns: (nullable): why the cluster could not start
 */
const char *
troupe_cluster_get_error_message (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);
  return self->error_message;
}

/**
 * troupe_cluster_get_members:
 *
 * Returns: (transfer none): the members, by id
 */
GListModel *
troupe_cluster_get_members (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), NULL);
  return G_LIST_MODEL (self->members);
}

guint
troupe_cluster_get_size (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->members));
}

static void
depart (TroupeCluster       *self,
        TroupeClusterMember *member)
{
  g_ptr_array_add (self->departing, g_object_ref (member));
  _troupe_cluster_member_leave (member);
}

/**
 * troupe_cluster_scale:
 * @n_members: how many members from now on (at least 1)
 *
 * New members start at once; the newest members leave, gracefully.
 */
void
troupe_cluster_scale (TroupeCluster *self,
                      guint          n_members)
{
  g_return_if_fail (TROUPE_IS_CLUSTER (self));
  g_return_if_fail (n_members > 0);

  if (!self->running)
    return;
  while (troupe_cluster_get_size (self) < n_members)
    add_member (self);
  while (troupe_cluster_get_size (self) > n_members)
    {
      guint last = troupe_cluster_get_size (self) - 1;
      g_autoptr(TroupeClusterMember) member =
        g_list_model_get_item (G_LIST_MODEL (self->members), last);

      g_list_store_remove (self->members, last);
      g_queue_remove (&self->reload_queue, member);
      depart (self, member);
    }
}

static void
reload_next (TroupeCluster *self)
{
  TroupeClusterMember *member;

  g_clear_object (&self->reloading);
  member = g_queue_pop_head (&self->reload_queue);
  if (member == NULL)
    {
      g_signal_emit (self, signals[RELOADED], 0, troupe_cluster_get_size (self));
      return;
    }
  self->reloading = member;
  _troupe_cluster_member_replace (member);
}

/**
 * troupe_cluster_reload:
 *
 * Replaces every member, one at a time: each new run starts, and the old one
 * is asked to leave only once the new one is ready, so the socket always has
 * members accepting on it.
 */
void
troupe_cluster_reload (TroupeCluster *self)
{
  guint n;

  g_return_if_fail (TROUPE_IS_CLUSTER (self));

  if (!self->running || self->reloading != NULL)
    return;
  n = troupe_cluster_get_size (self);
  for (guint i = 0; i < n; i++)
    g_queue_push_tail (&self->reload_queue,
                       g_list_model_get_item (G_LIST_MODEL (self->members), i));
  reload_next (self);
}

gboolean
troupe_cluster_is_reloading (TroupeCluster *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), FALSE);
  return self->reloading != NULL;
}

/**
 * troupe_cluster_broadcast:
 * @json_text: one JSON value
 * @error: why it is not sent: it is not valid JSON
 *
 * Returns: how many members it was sent to
 */
guint
troupe_cluster_broadcast (TroupeCluster  *self,
                          const char     *json_text,
                          GError        **error)
{
  guint n, sent = 0;

  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), 0);

  n = troupe_cluster_get_size (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeClusterMember) member =
        g_list_model_get_item (G_LIST_MODEL (self->members), i);
      TroupeProcess *run = troupe_cluster_member_get_process (member);
      TroupeChannel *channel = run != NULL ? troupe_process_get_channel (run) : NULL;
      g_autoptr(GError) local_error = NULL;

      if (channel == NULL || !troupe_channel_is_connected (channel))
        continue;
      if (troupe_channel_send_text (channel, json_text, -1, &local_error))
        sent++;
      else if (g_error_matches (local_error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
    }
  return sent;
}

static void
check_stopped (TroupeCluster *self)
{
  if (self->running || troupe_cluster_is_alive (self))
    return;
  g_signal_emit (self, signals[STOPPED], 0);
}

/**
 * troupe_cluster_stop:
 *
 * Stops every member for good, gracefully; #TroupeCluster::stopped follows
 * once every run has ended.
 */
void
troupe_cluster_stop (TroupeCluster *self)
{
  guint n;

  g_return_if_fail (TROUPE_IS_CLUSTER (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_queue_clear_full (&self->reload_queue, g_object_unref);
  g_clear_object (&self->reloading);
  n = troupe_cluster_get_size (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeClusterMember) member =
        g_list_model_get_item (G_LIST_MODEL (self->members), i);
      _troupe_cluster_member_leave (member);
    }
  check_stopped (self);
}

/**
 * troupe_cluster_is_alive:
 *
 * Returns: %TRUE while any run of any member, or of one scaled away, lives
 */
gboolean
troupe_cluster_is_alive (TroupeCluster *self)
{
  guint n;

  g_return_val_if_fail (TROUPE_IS_CLUSTER (self), FALSE);

  n = troupe_cluster_get_size (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeClusterMember) member =
        g_list_model_get_item (G_LIST_MODEL (self->members), i);
      if (_troupe_cluster_member_is_alive (member))
        return TRUE;
    }
  for (guint i = 0; i < self->departing->len; i++)
    if (_troupe_cluster_member_is_alive (g_ptr_array_index (self->departing, i)))
      return TRUE;
  return FALSE;
}

/* --- for members -------------------------------------------------------- */

/* The template, wrapped so that LISTEN_PID is the member's own pid, with the
 * socket at fd 3 and a channel at fd 4. */
TroupeCommand *
_troupe_cluster_member_command (TroupeCluster *self,
                                guint          member_id)
{
  const char * const *argv = troupe_command_get_argv (self->command);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) wrapped = NULL;
  g_autofree char *port = g_strdup_printf ("%u", self->bound_port);
  g_autofree char *id = g_strdup_printf ("%u", member_id);
  g_autofree char *name = g_strdup_printf ("%s #%u", troupe_command_get_name (self->command),
                                           member_id);
  TroupeCommand *command;
  guint n;

  g_strv_builder_add_many (builder, "/bin/sh", "-c", WRAPPER_SCRIPT, NULL);
  g_strv_builder_addv (builder, (const char **) argv);
  wrapped = g_strv_builder_end (builder);
  command = troupe_command_new_argv ((const char * const *) wrapped);
  troupe_command_set_name (command, name);
  troupe_command_set_cwd (command, troupe_command_get_cwd (self->command));
  troupe_command_set_stop_timeout (command, troupe_command_get_stop_timeout (self->command));
  troupe_command_set_memory_limit (command, troupe_command_get_memory_limit (self->command));
  n = troupe_command_get_n_environment_changes (self->command);
  for (guint i = 0; i < n; i++)
    {
      const char *variable, *value;

      troupe_command_get_environment_change (self->command, i, &variable, &value);
      if (value != NULL)
        troupe_command_setenv (command, variable, value);
      else
        troupe_command_unsetenv (command, variable);
    }
  troupe_command_setenv (command, "LISTEN_FDS", "1");
  troupe_command_setenv (command, "LISTEN_FDNAMES", "troupe");
  troupe_command_setenv (command, "PORT", port);
  troupe_command_setenv (command, "NODE_UNIQUE_ID", id);
  troupe_command_set_channel_fd (command, TROUPE_CLUSTER_CHANNEL_FD);
  troupe_command_pass_fd (command, self->listen_fd, TROUPE_CLUSTER_LISTEN_FD);
  troupe_command_set_max_message_size (command,
                                       troupe_command_get_max_message_size (self->command));
  return command;
}

TroupeLauncher *
_troupe_cluster_get_launcher (TroupeCluster *self)
{
  return self->launcher;
}

TroupeSpoolDir *
_troupe_cluster_get_spool_dir (TroupeCluster *self)
{
  return self->spool_dir;
}

static gboolean
is_any_address (const char *address)
{
  return address == NULL || g_str_equal (address, "0.0.0.0") || g_str_equal (address, "::");
}

/* A socket for a Node worker's listen(address, port): the cluster's own when
 * the port is its port; otherwise one bound on demand (a worker asking for any
 * address gets the cluster's host) and shared with whoever asks the same. */
int
_troupe_cluster_share_listener (TroupeCluster *self,
                                const char    *address,
                                guint16        port,
                                int           *errno_out)
{
  const char *host = is_any_address (address) ? self->host : address;
  g_autofree char *key = NULL;
  gpointer existing;
  int fd;

  if (port == self->bound_port && (is_any_address (address) || g_str_equal (host, self->host)))
    return self->listen_fd;

  key = g_strdup_printf ("%s:%u", host, port);
  if (port != 0 && g_hash_table_lookup_extended (self->extra_listeners, key, NULL, &existing))
    return GPOINTER_TO_INT (existing);
  fd = troupe_listen_tcp (host, port, &port, errno_out, NULL);
  if (fd < 0)
    return -1;
  /* Port 0 was a free one: the next asking for 0 gets another, as in Node. */
  g_free (key);
  key = g_strdup_printf ("%s:%u", host, port);
  g_hash_table_insert (self->extra_listeners, g_steal_pointer (&key), GINT_TO_POINTER (fd));
  return fd;
}

void
_troupe_cluster_member_changed (TroupeCluster       *self,
                                TroupeClusterMember *member)
{
  g_signal_emit (self, signals[MEMBER_CHANGED], 0, member);
}

void
_troupe_cluster_member_replaced (TroupeCluster       *self,
                                 TroupeClusterMember *member,
                                 gboolean             ready)
{
  if (member == self->reloading)
    reload_next (self);
}

void
_troupe_cluster_member_gone (TroupeCluster       *self,
                             TroupeClusterMember *member)
{
  g_ptr_array_remove (self->departing, member);
  check_stopped (self);
}
