/* test-cluster.c: clusters of real members, Node's cluster programs among them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "troupe-cluster.h"
#include "troupe-listener.h"
#include "troupe-test-util.h"

/* One request on a new connection; the whole answer, or NULL if refused or empty. */
static char *
http_get (guint16 port)
{
  struct sockaddr_in address = { 0 };
  const char request[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
  GString *answer = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      write (fd, request, sizeof request - 1) != sizeof request - 1)
    {
      close (fd);
      return g_string_free (answer, TRUE);
    }
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (answer, buffer, n);
  close (fd);
  if (answer->len == 0)
    return g_string_free (answer, TRUE);
  return g_string_free (answer, FALSE);
}

/* The body of an HTTP answer, or the whole of a raw one. */
static const char *
body_of (const char *answer)
{
  const char *end = strstr (answer, "\r\n\r\n");
  return end != NULL ? end + 4 : answer;
}

static TroupeCluster *
new_cluster (const char * const *argv)
{
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeCluster *cluster;

  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_launcher_get_default (), spool_dir);
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  return cluster;
}

static TroupeClusterMember *
member_at (TroupeCluster *cluster,
           guint          index)
{
  TroupeClusterMember *member = g_list_model_get_item (troupe_cluster_get_members (cluster), index);

  g_object_unref (member); /* the cluster keeps it */
  return member;
}

static gboolean
all_listening (gpointer data)
{
  TroupeCluster *cluster = data;
  guint n = troupe_cluster_get_size (cluster);

  for (guint i = 0; i < n; i++)
    if (troupe_cluster_member_get_state (member_at (cluster, i)) != TROUPE_MEMBER_LISTENING)
      return FALSE;
  return TRUE;
}

static gboolean
is_stopped (gpointer data)
{
  return !troupe_cluster_is_alive (data);
}

static void
stop_cluster (TroupeCluster *cluster)
{
  troupe_cluster_stop (cluster);
  troupe_test_wait_until (is_stopped, cluster, "for the members to stop");
}

static char *
node_cluster_program (void)
{
  return g_build_filename (TEST_CHILDREN_DIR, "cluster-hello.js", NULL);
}

static const char *
node_path (void)
{
  static char *path;

  if (path == NULL)
    path = g_find_program_in_path ("node");
  g_assert_nonnull (path);
  return path;
}

/* Answers from port until one comes from a member whose answer has @needle. */
static void
assert_answers_from (guint16     port,
                     const char *needle)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *answer = http_get (port);

      g_assert_nonnull (answer);
      g_assert_true (g_str_has_prefix (body_of (answer), "hello from "));
      if (strstr (answer, needle) != NULL)
        return;
    }
  g_error ("no answer from %s", needle);
}

static void
test_node_hello (void)
{
  /* The classic program, unmodified: Troupe is the primary, two workers serve. */
  g_autofree char *program = node_cluster_program ();
  const char *argv[] = { node_path (), program, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  g_autoptr(GError) error = NULL;
  guint16 port;
  GPid first, second;

  /* Node takes its time to leave on a busy machine (the suite runs two tests
   * at once, one of them busy-looping): time enough that a slow exit is not
   * taken for one that never comes. */
  troupe_command_set_stop_timeout (troupe_cluster_get_command (cluster), 15000);
  g_assert_true (troupe_cluster_start (cluster, 2, &error));
  g_assert_no_error (error);
  port = troupe_cluster_get_port (cluster);
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (troupe_cluster_get_size (cluster), ==, 2);
  troupe_test_wait_until (all_listening, cluster, "for both members to listen");

  /* Each member serves: with the other stopped, every answer is its own. */
  first = troupe_process_get_pid (troupe_cluster_member_get_process (member_at (cluster, 0)));
  second = troupe_process_get_pid (troupe_cluster_member_get_process (member_at (cluster, 1)));
  kill (second, SIGSTOP);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *answer = http_get (port);
      g_autofree char *expected = g_strdup_printf ("hello from 1 (%d)\n", first);

      g_assert_nonnull (answer);
      g_assert_cmpstr (body_of (answer), ==, expected);
    }
  kill (second, SIGCONT);
  kill (first, SIGSTOP);
  {
    g_autofree char *answer = NULL;
    g_autofree char *expected = g_strdup_printf ("hello from 2 (%d)\n", second);

    /* A connection the stopped member took already waits for it; skip those. */
    for (guint i = 0; i < 10 && answer == NULL; i++)
      answer = http_get (port);
    g_assert_cmpstr (body_of (answer), ==, expected);
  }
  kill (first, SIGCONT);
  stop_cluster (cluster);
  /* Node workers asked to leave close and exit by themselves. */
  g_assert_cmpint (troupe_process_get_exit_code (troupe_cluster_member_get_process (member_at (cluster, 0))),
                   ==, 0);
}

