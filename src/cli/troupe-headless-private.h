/* troupe-headless-private.h: what the headless run's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-headless.h"

G_BEGIN_DECLS

struct _TroupeHeadless
{
  GObject               parent_instance;

  TroupeCommand        *command;
  TroupeHeadlessFormat  format;
  TroupeSession        *session;
  TroupeProcess        *process;
  GMainLoop            *loop;
  guint                 stdin_source;
  guint                 sigint_source;
  guint                 sigterm_source;
  guint                 sighup_source;
  guint                 stop_requests;
  gboolean              stdout_broken;
  gboolean              stdin_forwarding;
  /* Once the spool fails, JSON lines are split here from the raw output. */
  gboolean              spool_failed;
  GString              *partial[2];
  /* A fork: our stdin is read as messages, a line each */
  TroupeChannel        *channel;
  GString              *stdin_line;
  /* --stats: milliseconds between lines, 0 for none */
  guint                 stats_interval;
};

void _troupe_headless_write_fully       (TroupeHeadless *self,
                                         int             fd,
                                         const char     *data,
                                         gsize           length);
void _troupe_headless_append_json_string (GString       *event,
                                          const char    *text);
void _troupe_headless_print_event       (TroupeHeadless *self,
                                         GString        *event);
void _troupe_headless_watch_channel     (TroupeHeadless *self);
void _troupe_headless_unwatch_channel   (TroupeHeadless *self);

G_END_DECLS
