/* test-worker-kinds-search.c: the log search worker on real files; the cluster's ready probe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-cluster.h"
#include "troupe-log-search.h"
#include "troupe-test-util.h"
#include "troupe-worker-test-util.h"

/* --- log search --------------------------------------------------------- */

#define BLOCK_BYTES (64 * 1024)
#define LINE_BYTES  64
#define BLOCK_LINES (BLOCK_BYTES / LINE_BYTES)
#define N_BLOCKS    (16 * 1024)  /* 1 GiB */

static const struct { guint block; guint line; } planted[] = {
  { 0, 0 }, { 1, 1023 }, { 4096, 17 }, { 8191, 512 }, { 12000, 3 }, { N_BLOCKS - 1, 1023 },
};

/* The folder for a 1 GiB file: memory-backed when there is one, so the test
 * does not wait for a disk. */
static char *
make_big_folder (void)
{
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *path = g_build_filename ("/dev/shm", "troupe-test-XXXXXX", NULL);

      if (g_mkdtemp (path) != NULL)
        return g_steal_pointer (&path);
    }
  return troupe_test_make_folder ("log-search");
}

static char *
write_big_spool (const char *folder)
{
  char *path = g_build_filename (folder, "big.log", NULL);
  g_autofree char *block = g_malloc (BLOCK_BYTES);
  g_autofree char *marked = g_malloc (BLOCK_BYTES);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (guint line = 0; line < BLOCK_LINES; line++)
    {
      g_snprintf (block + line * LINE_BYTES, LINE_BYTES + 1,
                  "%-63s", "GET /index.html 200 0.3ms an ordinary line of the log");
      block[line * LINE_BYTES + LINE_BYTES - 1] = '\n';
    }
  for (guint b = 0; b < N_BLOCKS; b++)
    {
      const char *data = block;

      for (guint p = 0; p < G_N_ELEMENTS (planted); p++)
        if (planted[p].block == b)
          {
            char line[LINE_BYTES + 1];

            if (data == block)
              memcpy (marked, block, BLOCK_BYTES);
            g_snprintf (line, sizeof line, "%-63s", "");
            g_snprintf (line, sizeof line, "panic: MARKER-%u at the planted place", p);
            memset (line + strlen (line), ' ', LINE_BYTES - 1 - strlen (line));
            line[LINE_BYTES - 1] = '\n';
            memcpy (marked + planted[p].line * LINE_BYTES, line, LINE_BYTES);
            data = marked;
          }
      g_assert_cmpint (write (fd, data, BLOCK_BYTES), ==, BLOCK_BYTES);
    }
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

static void
test_log_search_big (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  g_autofree char *folder = make_big_folder ();
  g_autofree char *path = write_big_spool (folder);
  TroupeTestReceived received;
  TroupeTestReceived cancelled;
  TroupeWorker *worker;
  JsonObject *done;
  guint found = 0;

  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "log-search", &received,
                                     "{\"path\": \"%s\", \"pattern\": \"^panic: "
                                     "MARKER-(\\\\d+)\"}", path);
  troupe_test_run_to_end (worker);

  for (guint i = 0; i < received.messages->len; i++)
    if (g_str_equal (troupe_test_type_at (&received, i), "matches"))
      {
        JsonObject *message = troupe_test_message_at (&received, i);
        JsonArray *lines = json_object_get_array_member (message, "lines");

        for (guint l = 0; l < json_array_get_length (lines); l++)
          {
            JsonArray *match = json_array_get_array_element (lines, l);
            g_autofree char *expected = g_strdup_printf ("panic: MARKER-%u at", found);

            g_assert_cmpuint (found, <, G_N_ELEMENTS (planted));
            g_assert_cmpint (json_array_get_int_element (match, 0), ==,
                             (gint64) planted[found].block * BLOCK_LINES + planted[found].line + 1);
            g_assert_true (g_str_has_prefix (json_array_get_string_element (match, 1), expected));
            found++;
          }
      }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (planted));
  done = troupe_test_last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "matches"), ==, G_N_ELEMENTS (planted));
  g_assert_cmpint (json_object_get_int_member (done, "lines"), ==, (gint64) N_BLOCKS * BLOCK_LINES);
  g_assert_cmpint (json_object_get_int_member (done, "bytes"), ==, (gint64) N_BLOCKS * BLOCK_BYTES);

  /* max_matches stops early. */
  g_ptr_array_set_size (received.messages, 0);
  worker = troupe_test_start_worker (pool, "log-search", &received,
                                     "{\"path\": \"%s\", \"pattern\": \"marker\", \"ignore_case\": "
                                     "true, "
                                     "\"max_matches\": 2}", path);
  troupe_test_run_to_end (worker);
  done = troupe_test_last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "matches"), ==, 2);
  g_assert_true (json_object_get_boolean_member (done, "truncated"));

  /* Terminated mid-file, it stops within a block. */
  troupe_test_received_init (&cancelled);
  worker = troupe_test_start_worker (pool, "log-search", &cancelled,
                                     "{\"path\": \"%s\", \"pattern\": \"nowhere\"}",
                                     path);
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the search to stop");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_null (troupe_test_last_of_type (&cancelled, "done"));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  troupe_test_received_clear (&received);
  troupe_test_received_clear (&cancelled);
}

