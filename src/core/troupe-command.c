/* troupe-command.c: what to run — argv or a shell line, folder, environment, name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "troupe-command.h"
#include "troupe-json-text.h"

struct _TroupeCommand
{
  GObject     parent_instance;

  char      **argv;
  char       *shell_line;
  char       *name;
  char       *cwd;
  /* Overrides applied in order on top of the parent's environment: a value of NULL
   * means "unset". Kept ordered so that "--unset A --env A=1" does what it says. */
  GPtrArray  *env_names;
  GPtrArray  *env_values;
  guint       stop_timeout_ms;
  guint64     memory_limit;
  int         channel_fd;
  GPtrArray  *initial_messages;
  /* Descriptors the child gets: pairs of (our copy, the number it gets) */
  GArray     *passed_fds;
  gsize       max_message_size;
};

G_DEFINE_FINAL_TYPE (TroupeCommand, troupe_command, G_TYPE_OBJECT)

static void
troupe_command_finalize (GObject *object)
{
  TroupeCommand *self = (TroupeCommand *) object;

  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->shell_line, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->cwd, g_free);
  g_clear_pointer (&self->env_names, g_ptr_array_unref);
  g_clear_pointer (&self->env_values, g_ptr_array_unref);
  g_clear_pointer (&self->initial_messages, g_ptr_array_unref);
  for (guint i = 0; i < self->passed_fds->len; i += 2)
    close (g_array_index (self->passed_fds, int, i));
  g_clear_pointer (&self->passed_fds, g_array_unref);

  G_OBJECT_CLASS (troupe_command_parent_class)->finalize (object);
}

static void
troupe_command_class_init (TroupeCommandClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_command_finalize;
}

static void
troupe_command_init (TroupeCommand *self)
{
  self->env_names = g_ptr_array_new_with_free_func (g_free);
  self->env_values = g_ptr_array_new_with_free_func (g_free);
  self->stop_timeout_ms = TROUPE_DEFAULT_STOP_TIMEOUT_MS;
  self->channel_fd = -1;
  self->initial_messages = g_ptr_array_new_with_free_func (g_free);
  self->passed_fds = g_array_new (FALSE, FALSE, sizeof (int));
}

/**
 * troupe_command_new_argv:
 * @argv: the program and its arguments; the program is looked up in `PATH`
 *
 * Returns: (transfer full): a command that runs @argv directly, with no shell
 */
TroupeCommand *
troupe_command_new_argv (const char * const *argv)
{
  TroupeCommand *self;

  g_return_val_if_fail (argv != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_COMMAND, NULL);
  self->argv = g_strdupv ((char **) argv);
  return self;
}

/**
 * troupe_command_new_shell:
 * @shell_line: a line for `/bin/sh -c`
 *
 * Returns: (transfer full): a command that runs @shell_line in `/bin/sh`
 */
TroupeCommand *
troupe_command_new_shell (const char *shell_line)
{
  TroupeCommand *self;

  g_return_val_if_fail (shell_line != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_COMMAND, NULL);
  self->shell_line = g_strdup (shell_line);
  self->argv = g_new0 (char *, 4);
  self->argv[0] = g_strdup ("/bin/sh");
  self->argv[1] = g_strdup ("-c");
  self->argv[2] = g_strdup (shell_line);
  return self;
}

/**
 * troupe_command_copy:
 *
 * Returns: (transfer full): an independent copy, for "run again" and "duplicate"
 */
TroupeCommand *
troupe_command_copy (TroupeCommand *self)
{
  TroupeCommand *copy;

  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);

  if (self->shell_line != NULL)
    copy = troupe_command_new_shell (self->shell_line);
  else
    copy = troupe_command_new_argv ((const char * const *) self->argv);

  copy->name = g_strdup (self->name);
  copy->cwd = g_strdup (self->cwd);
  copy->stop_timeout_ms = self->stop_timeout_ms;
  copy->memory_limit = self->memory_limit;
  copy->channel_fd = self->channel_fd;
  copy->max_message_size = self->max_message_size;
  for (guint i = 0; i < self->initial_messages->len; i++)
    g_ptr_array_add (copy->initial_messages,
                     g_strdup (g_ptr_array_index (self->initial_messages, i)));
  for (guint i = 0; i < self->passed_fds->len; i += 2)
    troupe_command_pass_fd (copy, g_array_index (self->passed_fds, int, i),
                            g_array_index (self->passed_fds, int, i + 1));
  for (guint i = 0; i < self->env_names->len; i++)
    {
      g_ptr_array_add (copy->env_names, g_strdup (g_ptr_array_index (self->env_names, i)));
      g_ptr_array_add (copy->env_values, g_strdup (g_ptr_array_index (self->env_values, i)));
    }
  return copy;
}

