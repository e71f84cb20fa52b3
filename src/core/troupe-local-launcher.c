/* troupe-local-launcher.c: starts children on this machine with posix_spawn
 *
 * GSubprocess can only put a child into its own process group through a
 * child-setup function, and that forces GLib onto its fork() path. glibc's
 * posix_spawn does everything we need in a vfork()ed child instead — new
 * process group, chdir, close every other descriptor, default signal
 * dispositions — and it reports exec failures to us synchronously, which is
 * what lets "command not found" be a clear state rather than exit code 127.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "troupe-local-launcher.h"

/* Signals a parent commonly ignores; an ignored disposition survives exec, so
 * these are put back to default in the child. Handled signals reset on their own. */
static const int inherited_ignored_signals[] = {
  SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2,
  SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM, SIGXFSZ,
};

extern char **environ;

#define PIPE_SIZE (1024 * 1024)

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

struct _TroupeLocalLauncher
{
  TroupeLauncher parent_instance;
};

G_DEFINE_FINAL_TYPE (TroupeLocalLauncher, troupe_local_launcher, TROUPE_TYPE_LAUNCHER)

typedef enum
{
  LOOKUP_FOUND,
  LOOKUP_NOT_FOUND,
  LOOKUP_NOT_EXECUTABLE,
  LOOKUP_IS_FOLDER,
} LookupResult;

static LookupResult
check_candidate (const char *path)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return LOOKUP_NOT_FOUND;
  if (S_ISDIR (st.st_mode))
    return LOOKUP_IS_FOLDER;
  if (access (path, X_OK) != 0)
    return LOOKUP_NOT_EXECUTABLE;
  return LOOKUP_FOUND;
}

/* Finds @program the way the child's own shell would: relative to the child's
 * folder when it has a slash, else along the *child's* PATH, which may differ
 * from ours when the command overrides it. */
static LookupResult
find_program (const char  *program,
              const char  *cwd,
              const char  *search_path,
              char       **resolved)
{
  LookupResult best = LOOKUP_NOT_FOUND;
  g_auto(GStrv) dirs = NULL;

  if (strchr (program, '/') != NULL)
    {
      g_autofree char *path = NULL;
      LookupResult result;

      if (g_path_is_absolute (program) || cwd == NULL)
        path = g_strdup (program);
      else
        path = g_build_filename (cwd, program, NULL);

      result = check_candidate (path);
      if (result == LOOKUP_FOUND)
        *resolved = g_steal_pointer (&path);
      return result;
    }

  dirs = g_strsplit (search_path != NULL ? search_path : DEFAULT_PATH, ":", -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      const char *dir = dirs[i][0] != '\0' ? dirs[i] : ".";
      g_autofree char *path = NULL;
      LookupResult result;

      if (g_path_is_absolute (dir) || cwd == NULL)
        path = g_build_filename (dir, program, NULL);
      else
        path = g_build_filename (cwd, dir, program, NULL);

      result = check_candidate (path);
      if (result == LOOKUP_FOUND)
        {
          *resolved = g_steal_pointer (&path);
          return LOOKUP_FOUND;
        }
      /* Like a shell: a match we may not run beats no match at all. */
      if (result == LOOKUP_NOT_EXECUTABLE)
        best = LOOKUP_NOT_EXECUTABLE;
    }

  return best;
}

static gboolean
set_error_for_lookup (LookupResult  result,
                      const char   *program,
                      GError      **error)
{
  switch (result)
    {
    case LOOKUP_FOUND:
      return TRUE;
    case LOOKUP_NOT_FOUND:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_FOUND,
                   _("command not found: %s"), program);
      return FALSE;
    case LOOKUP_NOT_EXECUTABLE:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_PERMISSION_DENIED,
                   _("permission denied: %s"), program);
      return FALSE;
    case LOOKUP_IS_FOLDER:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_A_PROGRAM,
                   _("is a folder, not a program: %s"), program);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
set_error_for_errno (int          saved_errno,
                     const char  *program,
                     GError     **error)
{
  switch (saved_errno)
    {
    case ENOENT:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_FOUND,
                   _("command not found: %s"), program);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_PERMISSION_DENIED,
                   _("permission denied: %s"), program);
      break;
    case ENOEXEC:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_A_PROGRAM,
                   _("not a program this system can run: %s"), program);
      break;
    default:
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_FAILED,
                   _("could not start %s: %s"), program, g_strerror (saved_errno));
      break;
    }
  return FALSE;
}

static void
close_fd_pair (int pair[2])
{
  for (guint i = 0; i < 2; i++)
    if (pair[i] >= 0)
      {
        close (pair[i]);
        pair[i] = -1;
      }
}