static void
test_log_search_bad_regex (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  g_autoptr(GError) regex_error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("error(", 0, 0, &regex_error);
  TroupeTestReceived received;
  TroupeWorker *worker;

  g_assert_null (regex);
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "log-search", &received,
                                     "{\"path\": \"/nonexistent\", \"pattern\": \"error(\"}");
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the search to fail");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_cmpstr (troupe_worker_get_error_message (worker), ==, regex_error->message);

  worker = troupe_test_start_worker (pool, "log-search", &received,
                                     "{\"path\": \"/nonexistent/spool\", \"pattern\": \"x\"}");
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the search to fail");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_nonnull (strstr (troupe_worker_get_error_message (worker), "/nonexistent/spool"));
  troupe_test_received_clear (&received);
}

static gboolean
search_is_finished (gpointer search)
{
  return troupe_log_search_is_finished (search);
}

/* A log searched on the main thread and by the worker: the same lines. */
static void
test_log_search_agrees (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  g_autofree char *folder = troupe_test_make_folder ("log-search");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (folder);
  g_autoptr(TroupeLog) log = troupe_log_new (spool_dir, "agrees");
  g_autoptr(TroupeLogSearch) search = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *pattern = NULL;
  TroupeTestReceived received;
  TroupeWorker *worker;
  guint found = 0;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_set_size (text, 0);
      g_string_append_printf (text, "line %u %s\r\n", i,
                              i % 7 == 0 ? "Needle.Found" : i % 11 == 0 ? "needle?found" : "hay");
      troupe_log_append (log, i % 3 == 0 ? TROUPE_STREAM_STDERR : TROUPE_STREAM_STDOUT,
                         (const guint8 *) text->str, text->len, 0);
    }
  troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) "\xff\xfe NEEDLE.FOUND", 15, 0);
  troupe_log_end_stream (log, TROUPE_STREAM_STDOUT, 0);
  troupe_log_end_stream (log, TROUPE_STREAM_STDERR, 0);
  troupe_log_wait_saved (log);

  search = troupe_log_search_new (log, "needle.found");
  troupe_test_wait_until (search_is_finished, search, "for the main-thread search");
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), >, 700);

  troupe_test_received_init (&received);
  {
    g_autofree char *escaped = g_regex_escape_string ("needle.found", -1);

    pattern = g_strescape (escaped, NULL);  /* and once more for JSON */
  }
  worker = troupe_test_start_worker (pool, "log-search", &received,
                                     "{\"path\": \"%s\", \"pattern\": \"%s\", \"ignore_case\": "
                                     "true}",
                                     troupe_log_get_spool_path (log), pattern);
  troupe_test_run_to_end (worker);
  for (guint i = 0; i < received.messages->len; i++)
    if (g_str_equal (troupe_test_type_at (&received, i), "matches"))
      {
        JsonObject *message = troupe_test_message_at (&received, i);
        JsonArray *lines = json_object_get_array_member (message, "lines");

        for (guint l = 0; l < json_array_get_length (lines); l++)
          {
            gint64 number = json_array_get_int_element (json_array_get_array_element (lines, l), 0);

            g_assert_cmpuint (found, <, troupe_log_search_get_n_matches (search));
            g_assert_cmpint (number - 1, ==, troupe_log_search_get_match (search, found));
            found++;
          }
      }
  g_assert_cmpuint (found, ==, troupe_log_search_get_n_matches (search));
  troupe_test_received_clear (&received);
}

static void
on_workers_changed (GListModel *workers,
                    guint       position,
                    guint       removed,
                    guint       added,
                    guint      *started)
{
  *started += added;
}