/**
 * troupe_command_get_argv:
 *
 * Returns: (transfer none): the argv that is executed; for a shell line this is
 *   `/bin/sh -c LINE`
 */
const char * const *
troupe_command_get_argv (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);
  return (const char * const *) self->argv;
}

const char *
troupe_command_get_shell_line (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);
  return self->shell_line;
}

gboolean
troupe_command_is_shell (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), FALSE);
  return self->shell_line != NULL;
}

/**
 * troupe_command_to_display_string:
 *
 * Returns: (transfer full): the command as a user would type it: the shell line
 *   itself, or the argv quoted for a shell where needed
 */
char *
troupe_command_to_display_string (TroupeCommand *self)
{
  GString *line;

  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);

  if (self->shell_line != NULL)
    return g_strdup (self->shell_line);

  line = g_string_new (NULL);
  for (guint i = 0; self->argv[i] != NULL; i++)
    {
      const char *arg = self->argv[i];
      gboolean plain = arg[0] != '\0';

      for (const char *c = arg; *c != '\0' && plain; c++)
        plain = g_ascii_isalnum (*c) || strchr ("-_./=:,+@%", *c) != NULL;

      if (i > 0)
        g_string_append_c (line, ' ');
      if (plain)
        g_string_append (line, arg);
      else
        {
          g_autofree char *quoted = g_shell_quote (arg);
          g_string_append (line, quoted);
        }
    }
  return g_string_free (line, FALSE);
}

/**
 * troupe_command_get_name:
 *
 * Returns: the name the user gave, or else the program's base name
 */
const char *
troupe_command_get_name (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);

  if (self->name != NULL && self->name[0] != '\0')
    return self->name;
  if (self->shell_line != NULL)
    return self->shell_line;
  if (self->argv[0] != NULL)
    {
      const char *slash = strrchr (self->argv[0], '/');
      return slash != NULL && slash[1] != '\0' ? slash + 1 : self->argv[0];
    }
  return "";
}

/**
 * troupe_command_get_given_name:
 *
 * Returns: (nullable): the name the user gave, or %NULL if none
 */
const char *
troupe_command_get_given_name (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);
  return self->name != NULL && self->name[0] != '\0' ? self->name : NULL;
}

/**
 * troupe_command_get_n_environment_changes:
 *
 * Returns: how many variables the command sets or unsets, in order
 */
guint
troupe_command_get_n_environment_changes (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), 0);
  return self->env_names->len;
}

/**
 * troupe_command_get_environment_change:
 * @index: which change
 * @variable: (out): the variable's name
 * @value: (out) (nullable): its value, or %NULL when it is unset
 */
void
troupe_command_get_environment_change (TroupeCommand  *self,
                                       guint           index,
                                       const char    **variable,
                                       const char    **value)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_return_if_fail (index < self->env_names->len);

  *variable = g_ptr_array_index (self->env_names, index);
  *value = g_ptr_array_index (self->env_values, index);
}

void
troupe_command_set_name (TroupeCommand *self,
                         const char    *name)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

/**
 * troupe_command_get_cwd:
 *
 * Returns: (nullable): the working folder, or %NULL for the app's own
 */
const char *
troupe_command_get_cwd (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);
  return self->cwd;
}

void
troupe_command_set_cwd (TroupeCommand *self,
                        const char    *cwd)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_free (self->cwd);
  self->cwd = g_strdup (cwd);
}

/**
 * troupe_command_setenv:
 * @variable: the name: not empty, no `=` (callers check what users type)
 * @value: the value
 *
 * Sets @variable in the child's environment, over what the app itself has.
 */
