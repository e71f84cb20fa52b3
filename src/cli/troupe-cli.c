/* troupe-cli.c: the command line: `troupe run`, `troupe exec` and `troupe fork`
 *
 * Parses the options shared by the commands into a TroupeCommand and hands it
 * to a TroupeHeadless run. Usage errors exit with 2, as getopt programs do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "troupe-cli.h"
#include "troupe-headless.h"
#include "troupe-headless-cluster.h"
#include "troupe-headless-worker.h"
#include "troupe-headless-stats.h"
#include "troupe-listener.h"

#define EXIT_USAGE 2

typedef struct
{
  char      *name;
  char      *cwd;
  /* --env and --unset in the order given: "K=V" to set, "K" to unset */
  GPtrArray *environment;
  double     stop_timeout;
  gboolean  headless;
  gboolean  json;
  /* --stats, --stats-interval MS, --memory-limit SIZE */
  gboolean   stats;
  int        stats_interval;
  char      *memory_limit;
  /* fork only */
  int        channel_fd;
  GPtrArray *messages;
  gint64     max_message_size;
  /* cluster only */
  int        instances;
  char      *listen;
  char      *restart;
  double     grace;
  char      *ready_probe;
} CliOptions;

static void
cli_options_clear (CliOptions *options)
{
  g_free (options->name);
  g_free (options->cwd);
  g_clear_pointer (&options->environment, g_ptr_array_unref);
  g_clear_pointer (&options->messages, g_ptr_array_unref);
  g_free (options->listen);
  g_free (options->restart);
  g_free (options->ready_probe);
  g_free (options->memory_limit);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliOptions, cli_options_clear)

/**
 * troupe_cli_handles:
 *
 * Returns: %TRUE if @argv is a command-line command rather than the app
 */
gboolean
troupe_cli_handles (int    argc,
                    char **argv)
{
  return argc > 1 && (g_str_equal (argv[1], "run") || g_str_equal (argv[1], "exec") ||
                      g_str_equal (argv[1], "fork") || g_str_equal (argv[1], "cluster") ||
                      g_str_equal (argv[1], "worker") || g_str_equal (argv[1], "help"));
}