static gboolean
pool_is_empty (gpointer pool)
{
  return g_list_model_get_n_items (troupe_worker_pool_get_workers (pool)) == 0;
}

/* A log too big for the main thread: the view's search hands it to a worker,
 * and finds the same lines, including those that come while it searches. */
static void
test_log_search_with_pool (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (1);
  g_autofree char *folder = troupe_test_make_folder ("log-search");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (folder);
  g_autoptr(TroupeLog) log = troupe_log_new (spool_dir, "big");
  g_autoptr(TroupeLogSearch) on_main = NULL;
  g_autoptr(TroupeLogSearch) on_worker = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  guint started = 0;
  guint line = 0;

  g_signal_connect (troupe_worker_pool_get_workers (pool), "items-changed",
                    G_CALLBACK (on_workers_changed), &started);
  while (troupe_log_get_n_bytes (log, TROUPE_LINES_ALL) < TROUPE_LOG_SEARCH_WORKER_BYTES + 4096)
    {
      g_string_set_size (chunk, 0);
      for (guint i = 0; i < 1000; i++, line++)
        g_string_append_printf (chunk, "%08u %s padding padding padding padding\n", line,
                                line % 4999 == 0 ? "Found It" : "nothing");
      troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) chunk->str, chunk->len, 0);
    }

  on_worker = troupe_log_search_new_with_pool (log, "found it", pool);
  g_assert_cmpuint (started, ==, 1);
  /* More lines while the worker reads: searched once it is done. */
  troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) "late FOUND IT\n", 14, 0);
  troupe_test_wait_until (search_is_finished, on_worker, "for the worker's search");

  on_main = troupe_log_search_new (log, "found it");
  troupe_test_wait_until (search_is_finished, on_main, "for the main-thread search");
  g_assert_cmpuint (troupe_log_search_get_n_matches (on_main), >, 50);
  g_assert_cmpuint (troupe_log_search_get_n_matches (on_worker), ==,
                    troupe_log_search_get_n_matches (on_main));
  for (guint i = 0; i < troupe_log_search_get_n_matches (on_main); i++)
    g_assert_cmpuint (troupe_log_search_get_match (on_worker, i), ==,
                      troupe_log_search_get_match (on_main, i));
  g_assert_cmpuint (troupe_log_search_get_match (on_worker,
                                                 troupe_log_search_get_n_matches (on_worker) - 1),
                    ==, line);
  /* The search's worker does not stay in the pool's list… */
  g_assert_cmpuint (g_list_model_get_n_items (troupe_worker_pool_get_workers (pool)), ==, 0);

  /* …nor does one given up before it is done (the user typed on). */
  g_clear_object (&on_worker);
  on_worker = troupe_log_search_new_with_pool (log, "nowhere", pool);
  g_assert_cmpuint (started, ==, 2);
  g_clear_object (&on_worker);
  troupe_test_wait_until (pool_is_empty, pool, "for the given-up search to leave the pool");
  g_signal_handlers_disconnect_by_data (troupe_worker_pool_get_workers (pool), &started);
}

/* --- the cluster's readiness gate -------------------------------------- */

static TroupeCluster *
new_cluster (void)
{
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeCluster *cluster;

  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_launcher_get_default (), spool_dir);
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_cluster_set_grace_ms (cluster, 50);
  return cluster;
}

static TroupeClusterMember *
first_member (TroupeCluster *cluster)
{
  g_autoptr(TroupeClusterMember) member =
    g_list_model_get_item (troupe_cluster_get_members (cluster), 0);

  return member;  /* the cluster keeps it */
}

static gboolean
first_listening (gpointer cluster)
{
  return troupe_cluster_member_get_state (first_member (cluster)) == TROUPE_MEMBER_LISTENING;
}

static gboolean
not_reloading (gpointer cluster)
{
  return !troupe_cluster_is_reloading (cluster);
}

static gboolean
is_stopped (gpointer cluster)
{
  return !troupe_cluster_is_alive (cluster);
}

static gboolean
time_passed (gpointer until)
{
  return g_get_monotonic_time () >= *(gint64 *) until;
}

static void
let_time_pass (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  troupe_test_wait_until (time_passed, &until, "for time to pass");
}

static GPid
first_pid (TroupeCluster *cluster)
{
  return troupe_process_get_pid (troupe_cluster_member_get_process (first_member (cluster)));
}

