/* troupe-recent-commands.c: the command lines a person ran lately, kept between sessions
 *
 * The list is most recent first, without duplicates, and at most
 * TROUPE_RECENT_COMMANDS_MAX long. It lives in
 * `$XDG_STATE_HOME/troupe/recent-commands.json` as
 * `{ "version": 1, "commands": [ "newest", ... ] }`, in a 0700 folder and a 0600
 * file, since a command line can hold a secret. The file is written whole and
 * renamed into place, so a crash leaves the old list or the new one, never half.
 * What the file holds is input: a file that is not such a list is reported and
 * read as empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "troupe-recent-commands.h"

#define FILE_VERSION 1

struct _TroupeRecentCommands
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *commands;

  /* Saves may run on worker threads and finish in any order: each carries the
   * generation it was made from, and an older one never overwrites a newer. */
  GMutex     write_mutex;
  guint64    save_generation;
  guint64    written_generation;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (troupe-recent-commands-error-quark, troupe_recent_commands_error)
G_DEFINE_FINAL_TYPE (TroupeRecentCommands, troupe_recent_commands, G_TYPE_OBJECT)

static void
troupe_recent_commands_finalize (GObject *object)
{
  TroupeRecentCommands *self = (TroupeRecentCommands *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_mutex_clear (&self->write_mutex);

  G_OBJECT_CLASS (troupe_recent_commands_parent_class)->finalize (object);
}

static void
troupe_recent_commands_class_init (TroupeRecentCommandsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_recent_commands_finalize;

  /**
   * TroupeRecentCommands::changed:
   *
   * The list changed: a command line was added, or the file was loaded.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_recent_commands_init (TroupeRecentCommands *self)
{
  self->commands = g_ptr_array_new_null_terminated (TROUPE_RECENT_COMMANDS_MAX + 1, g_free,
                                                    TRUE);
  g_mutex_init (&self->write_mutex);
}

/**
 * troupe_recent_commands_new:
 *
 * Returns: (transfer full): an empty list kept in
 *   `$XDG_STATE_HOME/troupe/recent-commands.json`; call
 *   troupe_recent_commands_load() to read it
 */
TroupeRecentCommands *
troupe_recent_commands_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "troupe",
                                            "recent-commands.json", NULL);

  return troupe_recent_commands_new_for_path (path);
}

/**
 * troupe_recent_commands_new_for_path:
 * @path: the JSON file that keeps the list
 *
 * Returns: (transfer full): an empty list kept in @path
 */