static const char *
summary_text (void)
{
  return _("Commands:\n"
           "  troupe                      Open the window\n"
           "  troupe run [OPTION…] -- COMMAND [ARGUMENT…]\n"
           "                              Run a program with its arguments (no shell)\n"
           "  troupe exec [OPTION…] 'SHELL LINE'\n"
           "                              Run a line with /bin/sh -c (pipes, globs, $VARS)\n"
           "  troupe fork [OPTION…] [--fd N] [--send JSON]… -- COMMAND [ARGUMENT…]\n"
           "                              Run a program with a JSON message channel, as\n"
           "                              Node's child_process.fork() does\n"
           "  troupe cluster [OPTION…] [-n N] [--listen HOST:PORT] [--restart POLICY]\n"
           "                 --headless -- COMMAND [ARGUMENT…]\n"
           "                              Run N members sharing one listening socket\n"
           "\n"
           "Without --headless the job is added to the Troupe window, which starts if\n"
           "it is not running; it runs in this folder unless --cwd says otherwise.\n"
           "With --headless the command runs in this terminal: its stdout and stderr\n"
           "are ours, and troupe exits with its exit code, or 128+N when signal N\n"
           "killed it (\"troupe: killed by SIGSEGV\" is printed on stderr). A command\n"
           "that cannot start exits with 127 (not found) or 126 (cannot be run).\n"
           "SIGINT or SIGTERM to troupe stops the command first: SIGTERM to its whole\n"
           "process group, SIGKILL after the stop timeout; a second one kills at once.\n"
           "\n"
           "With --json, one JSON object a line goes to stdout instead:\n"
           "  {\"event\":\"start\",\"pid\":N,\"name\":…,\"argv\":[…]}\n"
           "  {\"event\":\"stdout\"|\"stderr\",\"text\":…,\"t\":SECONDS}\n"
           "  {\"event\":\"exit\",\"code\":N|null,\"signal\":\"SIGSEGV\"|null,"
           "\"duration\":SECONDS}\n"
           "  {\"event\":\"error\",\"message\":…}   when the command cannot start\n"

           "and for fork:\n"
           "  {\"event\":\"message\",\"direction\":\"in\"|\"out\",\"data\":…}"
           "   (\"internal\":true for Node's own)\n"
           "  {\"event\":\"protocol-error\",\"message\":…,\"raw\":…}\n"
           "  {\"event\":\"disconnect\"}\n"
           "\n"
           "A fork's child gets its end of the channel at fd 3 (or --fd N), named by\n"
           "NODE_CHANNEL_FD, with NODE_CHANNEL_SERIALIZATION_MODE=json: one JSON value\n"
           "a line, each way. With --headless, each line troupe reads on stdin is sent\n"
           "as a message (invalid JSON is reported and not sent), the end of stdin\n"
           "closes the channel, and messages from the child are printed on stdout.\n"
           "\n"
           "A cluster's members get the listening socket at fd 3 (LISTEN_FDS=1,\n"
           "LISTEN_PID, LISTEN_FDNAMES, PORT, as systemd socket activation passes it)\n"
           "and a channel at fd 4 with NODE_UNIQUE_ID, so Node cluster programs run\n"
           "unmodified. It runs until SIGINT or SIGTERM (members stop gracefully);\n"
           "SIGHUP reloads the members one at a time. Output lines are prefixed with\n"
           "the member's id; with --json every event has \"member\", and\n"
           "  {\"event\":\"member\",\"member\":ID,\"state\":…,\"pid\":N,\"restarts\":N}\n"
           "reports each member's state: starting, online, listening, stopping,\n"
           "exited, restarting, crash-looping.\n"

           "Invalid UTF-8 in output is shown as U+FFFD; the log keeps the raw bytes.\n"
           "\n"
           "Every line is also kept in a log file under $XDG_STATE_HOME/troupe/.\n");
}

static const char *
worker_summary_text (void)
{
  return _("  troupe worker KIND [--data JSON] [--json]\n"
           "                              Run a thread worker here, printing its messages\n"
           "  troupe worker --list         List the kinds of worker, built in and from\n"
           "                              modules in $XDG_DATA_HOME/troupe/workers\n"
           "A worker's messages are printed a line each: the JSON text, or with --json\n"
           "  {\"event\":\"message\",\"data\":…} and at the end\n"
           "  {\"event\":\"exit\",\"code\":N} or {\"event\":\"error\",\"message\":…}\n"
           "troupe exits with the worker's exit code, 1 if it failed or was terminated.\n");
}

/* Apart from the summary above, so that its translation stays whole. */
static const char *
monitor_text (void)
{
  return _("--stats prints the job's CPU use (in percent of one core) and memory, for\n"
           "its whole process tree, every second or every --stats-interval MS: on\n"
           "stderr, or with --json as an event on stdout:\n"
           "  {\"event\":\"stats\",\"pid\":N,\"cpu\":PERCENT,\"rss\":BYTES,"
           "\"total_cpu\":PERCENT,\n"
           "   \"total_rss\":BYTES,\"processes\":N,\"children\":[{\"pid\":N,\"ppid\":N,"
           "\"name\":…,\n"
           "   \"cpu\":PERCENT,\"rss\":BYTES},…]}   (a cluster's carry \"member\")\n"
           "With --memory-limit SIZE (200M, 1G: powers of 1024), a job whose process\n"
           "tree stays above SIZE for two samples in a row is stopped and started\n"
           "again, saying why ({\"event\":\"restart\",\"reason\":…,\"old_pid\":N,"
           "\"pid\":N});\n"
           "troupe then exits with the last run's code. In a cluster, each member has\n"
           "the limit, and is restarted the cluster's way.\n");
}

