/* test-spool.c: a run's spool file, written behind on a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include "troupe-spool.h"
#include "troupe-test-util.h"

#define MIB (1024 * 1024)

static TroupeSpool *
new_spool_in (const char  *folder,
              char       **path)
{
  int fd;

  *path = g_build_filename (folder, "spool.log", NULL);
  fd = open (*path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  return troupe_spool_new (fd, *path);
}

/* Bytes that say where they are, so a misplaced piece cannot go unnoticed. */
static guint8 *
pattern (gsize length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) ((i * 7 + i / 4093) & 0xff);
  return data;
}

static void
check_round_trip (const char *folder)
{
  g_autofree char *path = NULL;
  g_autoptr(TroupeSpool) spool = new_spool_in (folder, &path);
  const gsize total = 5 * MIB + 12345;
  g_autofree guint8 *data = pattern (total);
  g_autofree guint8 *back = g_malloc (total);
  g_autofree char *contents = NULL;
  gsize appended = 0;
  gsize length;

  /* Odd-sized appends, so chunk boundaries fall mid-append. */
  while (appended < total)
    {
      gsize piece = MIN (total - appended, 777 + appended % 65536);
      g_assert_true (troupe_spool_append (spool, data + appended, piece));
      appended += piece;
    }
  g_assert_cmpuint (troupe_spool_get_length (spool), ==, total);

  /* At once: partly from memory, across chunk boundaries. */
  g_assert_true (troupe_spool_read (spool, 0, total, back, NULL));
  g_assert_cmpmem (back, total, data, total);
  g_assert_true (troupe_spool_read (spool, MIB - 10, 20, back, NULL));
  g_assert_cmpmem (back, 20, data + MIB - 10, 20);

  /* After the writes: from the file, and the file is exact. */
  troupe_spool_wait (spool);
  memset (back, 0, total);
  g_assert_true (troupe_spool_read (spool, 0, total, back, NULL));
  g_assert_cmpmem (back, total, data, total);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, data, total);
  g_assert_null (troupe_spool_get_error (spool));
  g_unlink (path);
}

static void
test_round_trip (void)
{
  g_autofree char *folder = troupe_test_make_folder ("spool");

  check_round_trip (folder);
}

static void
test_round_trip_tmpfs (void)
{
  /* tmpfs refuses O_DIRECT: the same bytes must arrive by buffered writes. */
  g_autofree char *folder = g_dir_make_tmp ("troupe-spool-XXXXXX", NULL);
  g_autofree char *shm_folder = NULL;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      shm_folder = g_build_filename ("/dev/shm", "troupe-spool-test-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (shm_folder));
      check_round_trip (shm_folder);
      g_rmdir (shm_folder);
    }
  else
    g_test_skip ("no /dev/shm here");
  g_rmdir (folder);
}

static void
count_call (guint *count)
{
  (*count)++;
}

static void
on_failed (TroupeSpool  *spool,
           const GError *error,
           char        **message)
{
  *message = g_strdup (error->message);
}

static void
test_failure_keeps_bytes (void)
{
  if (g_test_subprocess ())
    {
      /* The file may not grow past 2 MiB: the third chunk's write fails. */
      struct rlimit limit = { 2 * MIB, 2 * MIB };
      g_autofree char *folder = troupe_test_make_folder ("spool-limit");
      g_autofree char *path = NULL;
      g_autoptr(TroupeSpool) spool = NULL;
      g_autofree guint8 *data = pattern (40 * MIB);
      g_autofree guint8 *back = g_malloc (40 * MIB);
      g_autofree char *message = NULL;
      guint relieved = 0;

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      spool = new_spool_in (folder, &path);
      g_signal_connect (spool, "failed", G_CALLBACK (on_failed), &message);
      g_signal_connect_swapped (spool, "relieved", G_CALLBACK (count_call), &relieved);

      /* 40 MiB at once is more than may wait for the disk: the reader would pause. */
      g_assert_true (troupe_spool_append (spool, data, 40 * MIB));
      g_assert_true (troupe_spool_is_congested (spool));
      troupe_spool_wait (spool);
      /* The failure lets it go: nothing more will be taken, so nothing to wait for. */
      g_assert_false (troupe_spool_is_congested (spool));
      g_assert_cmpuint (relieved, ==, 1);
      g_assert_nonnull (message);
      g_assert_true (g_str_has_prefix (message, "Output is no longer saved: writing "));
      g_assert_false (troupe_spool_append (spool, data, 10));

      /* Everything taken before the failure can still be read. */
      g_assert_true (troupe_spool_read (spool, 0, 40 * MIB, back, NULL));
      g_assert_cmpmem (back, 40 * MIB, data, 40 * MIB);
      g_unlink (path);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/spool/round-trip", test_round_trip);
  g_test_add_func ("/troupe/spool/round-trip-tmpfs", test_round_trip_tmpfs);
  g_test_add_func ("/troupe/spool/failure-keeps-bytes", test_failure_keeps_bytes);

  return troupe_test_run_all ();
}
