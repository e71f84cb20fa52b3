/* test-log.c: the spool and line index that keep every byte a run prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "troupe-line-model.h"
#include "troupe-log-search.h"
#include "troupe-test-util.h"

static TroupeLog *
new_log (void)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeLog *log = troupe_log_new (spool_dir, "test");

  g_assert_nonnull (log);
  return log;
}

static void
append (TroupeLog    *log,
        TroupeStream  stream,
        const char   *text)
{
  troupe_log_append (log, stream, (const guint8 *) text, strlen (text), g_get_monotonic_time ());
}

static char *
line_text (TroupeLog   *log,
           TroupeLines  lines,
           guint        position)
{
  g_autoptr(GError) error = NULL;
  char *text = troupe_log_read_line_text (log, lines, position, NULL, &error);

  g_assert_no_error (error);
  return text;
}

static void
test_spool_modes (void)
{
  g_autoptr(TroupeLog) log = new_log ();
  g_autofree char *folder = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "troupe", NULL);
  GStatBuf st;

  /* Nothing printed, no file: the spool is made with the first line. */
  g_assert_null (troupe_log_get_spool_path (log));
  append (log, TROUPE_STREAM_STDOUT, "first\n");
  g_assert_nonnull (troupe_log_get_spool_path (log));
  folder = g_path_get_dirname (troupe_log_get_spool_path (log));
  g_assert_cmpstr (folder, ==, expected);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_cmpint (g_stat (troupe_log_get_spool_path (log), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (S_ISREG (st.st_mode));
}

static void
on_spool_failed (TroupeLog    *log,
                 const GError *error,
                 char        **message)
{
  g_assert_null (*message);
  *message = g_strdup (error->message);
}

static void
test_spool_cannot_be_made (void)
{
  /* The log folder's place is taken by a file: the run still runs, the error is
   * said once, clearly, and the bytes are still counted. */
  g_autofree char *folder = troupe_test_make_folder ("blocked");
  g_autofree char *blocked = g_build_filename (folder, "troupe", NULL);
  g_autoptr(TroupeSpoolDir) spool_dir = NULL;
  g_autoptr(TroupeLog) log = NULL;
  g_autofree char *message = NULL;

  g_assert_true (g_file_set_contents (blocked, "not a folder", -1, NULL));
  spool_dir = troupe_spool_dir_new (blocked);
  log = troupe_log_new (spool_dir, "blocked");
  g_signal_connect (log, "spool-failed", G_CALLBACK (on_spool_failed), &message);

  append (log, TROUPE_STREAM_STDOUT, "one\ntwo\n");
  append (log, TROUPE_STREAM_STDOUT, "three\n");
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Output is not saved: Could not create the log folder"));
  g_assert_nonnull (troupe_log_get_spool_error (log));
  g_assert_cmpuint (troupe_log_get_n_bytes (log, TROUPE_LINES_ALL), ==, 14);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 0);
}

static void
test_partial_lines (void)
{
  g_autoptr(TroupeLog) log = new_log ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *last = NULL;
  g_autofree char *err = NULL;

  append (log, TROUPE_STREAM_STDOUT, "hel");
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 0);
  /* stderr interleaves mid-line: it must not tear stdout's line apart. */
  append (log, TROUPE_STREAM_STDERR, "warn");
  append (log, TROUPE_STREAM_STDOUT, "lo\nwor");
  append (log, TROUPE_STREAM_STDERR, "ing\n");
  append (log, TROUPE_STREAM_STDOUT, "ld\nno newline");
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 3);
  troupe_log_end_stream (log, TROUPE_STREAM_STDOUT, g_get_monotonic_time ());
  troupe_log_end_stream (log, TROUPE_STREAM_STDERR, g_get_monotonic_time ());

  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 4);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_STDOUT), ==, 3);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_STDERR), ==, 1);
  first = line_text (log, TROUPE_LINES_STDOUT, 0);
  second = line_text (log, TROUPE_LINES_STDOUT, 1);
  last = line_text (log, TROUPE_LINES_STDOUT, 2);
  err = line_text (log, TROUPE_LINES_STDERR, 0);
  g_assert_cmpstr (first, ==, "hello");
  g_assert_cmpstr (second, ==, "world");
  g_assert_cmpstr (last, ==, "no newline");
  g_assert_cmpstr (err, ==, "warning");
  g_assert_cmpuint (troupe_log_get_n_bytes (log, TROUPE_LINES_STDOUT), ==, 22);
  g_assert_cmpuint (troupe_log_get_n_bytes (log, TROUPE_LINES_STDERR), ==, 8);
}