static char *
help_text (void)
{
  return g_strconcat (summary_text (), "\n", monitor_text (), NULL);
}

static gboolean
is_variable_name (const char *name,
                  gsize       length)
{
  return length > 0 && memchr (name, '=', length) == NULL;
}

static gboolean
on_env_option (const char  *option_name,
               const char  *value,
               gpointer     user_data,
               GError     **error)
{
  CliOptions *options = user_data;
  const char *equals = strchr (value, '=');

  if (equals == NULL || !is_variable_name (value, equals - value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--env wants KEY=VALUE, not “%s”"), value);
      return FALSE;
    }
  g_ptr_array_add (options->environment, g_strdup (value));
  return TRUE;
}

static gboolean
on_unset_option (const char  *option_name,
                 const char  *value,
                 gpointer     user_data,
                 GError     **error)
{
  CliOptions *options = user_data;

  if (!is_variable_name (value, strlen (value)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--unset wants a variable name, not “%s”"), value);
      return FALSE;
    }
  g_ptr_array_add (options->environment, g_strdup (value));
  return TRUE;
}

static gboolean
on_send_option (const char  *option_name,
                const char  *value,
                gpointer     user_data,
                GError     **error)
{
  CliOptions *options = user_data;

  g_ptr_array_add (options->messages, g_strdup (value));
  return TRUE;
}

static gboolean
parse_options (int          *argc,
               char       ***argv,
               const char   *parameter,
               gboolean      is_fork,
               gboolean      is_cluster,
               gboolean      help_enabled,
               CliOptions   *options,
               GError      **error)
{
  GOptionEntry cluster_entries[] = {
    { "instances", 'n', 0, G_OPTION_ARG_INT, &options->instances,
      N_("Run N members (default: one per CPU)"), N_("N") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options->listen,
      N_("Listen on HOST:PORT (default 127.0.0.1, port 0 picks a free one)"),
      N_("HOST:PORT") },
    { "restart", 0, 0, G_OPTION_ARG_STRING, &options->restart,
      N_("Restart members: never, on-failure (default) or always"), N_("POLICY") },
    { "grace", 0, 0, G_OPTION_ARG_DOUBLE, &options->grace,
      N_("Seconds before a new member counts as ready if it does not say so (default 2)"),
      N_("SECONDS") },
    { "ready-probe", 0, 0, G_OPTION_ARG_STRING, &options->ready_probe,
      N_("A new member is ready only once this probe of the cluster’s address passes: "
         "tcp, http or http:PATH"),
      N_("PROBE") },
    G_OPTION_ENTRY_NULL
  };
  GOptionEntry fork_entries[] = {
    { "fd", 0, 0, G_OPTION_ARG_INT, &options->channel_fd,
      N_("Give the child its end of the channel at fd N (default 3)"), N_("N") },
    { "send", 0, 0, G_OPTION_ARG_CALLBACK, on_send_option,
      N_("Send this message as the child starts (repeatable)"), N_("JSON") },
    { "max-message-size", 0, 0, G_OPTION_ARG_INT64, &options->max_message_size,
      N_("Skip messages from the child longer than this (default 64 MiB)"), N_("BYTES") },
    G_OPTION_ENTRY_NULL
  };
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &options->name,
      N_("Name the job"), N_("NAME") },
    { "cwd", 'C', 0, G_OPTION_ARG_FILENAME, &options->cwd,
      N_("Run in folder DIR"), N_("DIR") },
    { "env", 'e', 0, G_OPTION_ARG_CALLBACK, on_env_option,
      N_("Set an environment variable (repeatable)"), N_("KEY=VALUE") },
    { "unset", 'u', 0, G_OPTION_ARG_CALLBACK, on_unset_option,
      N_("Remove an environment variable (repeatable)"), N_("KEY") },
    { "stop-timeout", 't', 0, G_OPTION_ARG_DOUBLE, &options->stop_timeout,
      N_("Seconds between SIGTERM and SIGKILL on stop (default 5)"), N_("SECONDS") },
    { "headless", 0, 0, G_OPTION_ARG_NONE, &options->headless,
      N_("Run in this terminal instead of the window"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print one JSON event per line (implies --headless)"), NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &options->stats,
      N_("Print CPU and memory use every second (with --headless or --json)"), NULL },
    { "stats-interval", 0, 0, G_OPTION_ARG_INT, &options->stats_interval,
      N_("Print them every MS milliseconds instead (implies --stats)"), N_("MS") },
    { "memory-limit", 0, 0, G_OPTION_ARG_STRING, &options->memory_limit,
      N_("Restart the job when it uses more memory than SIZE, such as 200M or 1G"),
      N_("SIZE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autofree char *help = NULL;
  /* A group of our own, so that the --env and --unset callbacks get @options. */
  GOptionGroup *group = g_option_group_new ("troupe", NULL, NULL, options, NULL);

  /* For a cluster -n is the number of members, as in `troupe cluster -n 4`. */
  if (is_cluster)
    entries[0].short_name = 0;
  options->environment = g_ptr_array_new_with_free_func (g_free);
  options->messages = g_ptr_array_new_with_free_func (g_free);
  options->channel_fd = 3;
  g_option_group_add_entries (group, entries);
  if (is_fork)
    g_option_group_add_entries (group, fork_entries);
  if (is_cluster)
    g_option_group_add_entries (group, cluster_entries);
  options->grace = TROUPE_CLUSTER_DEFAULT_GRACE_MS / 1000.0;
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  help = help_text ();
  g_option_context_set_description (context, help);
  /* --help prints and exits: right in the terminal, wrong in the running window. */
  g_option_context_set_help_enabled (context, help_enabled);
  /* Everything after the command's first word belongs to the command, not to us. */
  g_option_context_set_strict_posix (context, TRUE);

  options->stop_timeout = TROUPE_DEFAULT_STOP_TIMEOUT_MS / 1000.0;
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
set_up_fork (TroupeCommand  *command,
             CliOptions     *options,
             GError        **error)
{
  if (options->channel_fd <= 2 || options->channel_fd > TROUPE_COMMAND_MAX_CHANNEL_FD)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--fd must be between 3 and %d: 0, 1 and 2 are stdin, stdout and stderr"),
                   TROUPE_COMMAND_MAX_CHANNEL_FD);
      return FALSE;
    }
  troupe_command_set_channel_fd (command, options->channel_fd);

  if (options->max_message_size < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--max-message-size must be a number of bytes"));
      return FALSE;
    }
  troupe_command_set_max_message_size (command, options->max_message_size);

  for (guint i = 0; i < options->messages->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!troupe_command_add_initial_message (command, g_ptr_array_index (options->messages, i),
                                               &local_error))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--send “%s”: %s"), (const char *) g_ptr_array_index (options->messages, i),
                       local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static TroupeCommand *
build_command (gboolean     is_exec,
               int          argc,
               char       **argv,
               CliOptions  *options,
               GError     **error)
{
  g_autoptr(TroupeCommand) command = NULL;
  int first = 1;

  /* strict POSIX parsing leaves a "--" in place when it ends the options. */
  if (first < argc && g_str_equal (argv[first], "--"))
    first++;

  if (first >= argc)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           is_exec ? _("No shell line given") : _("No command given"));
      return NULL;
    }

  if (is_exec)
    {
      if (argc - first > 1)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("Give the shell line as one argument, in quotes"));
          return NULL;
        }
      command = troupe_command_new_shell (argv[first]);
    }
  else
    command = troupe_command_new_argv ((const char * const *) argv + first);

  troupe_command_set_name (command, options->name);
  troupe_command_set_cwd (command, options->cwd);

  if (!(options->stop_timeout >= 0 && options->stop_timeout <= 24 * 3600))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The stop timeout must be between 0 and 86400 seconds"));
      return NULL;
    }
  troupe_command_set_stop_timeout (command, (guint) (options->stop_timeout * 1000));

  if (options->memory_limit != NULL)
    {
      guint64 limit;

      if (!troupe_parse_memory_size (options->memory_limit, &limit, error))
        return NULL;
      troupe_command_set_memory_limit (command, limit);
    }

  for (guint i = 0; i < options->environment->len; i++)
    {
      const char *setting = g_ptr_array_index (options->environment, i);
      const char *equals = strchr (setting, '=');

      if (equals == NULL)
        troupe_command_unsetenv (command, setting);
      else
        {
          g_autofree char *variable = g_strndup (setting, equals - setting);
          troupe_command_setenv (command, variable, equals + 1);
        }
    }

  return g_steal_pointer (&command);
}

