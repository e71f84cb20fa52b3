/* test-recent-commands.c: recent command lines: order, duplicates, limit, file, bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "troupe-recent-commands.h"
#include "troupe-test-util.h"

static char *
make_path (const char *name)
{
  g_autofree char *folder = troupe_test_make_folder (name);

  /* A folder that does not exist yet: saving creates it. */
  return g_build_filename (folder, "troupe", "recent-commands.json", NULL);
}

static void
count_changes (TroupeRecentCommands *recent,
               guint                *changes)
{
  (*changes)++;
}

static void
test_missing_file (void)
{
  g_autofree char *path = make_path ("missing");
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (troupe_recent_commands_load (recent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) troupe_recent_commands_get (recent)), ==, 0);
}

static void
test_default_path (void)
{
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new ();
  g_autofree char *expected = g_build_filename (g_getenv ("XDG_STATE_HOME"), "troupe",
                                                "recent-commands.json", NULL);

  g_assert_cmpstr (troupe_recent_commands_get_path (recent), ==, expected);
}

static void
test_order_and_duplicates (void)
{
  g_autofree char *path = make_path ("order");
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  const char *expected[] = { "ls -l", "make check", "echo hi", NULL };
  guint changes = 0;

  g_signal_connect (recent, "changed", G_CALLBACK (count_changes), &changes);
  troupe_recent_commands_add (recent, "echo hi");
  troupe_recent_commands_add (recent, "ls -l");
  troupe_recent_commands_add (recent, "make check");
  g_assert_cmpuint (changes, ==, 3);

  /* Again: it moves to the front, not in twice; surrounding space is not kept. */
  troupe_recent_commands_add (recent, "  ls -l\t");
  g_assert_cmpstrv (troupe_recent_commands_get (recent), expected);
  g_assert_cmpuint (changes, ==, 4);

  /* Already first: nothing changes. Blank lines and bad UTF-8 are not kept. */
  troupe_recent_commands_add (recent, "ls -l");
  troupe_recent_commands_add (recent, "");
  troupe_recent_commands_add (recent, "   ");
  troupe_recent_commands_add (recent, "echo \xff\xfe");
  g_assert_cmpstrv (troupe_recent_commands_get (recent), expected);
  g_assert_cmpuint (changes, ==, 4);
}

static void
test_limit (void)
{
  g_autofree char *path = make_path ("limit");
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  const char * const *commands;

  for (guint i = 0; i < TROUPE_RECENT_COMMANDS_MAX + 10; i++)
    {
      g_autofree char *line = g_strdup_printf ("echo %u", i);
      troupe_recent_commands_add (recent, line);
    }

  commands = troupe_recent_commands_get (recent);
  g_assert_cmpuint (g_strv_length ((GStrv) commands), ==, TROUPE_RECENT_COMMANDS_MAX);
  g_assert_cmpstr (commands[0], ==, "echo 59");
  g_assert_cmpstr (commands[TROUPE_RECENT_COMMANDS_MAX - 1], ==, "echo 10");
}