static gboolean
restarted (gpointer data)
{
  TroupeClusterMember *member = data;

  return troupe_cluster_member_get_restarts (member) == 1 &&
         troupe_cluster_member_get_state (member) == TROUPE_MEMBER_LISTENING;
}

static void
test_killed_member_restarts (void)
{
  g_autofree char *program = node_cluster_program ();
  const char *argv[] = { node_path (), program, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  TroupeClusterMember *member;
  const TroupeMemberExit *exit_entry;
  guint16 port;
  GPid killed;

  g_assert_true (troupe_cluster_start (cluster, 2, NULL));
  port = troupe_cluster_get_port (cluster);
  troupe_test_wait_until (all_listening, cluster, "for both members to listen");
  member = member_at (cluster, 0);
  killed = troupe_process_get_pid (troupe_cluster_member_get_process (member));
  g_assert_true (troupe_cluster_member_send_signal (member, SIGKILL, NULL));

  /* The port goes on answering: the other member serves meanwhile. */
  assert_answers_from (port, "hello from 2");
  troupe_test_wait_until (restarted, member, "for the member to come back");
  g_assert_cmpint (troupe_process_get_pid (troupe_cluster_member_get_process (member)), !=, killed);
  assert_answers_from (port, "hello from 1");

  g_assert_cmpuint (troupe_cluster_member_get_n_exits (member), ==, 1);
  exit_entry = troupe_cluster_member_get_exit (member, 0);
  g_assert_cmpint (exit_entry->pid, ==, killed);
  g_assert_true (exit_entry->signaled);
  g_assert_cmpint (exit_entry->code_or_signal, ==, SIGKILL);
  /* Each run keeps its own log. */
  g_assert_cmpuint (g_list_model_get_n_items (troupe_cluster_member_get_runs (member)), ==, 2);
  stop_cluster (cluster);
}

static gboolean
crash_looping (gpointer data)
{
  return troupe_cluster_member_get_state (data) == TROUPE_MEMBER_CRASH_LOOPING;
}

static void
test_crash_loop (void)
{
  /* A member that fails at once is restarted with growing delays, then left alone. */
  const char *argv[] = { "/bin/sh", "-c", "echo 'cannot start'; exit 3", NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  TroupeClusterMember *member;
  gint64 last_end = 0;

  g_assert_true (troupe_cluster_start (cluster, 1, NULL));
  member = member_at (cluster, 0);
  troupe_test_wait_until (crash_looping, member, "for the crash loop to be seen");
  g_assert_cmpuint (troupe_cluster_member_get_restarts (member), ==, 5);
  g_assert_cmpuint (troupe_cluster_member_get_n_exits (member), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const TroupeMemberExit *entry = troupe_cluster_member_get_exit (member, i);

      g_assert_false (entry->signaled);
      g_assert_cmpint (entry->code_or_signal, ==, 3);
      g_assert_cmpint (entry->ended_at, >=, last_end);
      last_end = entry->ended_at;
    }
  /* Nothing more happens until someone restarts it. */
  g_assert_cmpint (troupe_cluster_member_get_restart_at (member), ==, 0);
  troupe_cluster_member_restart (member);
  g_assert_cmpint (troupe_cluster_member_get_state (member), !=, TROUPE_MEMBER_CRASH_LOOPING);
  stop_cluster (cluster);
}

typedef struct
{
  guint16  port;
  guint    total;
  gint     done;
  gint     answered;
  gint     failed;
} Load;

static gpointer
load_thread (gpointer data)
{
  Load *load = data;

  for (guint i = 0; i < load->total; i++)
    {
      g_autofree char *answer = http_get (load->port);

      if (answer != NULL && g_str_has_prefix (body_of (answer), "hello from "))
        g_atomic_int_inc (&load->answered);
      else
        g_atomic_int_inc (&load->failed);
      g_usleep (2000);
    }
  g_atomic_int_set (&load->done, 1);
  return NULL;
}

static void
on_reloaded (TroupeCluster *cluster,
             guint          replaced,
             gboolean      *reloaded)
{
  *reloaded = TRUE;
}

typedef struct
{
  Load     *load;
  gboolean *reloaded;
} ReloadWait;

static gboolean
reload_finished (gpointer data)
{
  ReloadWait *wait = data;
  return *wait->reloaded && g_atomic_int_get (&wait->load->done);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_reload_under_load (void)
{
  /* A steady stream of new connections while every member is replaced: none
   * refused, none failed. */
  g_autofree char *program = node_cluster_program ();
  const char *argv[] = { node_path (), program, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  gboolean reloaded = FALSE;
  Load load = { 0 };
  ReloadWait wait = { &load, &reloaded };
  GThread *thread;
  GPid before[2];
  guint ticker;

  g_assert_true (troupe_cluster_start (cluster, 2, NULL));
  troupe_test_wait_until (all_listening, cluster, "for both members to listen");
  for (guint i = 0; i < 2; i++)
    before[i] = troupe_process_get_pid (troupe_cluster_member_get_process (member_at (cluster, i)));

  g_signal_connect (cluster, "reloaded", G_CALLBACK (on_reloaded), &reloaded);
  load.port = troupe_cluster_get_port (cluster);
  load.total = 600;
  thread = g_thread_new ("load", load_thread, &load);
  while (g_atomic_int_get (&load.answered) < 50)
    g_main_context_iteration (NULL, FALSE);
  troupe_cluster_reload (cluster);
  g_assert_true (troupe_cluster_is_reloading (cluster));
  ticker = g_timeout_add (10, tick, NULL);
  troupe_test_wait_until (reload_finished, &wait, "for the reload under load");
  g_source_remove (ticker);
  g_thread_join (thread);

  g_assert_cmpint (load.failed, ==, 0);
  g_assert_cmpint (load.answered, ==, 600);
  for (guint i = 0; i < 2; i++)
    {
      TroupeClusterMember *member = member_at (cluster, i);

      g_assert_cmpint (troupe_process_get_pid (troupe_cluster_member_get_process (member)), !=,
                       before[i]);
      g_assert_cmpuint (g_list_model_get_n_items (troupe_cluster_member_get_runs (member)), ==, 2);
    }
  g_signal_handlers_disconnect_by_data (cluster, &reloaded);
  stop_cluster (cluster);
}

typedef struct
{
  TroupeCluster *cluster;
  guint          n;
} SizeWait;

static gboolean
listening_count (gpointer data)
{
  SizeWait *wait = data;
  guint listening = 0;

  for (guint i = 0; i < troupe_cluster_get_size (wait->cluster); i++)
    if (troupe_cluster_member_get_state (member_at (wait->cluster, i)) == TROUPE_MEMBER_LISTENING)
      listening++;
  return listening == wait->n && troupe_cluster_get_size (wait->cluster) == wait->n;
}

static gboolean
has_ended (gpointer data)
{
  return troupe_process_has_ended (data);
}

static void
test_ready_scale_broadcast (void)
{
  /* Ready by saying so (the grace time is far away), then scaled, and told things. */
  g_autofree char *program = g_build_filename (TEST_CHILDREN_DIR, "cluster-ready.js", NULL);
  const char *argv[] = { node_path (), program, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leaving = g_ptr_array_new_with_free_func (g_object_unref);
  SizeWait wait = { cluster, 2 };

  troupe_cluster_set_grace_ms (cluster, 600000);
  g_assert_true (troupe_cluster_start (cluster, 2, NULL));
  troupe_test_wait_until (listening_count, &wait, "for two members to say they are ready");

  g_assert_cmpuint (troupe_cluster_broadcast (cluster, "{\"hi\": 1}", &error), ==, 2);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      TroupeProcess *run = troupe_cluster_member_get_process (member_at (cluster, i));
      g_autoptr(GPtrArray) lines = NULL;

      troupe_test_wait_lines (run, TROUPE_LINES_STDOUT, 1);
      lines = troupe_test_read_lines (troupe_process_get_log (run), TROUPE_LINES_STDOUT);
      g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "got {\"hi\":1}");
    }
  g_assert_cmpuint (troupe_cluster_broadcast (cluster, "{hi}", &error), ==, 0);
  g_assert_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON);

  troupe_cluster_scale (cluster, 3);
  wait.n = 3;
  troupe_test_wait_until (listening_count, &wait, "for the third member");
  g_assert_cmpuint (troupe_cluster_member_get_id (member_at (cluster, 2)), ==, 3);

  for (guint i = 1; i < 3; i++)
    g_ptr_array_add (leaving,
                     g_object_ref (troupe_cluster_member_get_process (member_at (cluster, i))));
  troupe_cluster_scale (cluster, 1);
  g_assert_cmpuint (troupe_cluster_get_size (cluster), ==, 1);
  /* The members scaled away are asked to leave, and do. */
  for (guint i = 0; i < leaving->len; i++)
    {
      TroupeProcess *run = g_ptr_array_index (leaving, i);

      troupe_test_wait_until (has_ended, run, "for a member scaled away to end");
      /* Node runs any child with NODE_UNIQUE_ID as a cluster worker: asked to
       * disconnect, it leaves by itself. */
      g_assert_cmpint (troupe_process_get_state (run), ==, TROUPE_PROCESS_STATE_EXITED);
      g_assert_cmpint (troupe_process_get_exit_code (run), ==, 0);
    }
  g_assert_cmpint (troupe_cluster_member_get_state (member_at (cluster, 0)), ==,
                   TROUPE_MEMBER_LISTENING);
  stop_cluster (cluster);
}

static void
test_listen_fds_member (void)
{
  /* Any program that does socket activation serves on the shared socket. */
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  TroupeClusterMember *member;
  g_autofree char *answer = NULL;
  g_autofree char *expected = NULL;

  troupe_cluster_set_grace_ms (cluster, 100);
  g_assert_true (troupe_cluster_start (cluster, 1, NULL));
  member = member_at (cluster, 0);
  /* Not a Node member: ready after the grace time. */
  troupe_test_wait_until (all_listening, cluster, "for the member to be ready");
  answer = http_get (troupe_cluster_get_port (cluster));
  expected = g_strdup_printf ("hello from C %d\n",
                              troupe_process_get_pid (troupe_cluster_member_get_process (member)));
  g_assert_cmpstr (answer, ==, expected);
  troupe_test_wait_lines (troupe_cluster_member_get_process (member), TROUPE_LINES_STDOUT, 1);
  stop_cluster (cluster);
  /* Stopped by SIGTERM, as a program without a channel is. */
  g_assert_cmpint (troupe_process_get_term_signal (troupe_cluster_member_get_process (member)), ==,
                   SIGTERM);
}

static void
test_port_in_use (void)
{
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint16 port;
  int taken = troupe_listen_tcp ("127.0.0.1", 0, &port, NULL, &error);

  g_assert_no_error (error);
  troupe_cluster_set_listen (cluster, "127.0.0.1", port);
  g_assert_false (troupe_cluster_start (cluster, 2, &error));
  g_assert_error (error, TROUPE_LISTEN_ERROR, TROUPE_LISTEN_ERROR_IN_USE);
  expected = g_strdup_printf ("Port %u on 127.0.0.1 is already in use", port);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpstr (troupe_cluster_get_error_message (cluster), ==, expected);
  g_assert_cmpuint (troupe_cluster_get_size (cluster), ==, 0);
  close (taken);
}

static void
test_missing_program (void)
{
  const char *argv[] = { "no-such-troupe-member", NULL };
  g_autoptr(TroupeCluster) cluster = new_cluster (argv);
  g_autoptr(GError) error = NULL;

  g_assert_false (troupe_cluster_start (cluster, 2, &error));
  g_assert_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "command not found: no-such-troupe-member");
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/cluster/node-hello", test_node_hello);
  g_test_add_func ("/troupe/cluster/killed-member-restarts", test_killed_member_restarts);
  g_test_add_func ("/troupe/cluster/crash-loop", test_crash_loop);
  g_test_add_func ("/troupe/cluster/reload-under-load", test_reload_under_load);
  g_test_add_func ("/troupe/cluster/ready-scale-broadcast", test_ready_scale_broadcast);
  g_test_add_func ("/troupe/cluster/listen-fds-member", test_listen_fds_member);
  g_test_add_func ("/troupe/cluster/port-in-use", test_port_in_use);
  g_test_add_func ("/troupe/cluster/missing-program", test_missing_program);

  return troupe_test_run_all ();
}