static void
apply_caller_cwd (TroupeCommand *command,
                  const char    *caller_cwd)
{
  const char *cwd = troupe_command_get_cwd (command);

  if (caller_cwd == NULL)
    return;
  if (cwd == NULL)
    troupe_command_set_cwd (command, caller_cwd);
  else if (!g_path_is_absolute (cwd))
    {
      g_autofree char *absolute = g_build_filename (caller_cwd, cwd, NULL);
      troupe_command_set_cwd (command, absolute);
    }
}

/* The --stats interval in milliseconds, 0 without --stats. */
static gboolean
stats_interval_of (CliOptions  *options,
                   guint       *interval_ms,
                   GError     **error)
{
  *interval_ms = 0;
  if (options->stats_interval == 0 && !options->stats)
    return TRUE;
  if (options->stats_interval == 0)
    options->stats_interval = TROUPE_SAMPLER_DEFAULT_INTERVAL_MS;
  if (options->stats_interval < 100 || options->stats_interval > 3600 * 1000)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--stats-interval must be between 100 and 3600000 milliseconds"));
      return FALSE;
    }
  *interval_ms = (guint) options->stats_interval;
  return TRUE;
}

static TroupeCommand *
parse_command_line (const char * const  *argv,
                    const char          *caller_cwd,
                    gboolean             help_enabled,
                    TroupeCliMode       *mode,
                    guint               *stats_interval,
                    GError             **error);