static void
test_hard_bytes (void)
{
  /* A real child writes CRLF, invalid UTF-8, NUL and a last line without newline. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("raw", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *spool = NULL;
  gsize spool_length;
  TroupeLog *log;
  static const char expected_spool[] =
    "crlf line\r\nbad \xff\xfe utf8\nnul\0inside\ncaf\xc3\xa9\nno newline at end";

  troupe_test_wait_ended (process);
  log = troupe_process_get_log (process);
  lines = troupe_test_read_lines (log, TROUPE_LINES_ALL);
  g_assert_cmpuint (lines->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "crlf line");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "bad \xef\xbf\xbd\xef\xbf\xbd utf8");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "nul\xe2\x90\x80inside");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "caf\xc3\xa9");
  g_assert_cmpstr (g_ptr_array_index (lines, 4), ==, "no newline at end");
  for (guint i = 0; i < lines->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (lines, i), -1, NULL));

  /* The raw line keeps its bytes, and the spool keeps every byte as written. */
  raw = troupe_log_read_line (log, TROUPE_LINES_ALL, 2, NULL, NULL);
  troupe_log_wait_saved (log);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "nul\0inside", 10);
  g_assert_true (g_file_get_contents (troupe_log_get_spool_path (log), &spool, &spool_length,
                                      NULL));
  g_assert_cmpmem (spool, spool_length, expected_spool, sizeof expected_spool - 1);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (troupe_log_export_finish (TROUPE_LOG (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Exports and returns the file's contents. */
static char *
export_log (TroupeLog *log,
            gsize     *length)
{
  g_autofree char *folder = troupe_test_make_folder ("export");
  g_autofree char *path = g_build_filename (folder, "exported.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;
  char *contents = NULL;

  troupe_log_export_async (log, file, NULL, on_exported, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

static void
test_export (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("raw", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(TroupeLog) empty = new_log ();
  g_autofree char *exported = NULL;
  g_autofree char *nothing = NULL;
  gsize length;
  static const char expected[] =
    "crlf line\r\nbad \xff\xfe utf8\nnul\0inside\ncaf\xc3\xa9\nno newline at end";

  troupe_test_wait_ended (process);
  /* Every byte, as written: CRLF, invalid UTF-8 and NUL included. */
  exported = export_log (troupe_process_get_log (process), &length);
  g_assert_cmpmem (exported, length, expected, sizeof expected - 1);

  nothing = export_log (empty, &length);
  g_assert_cmpuint (length, ==, 0);
}

static void
test_long_line (void)
{
  /* A 10 MB line from a real child, arriving in many reads, stays one line. */
  const gsize length = 10 * 1000 * 1000;
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("long-line", "10000000", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(GBytes) line = NULL;
  g_autofree char *after = NULL;
  TroupeLog *log;
  const guint8 *data;

  troupe_test_wait_ended (process);
  log = troupe_process_get_log (process);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 2);
  line = troupe_log_read_line (log, TROUPE_LINES_ALL, 0, NULL, NULL);
  g_assert_cmpuint (g_bytes_get_size (line), ==, length);
  data = g_bytes_get_data (line, NULL);
  for (gsize i = 0; i < length; i++)
    if (data[i] != 'x')
      g_assert_not_reached ();
  after = line_text (log, TROUPE_LINES_ALL, 1);
  g_assert_cmpstr (after, ==, "after");
}

static void
test_endless_line_is_split (void)
{
  /* Without any newline, a line is cut at the limit so memory stays bounded. */
  g_autoptr(TroupeLog) log = new_log ();
  g_autofree guint8 *chunk = g_malloc (1024 * 1024);
  guint chunks = TROUPE_LOG_MAX_LINE_BYTES / (1024 * 1024) + 1;
  TroupeLineInfo info;

  memset (chunk, 'z', 1024 * 1024);
  for (guint i = 0; i < chunks; i++)
    troupe_log_append (log, TROUPE_STREAM_STDOUT, chunk, 1024 * 1024, g_get_monotonic_time ());
  troupe_log_end_stream (log, TROUPE_STREAM_STDOUT, g_get_monotonic_time ());

  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 2);
  g_assert_true (troupe_log_get_line_info (log, TROUPE_LINES_ALL, 0, &info));
  g_assert_cmpuint (info.length, ==, TROUPE_LOG_MAX_LINE_BYTES);
  g_assert_true (troupe_log_get_line_info (log, TROUPE_LINES_ALL, 1, &info));
  g_assert_cmpuint (info.length, ==, (guint64) chunks * 1024 * 1024 - TROUPE_LOG_MAX_LINE_BYTES);
}

static void
test_lookup_by_stream (void)
{
  /* Every third line on stderr: each view finds its lines directly. */
  g_autoptr(TroupeLog) log = new_log ();
  GString *out = g_string_new (NULL);
  guint n = 300000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u\n", i);
      append (log, i % 3 == 2 ? TROUPE_STREAM_STDERR : TROUPE_STREAM_STDOUT, text);
    }
  g_string_free (out, TRUE);

  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, n);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_STDERR), ==, n / 3);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_STDOUT), ==, n - n / 3);

  for (guint j = 0; j < n / 3; j += 997)
    {
      g_autofree char *text = line_text (log, TROUPE_LINES_STDERR, j);
      g_autofree char *expected = g_strdup_printf ("line %u", j * 3 + 2);
      TroupeLineInfo info;

      g_assert_cmpstr (text, ==, expected);
      g_assert_true (troupe_log_get_line_info (log, TROUPE_LINES_STDERR, j, &info));
      g_assert_cmpuint (info.line, ==, j * 3 + 2);
      g_assert_cmpint (info.stream, ==, TROUPE_STREAM_STDERR);
    }
  for (guint j = 0; j < n - n / 3; j += 1013)
    {
      g_autofree char *text = line_text (log, TROUPE_LINES_STDOUT, j);
      g_autofree char *expected = g_strdup_printf ("line %u", (j / 2) * 3 + j % 2);

      g_assert_cmpstr (text, ==, expected);
    }
  {
    g_autofree char *last = line_text (log, TROUPE_LINES_ALL, n - 1);
    g_autofree char *expected = g_strdup_printf ("line %u", n - 1);
    TroupeLineInfo info;

    g_assert_cmpstr (last, ==, expected);
    g_assert_false (troupe_log_get_line_info (log, TROUPE_LINES_ALL, n, &info));
    g_assert_null (troupe_log_read_line (log, TROUPE_LINES_STDERR, n, NULL, NULL));
  }

  /* The index costs at most 16 bytes a line (12 plus block overhead here). */
  g_assert_cmpuint (troupe_log_get_index_memory (log), <=, 16 * (gsize) n);
}