void
troupe_command_setenv (TroupeCommand *self,
                       const char    *variable,
                       const char    *value)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_return_if_fail (variable != NULL && variable[0] != '\0' && strchr (variable, '=') == NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (self->env_names, g_strdup (variable));
  g_ptr_array_add (self->env_values, g_strdup (value));
}

/**
 * troupe_command_unsetenv:
 * @variable: the name
 *
 * Removes @variable from the child's environment.
 */
void
troupe_command_unsetenv (TroupeCommand *self,
                         const char    *variable)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_return_if_fail (variable != NULL && variable[0] != '\0' && strchr (variable, '=') == NULL);

  g_ptr_array_add (self->env_names, g_strdup (variable));
  g_ptr_array_add (self->env_values, NULL);
}

/**
 * troupe_command_changes_environment:
 *
 * Returns: %TRUE if the command sets or unsets any variable
 */
gboolean
troupe_command_changes_environment (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), FALSE);
  return self->env_names->len > 0 || self->channel_fd >= 0 || g_getenv ("NODE_CHANNEL_FD") != NULL;
}

/**
 * troupe_command_build_environ:
 * @base_environ: the environment to start from (usually the app's own)
 *
 * Returns: (transfer full): @base_environ with this command's overrides applied
 */
char **
troupe_command_build_environ (TroupeCommand      *self,
                              const char * const *base_environ)
{
  char **envp;

  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);

  envp = g_strdupv ((char **) base_environ);
  /* A channel is only ever one Troupe made for this child: one inherited from
   * whoever started Troupe would name an fd the child does not have, and a
   * Node child hangs on that. */
  envp = g_environ_unsetenv (envp, "NODE_CHANNEL_FD");
  envp = g_environ_unsetenv (envp, "NODE_CHANNEL_SERIALIZATION_MODE");
  envp = g_environ_unsetenv (envp, "NODE_UNIQUE_ID");
  if (self->channel_fd >= 0)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%d", self->channel_fd);
      envp = g_environ_setenv (envp, "NODE_CHANNEL_FD", number, TRUE);
      envp = g_environ_setenv (envp, "NODE_CHANNEL_SERIALIZATION_MODE", "json", TRUE);
    }
  for (guint i = 0; i < self->env_names->len; i++)
    {
      const char *variable = g_ptr_array_index (self->env_names, i);
      const char *value = g_ptr_array_index (self->env_values, i);

      if (value != NULL)
        envp = g_environ_setenv (envp, variable, value, TRUE);
      else
        envp = g_environ_unsetenv (envp, variable);
    }
  return envp;
}

/**
 * troupe_command_get_memory_limit:
 *
 * Returns: the memory limit in bytes, 0 for none
 */
guint64
troupe_command_get_memory_limit (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), 0);
  return self->memory_limit;
}

/**
 * troupe_command_set_memory_limit:
 * @bytes: the most resident memory the run (its whole process tree) may use,
 *   0 for no limit
 *
 * A run (or a cluster member) above its limit for two samples in a row is
 * restarted, and the reason written in its timeline.
 */
void
troupe_command_set_memory_limit (TroupeCommand *self,
                                 guint64        bytes)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  self->memory_limit = bytes;
}

/**
 * troupe_command_get_stop_timeout:
 *
 * Returns: milliseconds between SIGTERM and SIGKILL when the run is stopped
 */
guint
troupe_command_get_stop_timeout (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), TROUPE_DEFAULT_STOP_TIMEOUT_MS);
  return self->stop_timeout_ms;
}

void
troupe_command_set_stop_timeout (TroupeCommand *self,
                                 guint          timeout_ms)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  self->stop_timeout_ms = timeout_ms;
}

/**
 * troupe_command_get_channel_fd:
 *
 * Returns: the fd at which the child gets its end of a message channel, or -1
 *   for a plain run without one
 */
int
troupe_command_get_channel_fd (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), -1);
  return self->channel_fd;
}

/**
 * troupe_command_set_channel_fd:
 * @fd: where the child gets its end of a message channel (3 or more, as
 *   Node's fork() does; 3 is Node's own choice), or -1 for none
 *
 * A command with a channel is a fork: the child also gets NODE_CHANNEL_FD and
 * NODE_CHANNEL_SERIALIZATION_MODE=json, so a Node script written for
 * child_process.fork() runs as it is.
 */