static void
test_cluster_ready_probe (void)
{
  g_autoptr(TroupeCluster) cluster = new_cluster ();
  g_autoptr(GError) error = NULL;
  g_autofree char *probe = NULL;
  guint16 port = troupe_test_closed_port ();
  TroupeTestServer server;
  GPid old_pid;

  g_assert_false (troupe_cluster_check_ready_probe ("{\"mode\": \"udp\"}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (troupe_cluster_check_ready_probe ("{", &error));
  g_clear_error (&error);

  /* The probe here asks a health server of the test's, so the test decides
   * when it passes. */
  probe = g_strdup_printf ("{\"url\": \"http://127.0.0.1:%u/ready\", \"interval\": 50, "
                           "\"timeout\": 500}", port);
  g_assert_true (troupe_cluster_check_ready_probe (probe, NULL));
  troupe_cluster_set_ready_probe (cluster, probe);
  g_assert_true (troupe_cluster_start (cluster, 1, NULL));

  /* Well past the grace time, the member is not ready while the probe fails. */
  let_time_pass (600);
  g_assert_cmpint (troupe_cluster_member_get_state (first_member (cluster)), !=,
                   TROUPE_MEMBER_LISTENING);
  troupe_test_server_start_on (&server, port);
  troupe_test_wait_until (first_listening, cluster, "for the probe to pass");
  g_assert_cmpint (g_atomic_int_get (&server.requests), >=, 1);

  /* A reload waits for the probe too: the old run serves on meanwhile. */
  troupe_test_server_stop (&server);
  old_pid = first_pid (cluster);
  troupe_cluster_reload (cluster);
  let_time_pass (600);
  g_assert_true (troupe_cluster_is_reloading (cluster));
  g_assert_cmpint (first_pid (cluster), ==, old_pid);
  troupe_test_server_start_on (&server, port);
  troupe_test_wait_until (not_reloading, cluster, "for the reload to finish");
  g_assert_cmpint (first_pid (cluster), !=, old_pid);
  g_assert_cmpint (troupe_cluster_member_get_state (first_member (cluster)), ==,
                   TROUPE_MEMBER_LISTENING);
  troupe_test_server_stop (&server);

  troupe_cluster_stop (cluster);
  troupe_test_wait_until (is_stopped, cluster, "for the cluster to stop");
}

/* Aimed at the cluster itself when the probe names no address. */
static void
test_cluster_ready_probe_aimed (void)
{
  g_autoptr(TroupeCluster) cluster = new_cluster ();

  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;

  troupe_cluster_set_ready_probe (cluster, "{\"mode\": \"tcp\", \"interval\": 50}");
  g_assert_cmpstr (troupe_cluster_get_ready_probe (cluster), ==,
                   "{\"mode\": \"tcp\", \"interval\": 50}");
  g_assert_true (troupe_cluster_start (cluster, 2, NULL));
  troupe_test_wait_until (first_listening, cluster, "for the probe to pass");

  /* Where a load test of the cluster sends its requests. */
  url = troupe_cluster_dup_http_url (cluster);
  expected = g_strdup_printf ("http://127.0.0.1:%u/", troupe_cluster_get_port (cluster));
  g_assert_cmpstr (url, ==, expected);

  troupe_cluster_stop (cluster);
  troupe_test_wait_until (is_stopped, cluster, "for the cluster to stop");
}

static void
test_cluster_ready_probe_option (void)
{
  const char *bad[][2] = {
    { "sometimes", "--ready-probe wants tcp, http or http:PATH, not “sometimes”" },
    { "{\"mode\": \"udp\"}", "--ready-probe: The probe’s mode is “tcp” or “http”, not “udp”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[] = { TROUPE_PATH, "cluster", "--headless", "--ready-probe", bad[i][0],
                             "--", "true", NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("troupe: %s\n", bad[i][1]);
      int wait_status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &wait_status, &error));
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 2);
      g_assert_true (g_str_has_prefix (err, expected));
    }
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/worker-kinds/log-search/big", test_log_search_big);
  g_test_add_func ("/troupe/worker-kinds/log-search/bad-regex", test_log_search_bad_regex);
  g_test_add_func ("/troupe/worker-kinds/log-search/agrees", test_log_search_agrees);
  g_test_add_func ("/troupe/worker-kinds/log-search/with-pool", test_log_search_with_pool);
  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe", test_cluster_ready_probe);
  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe-aimed",
                   test_cluster_ready_probe_aimed);
  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe-option",
                   test_cluster_ready_probe_option);

  return troupe_test_run_all ();
}