static void
test_save_and_load (void)
{
  g_autofree char *path = make_path ("save");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(TroupeRecentCommands) again = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "printf '%s\\n' \"ünïcode\"", "ls /usr/bin | sort", "echo hi",
                             NULL };
  GStatBuf info;
  guint changes = 0;

  troupe_recent_commands_add (recent, "echo hi");
  troupe_recent_commands_add (recent, "ls /usr/bin | sort");
  troupe_recent_commands_add (recent, "printf '%s\\n' \"ünïcode\"");
  g_assert_true (troupe_recent_commands_save (recent, &error));
  g_assert_no_error (error);

  /* Private: a command line can hold a secret. */
  g_assert_cmpint (g_stat (folder, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  g_signal_connect (again, "changed", G_CALLBACK (count_changes), &changes);
  g_assert_true (troupe_recent_commands_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (troupe_recent_commands_get (again), expected);
  g_assert_cmpuint (changes, ==, 1);

  /* Loading the same list again is no change. */
  g_assert_true (troupe_recent_commands_load (again, &error));
  g_assert_cmpuint (changes, ==, 1);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *n_saved = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (troupe_recent_commands_save_finish (TROUPE_RECENT_COMMANDS (object), result,
                                                     &error));
  g_assert_no_error (error);
  (*n_saved)++;
}

static void
test_save_async (void)
{
  g_autofree char *path = make_path ("save-async");
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(TroupeRecentCommands) again = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "third", "second", "first", NULL };
  guint n_saved = 0;

  /* Overlapping saves: whichever thread writes last, the newest list is kept. */
  troupe_recent_commands_add (recent, "first");
  troupe_recent_commands_save_async (recent, NULL, on_saved, &n_saved);
  troupe_recent_commands_add (recent, "second");
  troupe_recent_commands_save_async (recent, NULL, on_saved, &n_saved);
  troupe_recent_commands_add (recent, "third");
  troupe_recent_commands_save_async (recent, NULL, on_saved, &n_saved);
  while (n_saved < 3)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (troupe_recent_commands_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (troupe_recent_commands_get (again), expected);
}

static void
test_malformed (gconstpointer data)
{
  const char *contents = data;
  g_autofree char *path = make_path ("malformed");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;

  /* A list from before, which a bad file replaces with nothing. */
  troupe_recent_commands_add (recent, "echo before");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  g_assert_false (troupe_recent_commands_load (recent, &error));
  g_assert_error (error, TROUPE_RECENT_COMMANDS_ERROR, TROUPE_RECENT_COMMANDS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (g_strv_length ((GStrv) troupe_recent_commands_get (recent)), ==, 0);

  /* It is still usable, and saving puts a good file in place of the bad one. */
  g_clear_error (&error);
  troupe_recent_commands_add (recent, "echo after");
  g_assert_true (troupe_recent_commands_save (recent, &error));
  g_assert_true (troupe_recent_commands_load (recent, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (troupe_recent_commands_get (recent)[0], ==, "echo after");
}

static void
test_unreadable (void)
{
  g_autofree char *path = make_path ("unreadable");
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be: reported, read as empty. */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  troupe_recent_commands_add (recent, "echo before");
  g_assert_false (troupe_recent_commands_load (recent, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_strv_length ((GStrv) troupe_recent_commands_get (recent)), ==, 0);

  g_clear_error (&error);
  g_assert_false (troupe_recent_commands_save (recent, &error));
  g_assert_nonnull (error);
}

static void
test_odd_entries (void)
{
  g_autofree char *path = make_path ("odd");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) contents = g_string_new ("{\"version\": 7, \"extra\": true, \"commands\": "
                                              "[\"echo a\", 5, null, \"\", [\"x\"], \"echo b\","
                                              " \"echo a\", {\"y\": 1}");
  const char * const *commands;

  /* A list from a later version with items this one does not know: those are
   * skipped, and it is cut to the limit. */
  for (guint i = 0; i < TROUPE_RECENT_COMMANDS_MAX; i++)
    g_string_append_printf (contents, ", \"line %u\"", i);
  g_string_append (contents, "]}");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents->str, -1, NULL));

  g_assert_true (troupe_recent_commands_load (recent, &error));
  g_assert_no_error (error);
  commands = troupe_recent_commands_get (recent);
  g_assert_cmpuint (g_strv_length ((GStrv) commands), ==, TROUPE_RECENT_COMMANDS_MAX);
  g_assert_cmpstr (commands[0], ==, "echo a");
  g_assert_cmpstr (commands[1], ==, "echo b");
  g_assert_cmpstr (commands[2], ==, "line 0");
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/recent-commands/missing-file", test_missing_file);
  g_test_add_func ("/troupe/recent-commands/default-path", test_default_path);
  g_test_add_func ("/troupe/recent-commands/order-and-duplicates", test_order_and_duplicates);
  g_test_add_func ("/troupe/recent-commands/limit", test_limit);
  g_test_add_func ("/troupe/recent-commands/save-and-load", test_save_and_load);
  g_test_add_func ("/troupe/recent-commands/save-async", test_save_async);
  g_test_add_data_func ("/troupe/recent-commands/malformed/not-json", "not json {",
                        test_malformed);
  g_test_add_data_func ("/troupe/recent-commands/malformed/empty-file", "", test_malformed);
  g_test_add_data_func ("/troupe/recent-commands/malformed/array", "[\"echo hi\"]",
                        test_malformed);
  g_test_add_data_func ("/troupe/recent-commands/malformed/no-list", "{\"commands\": 5}",
                        test_malformed);
  g_test_add_data_func ("/troupe/recent-commands/malformed/binary", "\xff\xfe\x00\x01",
                        test_malformed);
  g_test_add_func ("/troupe/recent-commands/unreadable", test_unreadable);
  g_test_add_func ("/troupe/recent-commands/odd-entries", test_odd_entries);

  return troupe_test_run_all ();
}
