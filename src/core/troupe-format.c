/* troupe-format.c: durations and states as people read them
 *
 * Shared by the window and the command line, so both say the same thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "troupe-format.h"
#include "troupe-signal-names.h"

/**
 * troupe_format_duration:
 * @microseconds: a duration
 *
 * Returns: (transfer full): "0.4 s", "12 s", "3 min 05 s", "2 h 07 min"
 */
char *
troupe_format_duration (gint64 microseconds)
{
  gint64 seconds = microseconds / G_USEC_PER_SEC;

  if (microseconds < 0)
    microseconds = 0;
  if (microseconds < 10 * G_USEC_PER_SEC)
    /* Translators: a duration under ten seconds, with one decimal */
    return g_strdup_printf (_("%.1f s"), microseconds / (double) G_USEC_PER_SEC);
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (int) (seconds / 60), (int) (seconds % 60));
  return g_strdup_printf (_("%d h %02d min"), (int) (seconds / 3600),
                          (int) ((seconds % 3600) / 60));
}

/**
 * troupe_format_state_icon:
 *
 * Returns: a symbolic icon name for the run's state
 */
const char *
troupe_format_state_icon (TroupeProcess *process)
{
  switch (troupe_process_get_state (process))
    {
    case TROUPE_PROCESS_STATE_STARTING:
    case TROUPE_PROCESS_STATE_RUNNING:
      return "media-playback-start-symbolic";
    case TROUPE_PROCESS_STATE_EXITED:
      return troupe_process_get_exit_code (process) == 0 ? "emblem-ok-symbolic"
                                                         : "dialog-warning-symbolic";
    case TROUPE_PROCESS_STATE_SIGNALED:
      return "process-stop-symbolic";
    case TROUPE_PROCESS_STATE_FAILED_TO_START:
      return "dialog-error-symbolic";
    default:
      g_assert_not_reached ();
    }
}

/**
 * troupe_format_exit_badge:
 *
 * Returns: (transfer full) (nullable): "3" or "SIGSEGV" for an ended run, "!"
 *   for one that failed to start, %NULL while it runs
 */
char *
troupe_format_exit_badge (TroupeProcess *process)
{
  switch (troupe_process_get_state (process))
    {
    case TROUPE_PROCESS_STATE_STARTING:
    case TROUPE_PROCESS_STATE_RUNNING:
      return NULL;
    case TROUPE_PROCESS_STATE_EXITED:
      return g_strdup_printf ("%d", troupe_process_get_exit_code (process));
    case TROUPE_PROCESS_STATE_SIGNALED:
      return g_strdup (troupe_signal_name (troupe_process_get_term_signal (process)));
    case TROUPE_PROCESS_STATE_FAILED_TO_START:
      return g_strdup ("!");
    default:
      g_assert_not_reached ();
    }
}

/**
 * troupe_format_raw_excerpt:
 * @data: (array length=length) (nullable): bytes from outside, in any state
 * @length: their length
 * @max_chars: how many characters to show at most
 *
 * Shows bytes that could not be taken (a bad message, say) so that a person
 * can see what they were: text as it is, control characters as \n, \t or
 * \xNN, and bytes that are not UTF-8 as \xNN. Longer input ends in "…".
 *
 * Returns: (transfer full): valid UTF-8 on one line
 */
char *
troupe_format_raw_excerpt (const guint8 *data,
                           gsize         length,
                           guint         max_chars)
{
  GString *excerpt = g_string_new (NULL);
  const char *p = (const char *) data;
  const char *end = p + length;
  guint shown = 0;

  while (p < end && shown < max_chars)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (excerpt, "\\x%02X", (guchar) *p);
          p++;
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          if (c == '\n')
            g_string_append (excerpt, "\\n");
          else if (c == '\r')
            g_string_append (excerpt, "\\r");
          else if (c == '\t')
            g_string_append (excerpt, "\\t");
          else if (c == '\\')
            g_string_append (excerpt, "\\\\");
          else if (c < 0x20 || c == 0x7F)
            g_string_append_printf (excerpt, "\\x%02X", (guint) c);
          else
            g_string_append_len (excerpt, p, next - p);
          p = next;
        }
      shown++;
    }
  if (p < end)
    g_string_append (excerpt, "…");
  return g_string_free (excerpt, FALSE);
}

/**
 * troupe_format_member_state:
 *
 * Returns: (transfer full): the member's state for a person: "Listening",
 *   "Restarting in 3 s", …
 */
char *
troupe_format_member_state (TroupeClusterMember *member)
{
  TroupeMemberState state = troupe_cluster_member_get_state (member);
  gint64 restart_at;
  int seconds;

  switch (state)
    {
    case TROUPE_MEMBER_STARTING:
      return g_strdup (C_("member state", "Starting"));
    case TROUPE_MEMBER_ONLINE:
      return g_strdup (C_("member state", "Online"));
    case TROUPE_MEMBER_LISTENING:
      return g_strdup (C_("member state", "Listening"));
    case TROUPE_MEMBER_STOPPING:
      return g_strdup (C_("member state", "Stopping"));
    case TROUPE_MEMBER_EXITED:
      return g_strdup (C_("member state", "Exited"));
    case TROUPE_MEMBER_RESTARTING:
      restart_at = troupe_cluster_member_get_restart_at (member);
      /* Rounded up: "in 0 s" would read as if it were not going to happen. */
      seconds = (int) MAX (0, (restart_at - g_get_monotonic_time () + G_USEC_PER_SEC - 1) /
                                G_USEC_PER_SEC);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Restarting in %d s",
                                           "Restarting in %d s", seconds), seconds);
    case TROUPE_MEMBER_CRASH_LOOPING:
      return g_strdup (C_("member state", "Crash-looping"));
    default:
      g_assert_not_reached ();
    }
}

/**
 * troupe_format_member_icon:
 *
 * Returns: a symbolic icon name for the member's state
 */
const char *
troupe_format_member_icon (TroupeClusterMember *member)
{
  switch (troupe_cluster_member_get_state (member))
    {
    case TROUPE_MEMBER_STARTING:
    case TROUPE_MEMBER_ONLINE:
    case TROUPE_MEMBER_LISTENING:
      return "media-playback-start-symbolic";
    case TROUPE_MEMBER_STOPPING:
    case TROUPE_MEMBER_EXITED:
      return "process-stop-symbolic";
    case TROUPE_MEMBER_RESTARTING:
      return "view-refresh-symbolic";
    case TROUPE_MEMBER_CRASH_LOOPING:
      return "dialog-error-symbolic";
    default:
      g_assert_not_reached ();
    }
}

/**
 * troupe_format_member_exit:
 * @member_exit: an entry of a member's timeline
 *
 * Returns: (transfer full): "Exited with code 3", "Killed by SIGKILL (killed)"
 */
char *
troupe_format_member_exit (const TroupeMemberExit *member_exit)
{
  const char *description;

  if (!member_exit->signaled)
    return g_strdup_printf (_("Exited with code %d"), member_exit->code_or_signal);
  description = troupe_signal_description (member_exit->code_or_signal);
  if (description != NULL)
    return g_strdup_printf (_("Killed by %s (%s)"),
                            troupe_signal_name (member_exit->code_or_signal), description);
  return g_strdup_printf (_("Killed by %s"), troupe_signal_name (member_exit->code_or_signal));
}