/**
 * troupe_cli_parse:
 * @argv: the whole command line: "troupe", then "run", "exec" or "fork", then the rest
 * @caller_cwd: (nullable): the folder troupe was started in, for a job without
 *   --cwd and for a relative --cwd; %NULL leaves both as they are
 * @help_enabled: whether --help may print and exit
 * @mode: (out): where the job should run
 * @error: a usage error, for a person
 *
 * Returns: (transfer full) (nullable): the command to run
 */
TroupeCommand *
troupe_cli_parse (const char * const  *argv,
                  const char          *caller_cwd,
                  gboolean             help_enabled,
                  TroupeCliMode       *mode,
                  GError             **error)
{
  guint stats_interval;

  return parse_command_line (argv, caller_cwd, help_enabled, mode, &stats_interval, error);
}

static TroupeCommand *
parse_command_line (const char * const  *argv,
                    const char          *caller_cwd,
                    gboolean             help_enabled,
                    TroupeCliMode       *mode,
                    guint               *stats_interval,
                    GError             **error)
{
  g_auto(CliOptions) options = { 0 };
  g_autoptr(TroupeCommand) command = NULL;
  g_auto(GStrv) copy = g_strdupv ((char **) argv);
  /* The parser removes what it takes; keep the array to free it whole. */
  g_autofree char **parsed = g_memdup2 (copy + 1, sizeof (char *) * g_strv_length (copy));
  int sub_argc = g_strv_length (copy) - 1;
  char **sub_argv = parsed;
  gboolean is_exec, is_fork;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL && argv[1] != NULL, NULL);

  is_exec = g_str_equal (argv[1], "exec");
  is_fork = g_str_equal (argv[1], "fork");
  if (!parse_options (&sub_argc, &sub_argv,
                      is_exec ? _("exec 'SHELL LINE'")
                              : is_fork ? _("fork -- COMMAND [ARGUMENT…]")
                                        : _("run -- COMMAND [ARGUMENT…]"),
                      is_fork, FALSE, help_enabled, &options, error))
    return NULL;
  command = build_command (is_exec, sub_argc, sub_argv, &options, error);
  if (command == NULL)
    return NULL;
  if (is_fork && !set_up_fork (command, &options, error))
    return NULL;
  if (!stats_interval_of (&options, stats_interval, error))
    return NULL;

  apply_caller_cwd (command, caller_cwd);

  if (options.json)
    *mode = TROUPE_CLI_JSON;
  else if (options.headless)
    *mode = TROUPE_CLI_HEADLESS;
  else
    *mode = TROUPE_CLI_WINDOW;
  return g_steal_pointer (&command);
}