static void
test_index_widens (void)
{
  /* Lines so long, or so far apart, that 32-bit deltas overflow. */
  g_autoptr(TroupeLineIndex) index = troupe_line_index_new ();
  const guint64 gib = G_GUINT64_CONSTANT (1) << 30;
  const gint64 hour = G_USEC_PER_SEC * G_GINT64_CONSTANT (3600);
  TroupeLineInfo info;

  g_assert_true (troupe_line_index_append (index, TROUPE_STREAM_STDOUT, 0, 10, 1000));
  g_assert_true (troupe_line_index_append (index, TROUPE_STREAM_STDERR, 10, 5 * gib, 2000));
  g_assert_true (troupe_line_index_append (index, TROUPE_STREAM_STDOUT, 5 * gib, 5 * gib + 7,
                                           2000 + 100 * hour));
  g_assert_true (troupe_line_index_append (index, TROUPE_STREAM_STDOUT, 5 * gib + 7, 9 * gib,
                                           3000 + 100 * hour));

  g_assert_true (troupe_line_index_lookup (index, TROUPE_LINES_ALL, 1, &info));
  g_assert_cmpuint (info.offset, ==, 10);
  g_assert_cmpuint (info.length, ==, 5 * gib - 10);
  g_assert_cmpint (info.time, ==, 2000);
  g_assert_cmpint (info.stream, ==, TROUPE_STREAM_STDERR);
  g_assert_true (troupe_line_index_lookup (index, TROUPE_LINES_STDOUT, 1, &info));
  g_assert_cmpuint (info.line, ==, 2);
  g_assert_cmpuint (info.offset, ==, 5 * gib);
  g_assert_cmpuint (info.length, ==, 7);
  g_assert_cmpint (info.time, ==, 2000 + 100 * hour);
  g_assert_true (troupe_line_index_lookup (index, TROUPE_LINES_STDOUT, 2, &info));
  g_assert_cmpuint (info.length, ==, 4 * gib - 7);
  g_assert_true (troupe_line_index_lookup (index, TROUPE_LINES_ALL, 0, &info));
  g_assert_cmpuint (info.offset, ==, 0);
  g_assert_cmpint (info.time, ==, 1000);
}

