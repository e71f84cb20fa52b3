/* troupe-group-scan.c: who is still alive in a process group, read from /proc
 *
 * Linux offers no call that lists a process group, and kill(-pgid, 0) cannot
 * answer "is anyone left?" while we hold the leader as a zombie (the zombie
 * itself counts). So the group's members are found the way ps finds them: by
 * reading the process group of every process in /proc. That is a few hundred
 * small reads, done on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-group-scan.h"

/* Reads the state and process group from /proc/PID/stat; FALSE if it is gone. */
static gboolean
read_stat (const char *pid_text,
           char       *state,
           GPid       *group_id)
{
  char path[64];
  char buffer[512];
  const char *after_name;
  ssize_t length;
  int fd;

  g_snprintf (path, sizeof path, "/proc/%s/stat", pid_text);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  length = read (fd, buffer, sizeof buffer - 1);
  close (fd);
  if (length <= 0)
    return FALSE;
  buffer[length] = '\0';

  /* "PID (COMM) STATE PPID PGRP …": COMM may hold spaces and parentheses. */
  after_name = strrchr (buffer, ')');
  if (after_name == NULL || after_name[1] != ' ')
    return FALSE;
  *state = after_name[2];
  after_name = strchr (after_name + 4, ' '); /* skip " S " and PPID */
  if (after_name == NULL)
    return FALSE;
  *group_id = (GPid) strtol (after_name + 1, NULL, 10);
  return TRUE;
}

/**
 * troupe_group_scan_last_pid:
 *
 * Returns: the pid most recently given to a new process or thread in our pid
 *   namespace, or 0 if the kernel does not say
 */
GPid
troupe_group_scan_last_pid (void)
{
  char buffer[32];
  ssize_t length;
  int fd = open ("/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return 0;
  length = read (fd, buffer, sizeof buffer - 1);
  close (fd);
  if (length <= 0)
    return 0;
  buffer[length] = '\0';
  return (GPid) strtol (buffer, NULL, 10);
}

/**
 * troupe_group_scan_count_members:
 * @group_id: a process group id
 * @except_pid: a process not to count (the group's leader, held as a zombie)
 * @newer_than: look only at pids above this one (0 for all); see
 *   troupe_group_scan_last_pid() for when that is safe
 *
 * Blocks on /proc: call it from a worker thread, unless @newer_than leaves
 * only a handful of processes to read.
 *
 * Returns: how many living processes (zombies and dead ones aside) are in the group
 */
guint
troupe_group_scan_count_members (GPid group_id,
                                 GPid except_pid,
                                 GPid newer_than)
{
  DIR *proc = opendir ("/proc");
  struct dirent *entry;
  guint members = 0;

  if (proc == NULL)
    return 0;

  while ((entry = readdir (proc)) != NULL)
    {
      char state;
      GPid member_group;
      GPid pid;

      if (!g_ascii_isdigit (entry->d_name[0]))
        continue;
      pid = atoi (entry->d_name);
      if (pid == except_pid || pid <= newer_than)
        continue;
      if (read_stat (entry->d_name, &state, &member_group) && member_group == group_id &&
          state != 'Z' && state != 'X' && state != 'x')
        members++;
    }

  closedir (proc);
  return members;
}

typedef struct
{
  GPid group_id;
  GPid except_pid;
} ScanRequest;

static void
scan_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const ScanRequest *request = task_data;

  g_task_return_int (task, troupe_group_scan_count_members (request->group_id,
                                                            request->except_pid, 0));
}

/**
 * troupe_group_scan_count_members_async:
 * @source_object: (nullable): the object the result belongs to
 *
 * Runs troupe_group_scan_count_members() on a worker thread.
 */
void
troupe_group_scan_count_members_async (GPid                 group_id,
                                       GPid                 except_pid,
                                       GObject             *source_object,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  ScanRequest *request = g_new (ScanRequest, 1);

  request->group_id = group_id;
  request->except_pid = except_pid;
  g_task_set_source_tag (task, troupe_group_scan_count_members_async);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, scan_in_thread);
}

/**
 * troupe_group_scan_count_members_finish:
 *
 * Returns: how many living processes are in the group
 */
guint
troupe_group_scan_count_members_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        troupe_group_scan_count_members_async, 0);

  return (guint) g_task_propagate_int (G_TASK (result), error);
}
