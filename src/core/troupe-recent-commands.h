/* troupe-recent-commands.h: the command lines a person ran lately, kept between sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TROUPE_RECENT_COMMANDS_ERROR (troupe_recent_commands_error_quark ())

typedef enum
{
  TROUPE_RECENT_COMMANDS_ERROR_MALFORMED,
} TroupeRecentCommandsError;

/* How many command lines are kept; adding more forgets the oldest. */
#define TROUPE_RECENT_COMMANDS_MAX 50

#define TROUPE_TYPE_RECENT_COMMANDS (troupe_recent_commands_get_type ())
G_DECLARE_FINAL_TYPE (TroupeRecentCommands, troupe_recent_commands, TROUPE, RECENT_COMMANDS,
                      GObject)

GQuark                troupe_recent_commands_error_quark   (void);

TroupeRecentCommands *troupe_recent_commands_new           (void);
TroupeRecentCommands *troupe_recent_commands_new_for_path  (const char            *path);
const char           *troupe_recent_commands_get_path      (TroupeRecentCommands  *self);
const char * const   *troupe_recent_commands_get           (TroupeRecentCommands  *self);
void                  troupe_recent_commands_add           (TroupeRecentCommands  *self,
                                                            const char            *command_line);
gboolean              troupe_recent_commands_load          (TroupeRecentCommands  *self,
                                                            GError               **error);
gboolean              troupe_recent_commands_save          (TroupeRecentCommands  *self,
                                                            GError               **error);
void                  troupe_recent_commands_save_async    (TroupeRecentCommands  *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              troupe_recent_commands_save_finish   (TroupeRecentCommands  *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

G_END_DECLS