static void
touch_spool (const char *folder,
             const char *name,
             gint64      age_seconds,
             gsize       size)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *contents = g_strnfill (size, 'a');
  struct timeval times[2];

  g_assert_true (g_file_set_contents (path, contents, size, NULL));
  gettimeofday (&times[0], NULL);
  times[0].tv_sec -= age_seconds;
  times[1] = times[0];
  g_assert_cmpint (utimes (path, times), ==, 0);
}

static void
test_retention (void)
{
  g_autofree char *own_folder = troupe_test_make_folder ("retention");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (own_folder);
  const char *folder = troupe_spool_dir_get_path (spool_dir);
  g_autofree char *oldest_path = g_build_filename (folder, "oldest.log", NULL);
  g_autofree char *other_path = g_build_filename (folder, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  int oldest_fd;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  touch_spool (folder, "oldest.log", 500, 10);
  touch_spool (folder, "old.log", 400, 10);
  touch_spool (folder, "middle.log", 300, 10);
  touch_spool (folder, "new.log", 200, 10);
  touch_spool (folder, "newest.log", 100, 10);
  touch_spool (folder, "notes.txt", 1000, 10);

  /* The oldest is still being written (locked): it is kept whatever its age. */
  oldest_fd = open (oldest_path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (flock (oldest_fd, LOCK_SH), ==, 0);

  troupe_spool_dir_set_keep_runs (spool_dir, 2);
  troupe_spool_dir_set_keep_bytes (spool_dir, 0);
  g_assert_cmpuint (troupe_spool_dir_prune (spool_dir, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (g_file_test (oldest_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *newest = g_build_filename (folder, "newest.log", NULL);
    g_autofree char *middle = g_build_filename (folder, "middle.log", NULL);
    g_assert_true (g_file_test (newest, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (middle, G_FILE_TEST_EXISTS));
  }

  /* By size: 25 bytes keeps only the two newest 10-byte spools. */
  close (oldest_fd);
  troupe_spool_dir_set_keep_runs (spool_dir, 0);
  troupe_spool_dir_set_keep_bytes (spool_dir, 25);
  g_assert_cmpuint (troupe_spool_dir_prune (spool_dir, &error), ==, 1);
  g_assert_false (g_file_test (oldest_path, G_FILE_TEST_EXISTS));
}

static void
on_pruned (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *deleted = user_data;
  g_autoptr(GError) error = NULL;

  *deleted = troupe_spool_dir_prune_finish (TROUPE_SPOOL_DIR (object), result, &error);
  g_assert_no_error (error);
}

static void
test_retention_async (void)
{
  g_autofree char *own_folder = troupe_test_make_folder ("retention-async");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (own_folder);
  const char *folder = troupe_spool_dir_get_path (spool_dir);
  guint deleted = G_MAXUINT;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("run-%u.log", i);
      touch_spool (folder, name, 100 * (i + 1), 4);
    }
  troupe_spool_dir_set_keep_runs (spool_dir, 3);
  troupe_spool_dir_prune_async (spool_dir, NULL, on_pruned, &deleted);
  while (deleted == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (deleted, ==, 2);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *changes)
{
  (*changes)++;
}

static void
test_line_model (void)
{
  g_autoptr(TroupeLog) log = new_log ();
  g_autoptr(TroupeLineModel) model = troupe_line_model_new (log);
  g_autoptr(TroupeLine) line = NULL;
  guint changes = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TROUPE_TYPE_LINE);

  /* A thousand appends: announced as one batch, not a thousand changes. */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u\n", i);
      append (log, i % 4 == 3 ? TROUPE_STREAM_STDERR : TROUPE_STREAM_STDOUT, text);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  while (changes == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);

  line = g_list_model_get_item (G_LIST_MODEL (model), 999);
  g_assert_cmpstr (troupe_line_get_text (line), ==, "line 999");
  g_assert_cmpint (troupe_line_get_stream (line), ==, TROUPE_STREAM_STDERR);
  g_assert_cmpuint (troupe_line_get_number (line), ==, 999);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 1000));
  g_clear_object (&line);

  /* One stream only. */
  troupe_line_model_set_lines (model, TROUPE_LINES_STDERR);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 250);
  line = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (troupe_line_get_text (line), ==, "line 7");
  g_clear_object (&line);

  /* Clear: what was there is hidden, what comes next is shown. */
  troupe_line_model_clear (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  append (log, TROUPE_STREAM_STDOUT, "after out\n");
  append (log, TROUPE_STREAM_STDERR, "after err\n");
  troupe_line_model_flush (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  line = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (troupe_line_get_text (line), ==, "after err");
  g_clear_object (&line);
  troupe_line_model_set_lines (model, TROUPE_LINES_ALL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 1002);
}

static void
wait_search (TroupeLogSearch *search)
{
  while (!troupe_log_search_is_finished (search))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_search (void)
{
  g_autoptr(TroupeLog) log = new_log ();
  g_autoptr(TroupeLogSearch) search = NULL;
  g_autoptr(TroupeLogSearch) nothing = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  const guint n = 200000;

  /* Every 1000th line says NEEDLE, in mixed case, some on stderr. */
  for (guint i = 0; i < n; i++)
    {
      if (i % 1000 == 999)
        g_string_append_printf (chunk, "line %u has a NeEdLe in it\n", i);
      else
        g_string_append_printf (chunk, "line %u is plain\n", i);
      if (chunk->len > 60000)
        {
          append (log, (i / 60000) % 2 ? TROUPE_STREAM_STDERR : TROUPE_STREAM_STDOUT, chunk->str);
          g_string_truncate (chunk, 0);
        }
    }
  append (log, TROUPE_STREAM_STDOUT, chunk->str);

  search = troupe_log_search_new (log, "needle");
  g_assert_false (troupe_log_search_is_finished (search));
  wait_search (search);
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), ==, n / 1000);
  for (guint k = 0; k < n / 1000; k++)
    g_assert_cmpuint (troupe_log_search_get_match (search, k), ==, k * 1000 + 999);
  g_assert_cmpuint (troupe_log_search_find_index (search, 5000), ==, 5);
  g_assert_cmpuint (troupe_log_search_find_index (search, 4999), ==, 4);
  g_assert_cmpuint (troupe_log_search_find_index (search, n), ==, n / 1000);

  /* Lines that come later are searched too. */
  append (log, TROUPE_STREAM_STDERR, "a late needle\n");
  wait_search (search);
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), ==, n / 1000 + 1);
  g_assert_cmpuint (troupe_log_search_get_match (search, n / 1000), ==, n);

  nothing = troupe_log_search_new (log, "haystack");
  wait_search (nothing);
  g_assert_cmpuint (troupe_log_search_get_n_matches (nothing), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/log/spool-modes", test_spool_modes);
  g_test_add_func ("/troupe/log/spool-cannot-be-made", test_spool_cannot_be_made);
  g_test_add_func ("/troupe/log/partial-lines", test_partial_lines);
  g_test_add_func ("/troupe/log/hard-bytes", test_hard_bytes);
  g_test_add_func ("/troupe/log/export", test_export);
  g_test_add_func ("/troupe/log/long-line", test_long_line);
  g_test_add_func ("/troupe/log/endless-line-is-split", test_endless_line_is_split);
  g_test_add_func ("/troupe/log/lookup-by-stream", test_lookup_by_stream);
  g_test_add_func ("/troupe/log/index-widens", test_index_widens);
  g_test_add_func ("/troupe/log/line-model", test_line_model);
  g_test_add_func ("/troupe/log/search", test_search);
  g_test_add_func ("/troupe/log/retention", test_retention);
  g_test_add_func ("/troupe/log/retention-async", test_retention_async);

  return troupe_test_run_all ();
}
