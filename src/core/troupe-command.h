/* troupe-command.h: what to run — argv or a shell line, folder, environment, name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TROUPE_TYPE_COMMAND (troupe_command_get_type ())
G_DECLARE_FINAL_TYPE (TroupeCommand, troupe_command, TROUPE, COMMAND, GObject)

#define TROUPE_DEFAULT_STOP_TIMEOUT_MS 5000
/* The highest fd a channel may be put at: well inside any descriptor limit. */
#define TROUPE_COMMAND_MAX_CHANNEL_FD  1023

TroupeCommand       *troupe_command_new_argv          (const char * const *argv);
TroupeCommand       *troupe_command_new_shell         (const char         *shell_line);
TroupeCommand       *troupe_command_copy              (TroupeCommand      *self);

const char * const  *troupe_command_get_argv          (TroupeCommand      *self);
const char          *troupe_command_get_shell_line    (TroupeCommand      *self);
gboolean             troupe_command_is_shell          (TroupeCommand      *self);
char                *troupe_command_to_display_string (TroupeCommand      *self);

const char          *troupe_command_get_name          (TroupeCommand      *self);
void                 troupe_command_set_name          (TroupeCommand      *self,
                                                       const char         *name);
const char          *troupe_command_get_given_name    (TroupeCommand      *self);
guint                troupe_command_get_n_environment_changes (TroupeCommand *self);
void                 troupe_command_get_environment_change    (TroupeCommand *self,
                                                               guint          index,
                                                               const char   **variable,
                                                               const char   **value);
const char          *troupe_command_get_cwd           (TroupeCommand      *self);
void                 troupe_command_set_cwd           (TroupeCommand      *self,
                                                       const char         *cwd);
void                 troupe_command_setenv            (TroupeCommand      *self,
                                                       const char         *variable,
                                                       const char         *value);
void                 troupe_command_unsetenv          (TroupeCommand      *self,
                                                       const char         *variable);
gboolean             troupe_command_changes_environment (TroupeCommand  *self);
char               **troupe_command_build_environ     (TroupeCommand      *self,
                                                       const char * const *base_environ);
guint64              troupe_command_get_memory_limit  (TroupeCommand      *self);
void                 troupe_command_set_memory_limit  (TroupeCommand      *self,
                                                       guint64             bytes);
guint                troupe_command_get_stop_timeout  (TroupeCommand      *self);
void                 troupe_command_set_stop_timeout  (TroupeCommand      *self,
                                                       guint               timeout_ms);

int                  troupe_command_get_channel_fd    (TroupeCommand      *self);
void                 troupe_command_set_channel_fd    (TroupeCommand      *self,
                                                       int                 fd);
gboolean             troupe_command_is_fork           (TroupeCommand      *self);
gboolean             troupe_command_add_initial_message (TroupeCommand    *self,
                                                         const char       *json_text,
                                                         GError          **error);
guint                troupe_command_get_n_initial_messages (TroupeCommand *self);
const char          *troupe_command_get_initial_message (TroupeCommand    *self,
                                                         guint             index);
gsize                troupe_command_get_max_message_size (TroupeCommand   *self);
void                 troupe_command_set_max_message_size (TroupeCommand   *self,
                                                          gsize            max_size);

void                 troupe_command_pass_fd           (TroupeCommand      *self,
                                                       int                 fd,
                                                       int                 target);
guint                troupe_command_get_n_passed_fds  (TroupeCommand      *self);
int                  troupe_command_get_passed_fd     (TroupeCommand      *self,
                                                       guint               index,
                                                       int                *target);

G_END_DECLS