TroupeRecentCommands *
troupe_recent_commands_new_for_path (const char *path)
{
  TroupeRecentCommands *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_RECENT_COMMANDS, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
troupe_recent_commands_get_path (TroupeRecentCommands *self)
{
  g_return_val_if_fail (TROUPE_IS_RECENT_COMMANDS (self), NULL);
  return self->path;
}

/**
 * troupe_recent_commands_get:
 *
 * Returns: (transfer none): the command lines, most recent first; valid until
 *   the list changes
 */
const char * const *
troupe_recent_commands_get (TroupeRecentCommands *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (TROUPE_IS_RECENT_COMMANDS (self), empty);

  if (self->commands->pdata == NULL)
    return empty;
  return (const char * const *) self->commands->pdata;
}

static gboolean
find_command (GPtrArray  *commands,
              const char *command_line,
              guint      *index)
{
  return g_ptr_array_find_with_equal_func (commands, command_line, g_str_equal, index);
}

/* Puts @command_line first, where it was already or not; FALSE if it is no
 * command line at all. */
static gboolean
put_first (GPtrArray  *commands,
           const char *command_line)
{
  g_autofree char *line = NULL;
  guint index;

  if (!g_utf8_validate (command_line, -1, NULL))
    return FALSE;
  line = g_strstrip (g_strdup (command_line));
  if (line[0] == '\0')
    return FALSE;

  if (find_command (commands, line, &index))
    g_ptr_array_remove_index (commands, index);
  g_ptr_array_insert (commands, 0, g_steal_pointer (&line));
  if (commands->len > TROUPE_RECENT_COMMANDS_MAX)
    g_ptr_array_set_size (commands, TROUPE_RECENT_COMMANDS_MAX);
  return TRUE;
}

static gboolean
same_commands (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static void
replace_commands (TroupeRecentCommands *self,
                  GPtrArray            *commands)
{
  gboolean changed = !same_commands (self->commands, commands);

  g_ptr_array_unref (self->commands);
  self->commands = g_ptr_array_ref (commands);
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * troupe_recent_commands_add:
 * @command_line: a command line that was run
 *
 * Puts @command_line, without its surrounding white space, first in the list,
 * moving it there if it was already in it, and forgets the oldest beyond
 * TROUPE_RECENT_COMMANDS_MAX. A blank line or one that is not UTF-8 is not kept.
 * Nothing is written until troupe_recent_commands_save().
 */
void
troupe_recent_commands_add (TroupeRecentCommands *self,
                            const char           *command_line)
{
  g_autoptr(GPtrArray) commands = NULL;

  g_return_if_fail (TROUPE_IS_RECENT_COMMANDS (self));
  g_return_if_fail (command_line != NULL);

  commands = g_ptr_array_new_null_terminated (self->commands->len + 1, g_free, TRUE);
  for (guint i = 0; i < self->commands->len; i++)
    g_ptr_array_add (commands, g_strdup (g_ptr_array_index (self->commands, i)));
  if (put_first (commands, command_line))
    replace_commands (self, commands);
}

static GPtrArray *
parse_commands (const char  *path,
                const char  *contents,
                gsize        length,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) commands = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  JsonNode *root;
  JsonObject *object;
  JsonNode *list_node;
  JsonArray *list;

  if (!json_parser_load_from_data (parser, contents, length, &parse_error))
    {
      g_set_error (error, TROUPE_RECENT_COMMANDS_ERROR, TROUPE_RECENT_COMMANDS_ERROR_MALFORMED,
                   _("The recent commands in %s could not be read: %s"), path,
                   parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  list_node = object != NULL ? json_object_get_member (object, "commands") : NULL;
  if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node))
    {
      g_set_error (error, TROUPE_RECENT_COMMANDS_ERROR, TROUPE_RECENT_COMMANDS_ERROR_MALFORMED,
                   _("The recent commands in %s could not be read: there is no list of "
                     "commands"), path);
      return NULL;
    }

  /* The list is kept in order, so the newest comes first: appending each one at
   * the end keeps the file's order; a line seen before is left where it was. */
  list = json_node_get_array (list_node);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      g_autofree char *line = NULL;

      if (commands->len == TROUPE_RECENT_COMMANDS_MAX)
        break;
      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      line = g_strstrip (g_strdup (json_node_get_string (item)));
      if (line[0] == '\0' || find_command (commands, line, NULL))
        continue;
      g_ptr_array_add (commands, g_steal_pointer (&line));
    }
  return g_steal_pointer (&commands);
}

/**
 * troupe_recent_commands_load:
 * @error: set when the file cannot be read or is not a list of command lines
 *
 * Reads the list from its file. A missing file is an empty list. A file that
 * cannot be read or is malformed also leaves the list empty, and says why.
 *
 * Returns: whether the file was read, or is missing
 */
gboolean
troupe_recent_commands_load (TroupeRecentCommands  *self,
                             GError               **error)
{
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (TROUPE_IS_RECENT_COMMANDS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_file_get_contents (self->path, &contents, &length, &read_error))
    commands = parse_commands (self->path, contents, length, error);
  else if (!g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_propagate_error (error, g_steal_pointer (&read_error));
  else
    commands = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  if (commands == NULL)
    {
      g_autoptr(GPtrArray) empty = g_ptr_array_new_null_terminated (0, g_free, TRUE);

      replace_commands (self, empty);
      return FALSE;
    }
  replace_commands (self, commands);
  return TRUE;
}

static char *
serialize (TroupeRecentCommands *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "commands");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->commands->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->commands, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

typedef struct
{
  char    *contents;
  guint64  generation;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->contents);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static SaveData *
save_data_new (TroupeRecentCommands *self)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->contents = serialize (self);
  data->generation = ++self->save_generation;
  return data;
}

/* May run on a worker thread. */
static gboolean
write_file (TroupeRecentCommands  *self,
            SaveData              *data,
            GError               **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_mutex);
  g_autofree char *folder = NULL;

  if (data->generation <= self->written_generation)
    return TRUE;

  folder = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (self->path, data->contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  self->written_generation = data->generation;
  return TRUE;
}

/**
 * troupe_recent_commands_save:
 * @error: set when the file cannot be written
 *
 * Writes the list to its file, creating its folder if need be. This blocks on
 * the disk: the main loop should use troupe_recent_commands_save_async().
 *
 * Returns: whether the file was written
 */
gboolean
troupe_recent_commands_save (TroupeRecentCommands  *self,
                             GError               **error)
{
  g_autoptr(SaveData) data = NULL;

  g_return_val_if_fail (TROUPE_IS_RECENT_COMMANDS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = save_data_new (self);
  return write_file (self, data, error);
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_file (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * troupe_recent_commands_save_async:
 *
 * Writes the list as it is now to its file on a worker thread. When saves
 * overlap, the file ends up with the newest list.
 */
void
troupe_recent_commands_save_async (TroupeRecentCommands *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TROUPE_IS_RECENT_COMMANDS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_recent_commands_save_async);
  g_task_set_task_data (task, save_data_new (self), (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
troupe_recent_commands_save_finish (TroupeRecentCommands  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (TROUPE_IS_RECENT_COMMANDS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        troupe_recent_commands_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