static gboolean
make_pipe (int      pair[2],
           GError **error)
{
  if (pipe2 (pair, O_CLOEXEC) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_FAILED,
                   _("could not create a pipe: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Our end is made non-blocking by the channel; the child's stays blocking, as
 * any program expects of an fd it is handed. */
static gboolean
make_channel (int      pair[2],
              GError **error)
{
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_FAILED,
                   _("could not create the message channel: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Puts the channel and the passed descriptors at their numbers in the child,
 * and closes every other one above stderr. Each source is first copied above
 * the highest target (copies kept in @raised, to close after the spawn), so
 * that no dup2 can overwrite a source that a later one still needs. dup2 onto
 * a new number clears close-on-exec. */
static gboolean
place_fds (posix_spawn_file_actions_t *actions,
           TroupeCommand              *command,
           int                         channel_end,
           int                         channel_fd,
           GArray                     *raised,
           GError                    **error)
{
  guint n_passed = troupe_command_get_n_passed_fds (command);
  g_autoptr(GArray) sources = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (int));
  int highest = STDERR_FILENO;

  if (channel_fd >= 0)
    {
      g_array_append_val (sources, channel_end);
      g_array_append_val (targets, channel_fd);
    }
  for (guint i = 0; i < n_passed; i++)
    {
      int target;
      int source = troupe_command_get_passed_fd (command, i, &target);

      g_array_append_val (sources, source);
      g_array_append_val (targets, target);
    }
  for (guint i = 0; i < targets->len; i++)
    highest = MAX (highest, g_array_index (targets, int, i));

  for (guint i = 0; i < sources->len; i++)
    {
      int source = g_array_index (sources, int, i);

      if (source <= highest)
        {
          int copy = fcntl (source, F_DUPFD_CLOEXEC, highest + 1);

          if (copy < 0)
            {
              int saved_errno = errno;
              g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_FAILED,
                           _("could not pass a file descriptor: %s"), g_strerror (saved_errno));
              return FALSE;
            }
          g_array_append_val (raised, copy);
          source = copy;
        }
      posix_spawn_file_actions_adddup2 (actions, source, g_array_index (targets, int, i));
    }

  for (int fd = STDERR_FILENO + 1; fd < highest; fd++)
    {
      gboolean kept = FALSE;

      for (guint i = 0; i < targets->len && !kept; i++)
        kept = g_array_index (targets, int, i) == fd;
      if (!kept)
        posix_spawn_file_actions_addclose (actions, fd);
    }
  posix_spawn_file_actions_addclosefrom_np (actions, highest + 1);
  return TRUE;
}

static gboolean
troupe_local_launcher_spawn (TroupeLauncher     *launcher,
                             TroupeCommand      *command,
                             TroupeSpawnedChild *child,
                             GError            **error)
{
  const char * const *argv = troupe_command_get_argv (command);
  const char *cwd = troupe_command_get_cwd (command);
  g_auto(GStrv) envp = NULL;
  char * const *child_environ = environ;
  const char *search_path = g_getenv ("PATH");
  g_autofree char *program_path = NULL;
  const char *program = argv[0];
  gboolean search_ourselves = FALSE;
  int stdin_pipe[2] = { -1, -1 };
  int stdout_pipe[2] = { -1, -1 };
  int stderr_pipe[2] = { -1, -1 };
  int channel[2] = { -1, -1 };
  int channel_fd = troupe_command_get_channel_fd (command);
  g_autoptr(GArray) raised = g_array_new (FALSE, FALSE, sizeof (int));
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t signal_set;
  pid_t pid;
  int spawn_errno;

  if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
    {
      g_set_error_literal (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_EMPTY_COMMAND,
                           _("There is no command to run"));
      return FALSE;
    }

  if (cwd != NULL && !g_file_test (cwd, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NO_SUCH_FOLDER,
                   g_file_test (cwd, G_FILE_TEST_EXISTS) ? _("not a folder: %s")
                                                         : _("no such folder: %s"),
                   cwd);
      return FALSE;
    }

  /* The common case costs nothing extra: our own environment as it is, and
   * posix_spawnp searching our own PATH. The checks that explain a failure
   * ("permission denied", "is a folder") are made only once it has failed. */
  if (troupe_command_changes_environment (command))
    {
      g_auto(GStrv) base_environ = g_get_environ ();

      envp = troupe_command_build_environ (command, (const char * const *) base_environ);
      child_environ = envp;
      search_path = g_environ_getenv (envp, "PATH");
      search_ourselves = g_strcmp0 (search_path, g_getenv ("PATH")) != 0;
    }

  if (search_ourselves && strchr (argv[0], '/') == NULL)
    {
      /* posix_spawnp would search our PATH, not the one given to the child. */
      if (!set_error_for_lookup (find_program (argv[0], cwd, search_path, &program_path),
                                 argv[0], error))
        return FALSE;
      program = program_path;
    }

  if (!make_pipe (stdin_pipe, error) ||
      !make_pipe (stdout_pipe, error) ||
      !make_pipe (stderr_pipe, error) ||
      (channel_fd >= 0 && !make_channel (channel, error)))
    {
      close_fd_pair (stdin_pipe);
      close_fd_pair (stdout_pipe);
      close_fd_pair (stderr_pipe);
      close_fd_pair (channel);
      return FALSE;
    }

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, stdin_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2 (&actions, stdout_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (&actions, stderr_pipe[1], STDERR_FILENO);
  if (cwd != NULL)
    posix_spawn_file_actions_addchdir_np (&actions, cwd);
  /* Our own descriptors are close-on-exec already; this also catches any a library
   * opened without it, so only 0, 1 and 2 (and the channel, and any descriptor
   * the command passes) reach the child. */
  if (!place_fds (&actions, command, channel[1], channel_fd, raised, error))
    {
      posix_spawn_file_actions_destroy (&actions);
      for (guint i = 0; i < raised->len; i++)
        close (g_array_index (raised, int, i));
      close_fd_pair (stdin_pipe);
      close_fd_pair (stdout_pipe);
      close_fd_pair (stderr_pipe);
      close_fd_pair (channel);
      return FALSE;
    }

  posix_spawnattr_init (&attr);
  posix_spawnattr_setpgroup (&attr, 0);
  sigemptyset (&signal_set);
  posix_spawnattr_setsigmask (&attr, &signal_set);
  for (guint i = 0; i < G_N_ELEMENTS (inherited_ignored_signals); i++)
    sigaddset (&signal_set, inherited_ignored_signals[i]);
  posix_spawnattr_setsigdefault (&attr, &signal_set);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                   POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);

  if (strchr (program, '/') != NULL)
    spawn_errno = posix_spawn (&pid, program, &actions, &attr, (char * const *) argv,
                               child_environ);
  else
    spawn_errno = posix_spawnp (&pid, program, &actions, &attr, (char * const *) argv,
                                child_environ);

  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  for (guint i = 0; i < raised->len; i++)
    close (g_array_index (raised, int, i));
  close (stdin_pipe[0]);
  close (stdout_pipe[1]);
  close (stderr_pipe[1]);
  if (channel[1] >= 0)
    close (channel[1]);

  if (spawn_errno != 0)
    {
      close (stdin_pipe[1]);
      close (stdout_pipe[0]);
      close (stderr_pipe[0]);
      if (channel[0] >= 0)
        close (channel[0]);
      /* A folder that vanished since we checked fails the chdir action with ENOENT. */
      if (spawn_errno == ENOENT && cwd != NULL && !g_file_test (cwd, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NO_SUCH_FOLDER,
                       _("no such folder: %s"), cwd);
          return FALSE;
        }
      /* Say why, as a shell would: not found, not executable, or a folder. */
      if (spawn_errno == ENOENT || spawn_errno == EACCES)
        {
          g_autofree char *found = NULL;
          LookupResult result = find_program (argv[0], cwd, search_path, &found);

          if (result != LOOKUP_FOUND)
            return set_error_for_lookup (result, argv[0], error);
        }
      return set_error_for_errno (spawn_errno, argv[0], error);
    }

  /* A child that prints at full speed otherwise contends with us for a 64 KiB
   * pipe on every write; 1 MiB lets it run ahead while we handle a read. The
   * kernel allocates pipe pages as they fill, so quiet children cost nothing. */
  fcntl (stdout_pipe[0], F_SETPIPE_SZ, PIPE_SIZE);
  fcntl (stderr_pipe[0], F_SETPIPE_SZ, PIPE_SIZE);
  /* Fresh pipes have no other status flags to keep. */
  fcntl (stdin_pipe[1], F_SETFL, O_NONBLOCK);
  fcntl (stdout_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl (stderr_pipe[0], F_SETFL, O_NONBLOCK);

  child->pid = pid;
  child->stdin_fd = stdin_pipe[1];
  child->stdout_fd = stdout_pipe[0];
  child->stderr_fd = stderr_pipe[0];
  child->channel_fd = channel[0];
  return TRUE;
}

static void
troupe_local_launcher_class_init (TroupeLocalLauncherClass *klass)
{
  TROUPE_LAUNCHER_CLASS (klass)->spawn = troupe_local_launcher_spawn;
}

static void
troupe_local_launcher_init (TroupeLocalLauncher *self)
{
}

/**
 * troupe_local_launcher_new:
 *
 * Returns: (transfer full): a launcher for processes on this machine
 */
TroupeLauncher *
troupe_local_launcher_new (void)
{
  return g_object_new (TROUPE_TYPE_LOCAL_LAUNCHER, NULL);
}