void
troupe_command_set_channel_fd (TroupeCommand *self,
                               int            fd)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_return_if_fail (fd == -1 || (fd > STDERR_FILENO && fd <= TROUPE_COMMAND_MAX_CHANNEL_FD));

  self->channel_fd = fd;
}

/**
 * troupe_command_is_fork:
 *
 * Returns: %TRUE if the child gets a message channel
 */
gboolean
troupe_command_is_fork (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), FALSE);
  return self->channel_fd >= 0;
}

/**
 * troupe_command_add_initial_message:
 * @json_text: one JSON value
 * @error: why it is not one, with where
 *
 * Adds a message the fork's child gets as soon as it starts (and again on
 * each restart), after the ones added before.
 *
 * Returns: %TRUE if @json_text is valid JSON and was added
 */
gboolean
troupe_command_add_initial_message (TroupeCommand  *self,
                                    const char     *json_text,
                                    GError        **error)
{
  GString *compact;

  g_return_val_if_fail (TROUPE_IS_COMMAND (self), FALSE);
  g_return_val_if_fail (json_text != NULL, FALSE);

  compact = g_string_new (NULL);
  if (!troupe_json_text_check (json_text, strlen (json_text), compact, error))
    {
      g_string_free (compact, TRUE);
      return FALSE;
    }
  g_ptr_array_add (self->initial_messages, g_string_free (compact, FALSE));
  return TRUE;
}

/**
 * troupe_command_get_n_initial_messages:
 *
 * Returns: how many messages the child gets as it starts
 */
guint
troupe_command_get_n_initial_messages (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), 0);
  return self->initial_messages->len;
}

/**
 * troupe_command_get_initial_message:
 *
 * Returns: the message at @index, as compact JSON
 */
const char *
troupe_command_get_initial_message (TroupeCommand *self,
                                    guint          index)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), NULL);
  g_return_val_if_fail (index < self->initial_messages->len, NULL);
  return g_ptr_array_index (self->initial_messages, index);
}

/**
 * troupe_command_get_max_message_size:
 *
 * Returns: the longest message taken from the child, in bytes, or 0 for the
 *   channel's default
 */
gsize
troupe_command_get_max_message_size (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), 0);
  return self->max_message_size;
}

/**
 * troupe_command_set_max_message_size:
 * @max_size: bytes, or 0 for the channel's default
 */
void
troupe_command_set_max_message_size (TroupeCommand *self,
                                     gsize          max_size)
{
  g_return_if_fail (TROUPE_IS_COMMAND (self));
  self->max_message_size = max_size;
}

/**
 * troupe_command_pass_fd:
 * @fd: a descriptor of ours; the command keeps a copy of it
 * @target: the number the child gets it at (3 or more, not the channel's)
 *
 * The child gets @fd at @target, open across exec; a listening socket that
 * several children serve on, say.
 */
void
troupe_command_pass_fd (TroupeCommand *self,
                        int            fd,
                        int            target)
{
  int copy;

  g_return_if_fail (TROUPE_IS_COMMAND (self));
  g_return_if_fail (fd >= 0);
  g_return_if_fail (target > STDERR_FILENO && target <= TROUPE_COMMAND_MAX_CHANNEL_FD);
  g_return_if_fail (target != self->channel_fd);

  copy = fcntl (fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  g_return_if_fail (copy >= 0);
  g_array_append_val (self->passed_fds, copy);
  g_array_append_val (self->passed_fds, target);
}

/**
 * troupe_command_get_n_passed_fds:
 *
 * Returns: how many descriptors the child gets beyond stdio and the channel
 */
guint
troupe_command_get_n_passed_fds (TroupeCommand *self)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), 0);
  return self->passed_fds->len / 2;
}

/**
 * troupe_command_get_passed_fd:
 * @index: which one
 * @target: (out): the number the child gets it at
 *
 * Returns: our copy of the descriptor (owned by the command)
 */
int
troupe_command_get_passed_fd (TroupeCommand *self,
                              guint          index,
                              int           *target)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (self), -1);
  g_return_val_if_fail (index < self->passed_fds->len / 2, -1);

  *target = g_array_index (self->passed_fds, int, index * 2 + 1);
  return g_array_index (self->passed_fds, int, index * 2);
}