static TroupeCluster *
build_cluster (int             argc,
               char          **argv,
               CliOptions     *options,
               const char     *caller_cwd,
               TroupeLauncher *launcher,
               TroupeSpoolDir *spool_dir,
               GError        **error)
{
  g_autoptr(TroupeCommand) command = build_command (FALSE, argc, argv, options, error);
  g_autoptr(TroupeCluster) cluster = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  TroupeRestartPolicy policy = TROUPE_RESTART_ON_FAILURE;

  if (command == NULL)
    return NULL;
  if (options->instances < 0 || options->instances > 1024)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("-n must be between 1 and 1024"));
      return NULL;
    }
  if (options->listen != NULL &&
      !troupe_listen_parse_address (options->listen, &host, &port, error))
    return NULL;
  if (options->restart == NULL || g_str_equal (options->restart, "on-failure"))
    policy = TROUPE_RESTART_ON_FAILURE;
  else if (g_str_equal (options->restart, "never"))
    policy = TROUPE_RESTART_NEVER;
  else if (g_str_equal (options->restart, "always"))
    policy = TROUPE_RESTART_ALWAYS;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--restart wants never, on-failure or always, not “%s”"), options->restart);
      return NULL;
    }
  if (!(options->grace >= 0 && options->grace <= 3600))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--grace must be between 0 and 3600 seconds"));
      return NULL;
    }

  apply_caller_cwd (command, caller_cwd);
  cluster = troupe_cluster_new (command, launcher, spool_dir);
  if (host != NULL)
    troupe_cluster_set_listen (cluster, host, port);
  troupe_cluster_set_restart_policy (cluster, policy);
  troupe_cluster_set_grace_ms (cluster, (guint) (options->grace * 1000));
  if (options->ready_probe != NULL)
    {
      g_autofree char *probe = troupe_headless_cluster_parse_ready_probe (options->ready_probe,
                                                                          error);

      if (probe == NULL)
        return NULL;
      troupe_cluster_set_ready_probe (cluster, probe);
    }
  return g_steal_pointer (&cluster);
}

