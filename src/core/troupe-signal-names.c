/* troupe-signal-names.c: POSIX signal numbers, names and what they mean to people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdlib.h>

#include "troupe-signal-names.h"

typedef struct
{
  int         number;
  const char *name;
  const char *description;
} SignalInfo;

/* The table is in number order on Linux; lookups are by linear scan since there are
 * only a few dozen entries and this is never on a hot path. */
static const SignalInfo signal_table[] = {
  { SIGHUP,    "SIGHUP",    N_("hangup") },
  { SIGINT,    "SIGINT",    N_("interrupt") },
  { SIGQUIT,   "SIGQUIT",   N_("quit") },
  { SIGILL,    "SIGILL",    N_("illegal instruction") },
  { SIGTRAP,   "SIGTRAP",   N_("trace trap") },
  { SIGABRT,   "SIGABRT",   N_("aborted") },
  { SIGBUS,    "SIGBUS",    N_("bus error") },
  { SIGFPE,    "SIGFPE",    N_("arithmetic error") },
  { SIGKILL,   "SIGKILL",   N_("killed") },
  { SIGUSR1,   "SIGUSR1",   N_("user signal 1") },
  { SIGSEGV,   "SIGSEGV",   N_("segmentation fault") },
  { SIGUSR2,   "SIGUSR2",   N_("user signal 2") },
  { SIGPIPE,   "SIGPIPE",   N_("broken pipe") },
  { SIGALRM,   "SIGALRM",   N_("alarm clock") },
  { SIGTERM,   "SIGTERM",   N_("terminated") },
#ifdef SIGSTKFLT
  { SIGSTKFLT, "SIGSTKFLT", N_("stack fault") },
#endif
  { SIGCHLD,   "SIGCHLD",   N_("child status changed") },
  { SIGCONT,   "SIGCONT",   N_("continued") },
  { SIGSTOP,   "SIGSTOP",   N_("stopped") },
  { SIGTSTP,   "SIGTSTP",   N_("stopped from terminal") },
  { SIGTTIN,   "SIGTTIN",   N_("terminal input while in background") },
  { SIGTTOU,   "SIGTTOU",   N_("terminal output while in background") },
  { SIGURG,    "SIGURG",    N_("urgent socket data") },
  { SIGXCPU,   "SIGXCPU",   N_("CPU time limit exceeded") },
  { SIGXFSZ,   "SIGXFSZ",   N_("file size limit exceeded") },
  { SIGVTALRM, "SIGVTALRM", N_("virtual timer expired") },
  { SIGPROF,   "SIGPROF",   N_("profiling timer expired") },
  { SIGWINCH,  "SIGWINCH",  N_("window size changed") },
  { SIGIO,     "SIGIO",     N_("I/O possible") },
#ifdef SIGPWR
  { SIGPWR,    "SIGPWR",    N_("power failure") },
#endif
  { SIGSYS,    "SIGSYS",    N_("bad system call") },
};

static const SignalInfo *
find_signal (int signal_number)
{
  for (gsize i = 0; i < G_N_ELEMENTS (signal_table); i++)
    if (signal_table[i].number == signal_number)
      return &signal_table[i];
  return NULL;
}

/**
 * troupe_signal_name:
 * @signal_number: a signal number
 *
 * Returns: the conventional name ("SIGSEGV"), or "SIGRTMIN+N" for real-time
 *   signals, or "signal N" for numbers the table does not know. The string is
 *   static or interned.
 */
const char *
troupe_signal_name (int signal_number)
{
  const SignalInfo *info = find_signal (signal_number);
  g_autofree char *built = NULL;

  if (info != NULL)
    return info->name;

  if (signal_number >= SIGRTMIN && signal_number <= SIGRTMAX)
    built = g_strdup_printf ("SIGRTMIN+%d", signal_number - SIGRTMIN);
  else
    built = g_strdup_printf ("signal %d", signal_number);

  return g_intern_string (built);
}

/**
 * troupe_signal_description:
 * @signal_number: a signal number
 *
 * Returns: what the signal means, translated ("segmentation fault"), or %NULL
 */
const char *
troupe_signal_description (int signal_number)
{
  const SignalInfo *info = find_signal (signal_number);

  if (info == NULL)
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, info->description);
}

/**
 * troupe_signal_from_name:
 * @name: "SIGTERM", "TERM", "term" or a number ("15")
 *
 * Returns: the signal number, or 0 if @name is not a signal
 */
int
troupe_signal_from_name (const char *name)
{
  const char *bare;
  guint64 number;

  g_return_val_if_fail (name != NULL, 0);

  if (g_ascii_string_to_unsigned (name, 10, 1, SIGRTMAX, &number, NULL))
    return (int) number;

  bare = g_ascii_strncasecmp (name, "SIG", 3) == 0 ? name + 3 : name;
  for (gsize i = 0; i < G_N_ELEMENTS (signal_table); i++)
    if (g_ascii_strcasecmp (signal_table[i].name + 3, bare) == 0)
      return signal_table[i].number;

  return 0;
}