static int
cluster_main (int    argc,
              char **argv)
{
  g_auto(CliOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  g_autoptr(TroupeCluster) cluster = NULL;
  g_autoptr(TroupeHeadlessCluster) headless = NULL;
  g_auto(GStrv) copy = g_strdupv (argv);
  g_autofree char **parsed = g_memdup2 (copy + 1, sizeof (char *) * g_strv_length (copy));
  int sub_argc = argc - 1;
  char **sub_argv = parsed;
  guint stats_interval = 0;

  if (!parse_options (&sub_argc, &sub_argv, _("cluster -- COMMAND [ARGUMENT…]"), FALSE, TRUE,
                      TRUE, &options, &error) ||
      !stats_interval_of (&options, &stats_interval, &error) ||
      (cluster = build_cluster (sub_argc, sub_argv, &options, NULL,
                                troupe_launcher_get_default (), spool_dir, &error)) == NULL)
    {
      g_printerr ("troupe: %s\n", error->message);
      g_printerr (_("Try “troupe %s --help”.\n"), argv[1]);
      return EXIT_USAGE;
    }
  /* Without --headless the window's instance parses the same line again. */
  if (!options.headless && !options.json)
    return TROUPE_CLI_FOR_WINDOW;

  headless = troupe_headless_cluster_new (cluster, (guint) options.instances,
                                          options.json ? TROUPE_HEADLESS_JSON
                                                       : TROUPE_HEADLESS_PLAIN);
  troupe_headless_cluster_set_stats_interval (headless, stats_interval);
  return troupe_headless_cluster_run (headless);
}

/**
 * troupe_cli_parse_cluster:
 * @argv: the whole command line: "troupe", "cluster", then the rest
 * @caller_cwd: (nullable): the folder troupe was started in
 * @launcher: how the members are started
 * @spool_dir: where their output is kept
 * @instances: (out): how many members to start, 0 for the default
 * @error: a usage error, for a person
 *
 * Parses `troupe cluster` for the window, without --help.
 *
 * Returns: (transfer full) (nullable): the cluster, not yet started
 */
TroupeCluster *
troupe_cli_parse_cluster (const char * const  *argv,
                          const char          *caller_cwd,
                          TroupeLauncher      *launcher,
                          TroupeSpoolDir      *spool_dir,
                          guint               *instances,
                          GError             **error)
{
  g_auto(CliOptions) options = { 0 };
  g_auto(GStrv) copy = g_strdupv ((char **) argv);
  g_autofree char **parsed = g_memdup2 (copy + 1, sizeof (char *) * g_strv_length (copy));
  int sub_argc = g_strv_length (copy) - 1;
  char **sub_argv = parsed;
  TroupeCluster *cluster;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL && argv[1] != NULL, NULL);

  if (!parse_options (&sub_argc, &sub_argv, _("cluster -- COMMAND [ARGUMENT…]"), FALSE, TRUE,
                      FALSE, &options, error))
    return NULL;
  cluster = build_cluster (sub_argc, sub_argv, &options, caller_cwd, launcher, spool_dir, error);
  if (cluster != NULL)
    *instances = (guint) options.instances;
  return cluster;
}

/**
 * troupe_cli_main:
 *
 * Runs `troupe help`, and `troupe run|exec|fork` with --headless or --json.
 *
 * Returns: the exit code for the whole program, or %TROUPE_CLI_FOR_WINDOW when
 *   the job is for the window: the application takes the command line then
 */
int
troupe_cli_main (int    argc,
                 char **argv)
{
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeHeadless) headless = NULL;
  TroupeCliMode mode;
  guint stats_interval = 0;

  if (g_str_equal (argv[1], "help"))
    {
      g_autofree char *help = help_text ();

      g_print ("%s\n\n%s\n%s", _("Usage: troupe [run|exec|fork|cluster] [OPTION…]"), help,
               worker_summary_text ());
      return 0;
    }

  g_set_prgname ("troupe");
  if (g_str_equal (argv[1], "cluster"))
    return cluster_main (argc, argv);
  if (g_str_equal (argv[1], "worker"))
    return troupe_headless_worker_main (argc, argv);
  command = parse_command_line ((const char * const *) argv, NULL, TRUE, &mode, &stats_interval,
                                &error);
  if (command == NULL)
    {
      g_printerr ("troupe: %s\n", error->message);
      g_printerr (_("Try “troupe %s --help”.\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (mode == TROUPE_CLI_WINDOW)
    return TROUPE_CLI_FOR_WINDOW;

  headless = troupe_headless_new (command, mode == TROUPE_CLI_JSON ? TROUPE_HEADLESS_JSON
                                                                   : TROUPE_HEADLESS_PLAIN);
  troupe_headless_set_stats_interval (headless, stats_interval);
  return troupe_headless_run (headless);
}
