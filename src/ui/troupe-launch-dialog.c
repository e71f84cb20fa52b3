/* troupe-launch-dialog.c: the dialog that starts a new job from a typed command line
 *
 * The line is read as a shell would split it (g_shell_parse_argv) while it is
 * typed, and a line that cannot be read says why under the entry instead of
 * running. "Run in Shell" hands the line to /bin/sh as it is, for pipes and
 * globs. Whether the program exists is not checked here: the job says so.
 * Recent command lines matching what is typed are offered in a popover under
 * the entry; Down and Up move through them, Enter takes one. In Fork mode the
 * job gets a JSON message channel, as Node's child_process.fork() makes one,
 * at the file descriptor chosen (3, as Node has it, unless changed). In
 * Cluster mode it runs as several members sharing one listening socket; the
 * address is checked as it is typed, and whether it can be bound is told by
 * the window once the cluster starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "troupe-cluster.h"
#include "troupe-launch-dialog.h"
#include "troupe-listener.h"

#define MAX_RECENT_SHOWN 8

struct _TroupeLaunchDialog
{
  AdwWindow             parent_instance;

  TroupeRecentCommands *recent_commands;
  char                 *folder;
  GtkFileChooserNative *folder_chooser;
  GtkPopover           *recent_popover;
  GtkListBox           *recent_list;
  GtkWidget            *recent_scroller;
  GPtrArray            *variable_rows;
  gboolean              picking_recent;

  AdwEntryRow          *command_row;
  GtkLabel             *command_error_label;
  AdwComboRow          *mode_row;
  AdwActionRow         *channel_fd_row;
  GtkSpinButton        *channel_fd_spin;
  AdwPreferencesGroup  *cluster_group;
  GtkSpinButton        *instances_spin;
  AdwEntryRow          *listen_row;
  GtkLabel             *listen_error_label;
  GtkSwitch            *shell_switch;
  AdwActionRow         *folder_row;
  AdwEntryRow          *name_row;
  GtkSpinButton        *memory_limit_spin;
  AdwPreferencesGroup  *environment_group;
  GtkButton            *add_variable_button;
  GtkButton            *run_button;
};

enum {
  PROP_0,
  PROP_RECENT_COMMANDS,
  N_PROPS
};

enum {
  RUN_COMMAND,
  RUN_CLUSTER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeLaunchDialog, troupe_launch_dialog, ADW_TYPE_WINDOW)

/* Why a line g_shell_parse_argv() refused cannot be read, in a few words: its
 * own messages quote the whole line back. Quotes are followed as it does. */
static char *
describe_parse_error (const char   *line,
                      const GError *error)
{
  gboolean in_single = FALSE;
  gboolean in_double = FALSE;
  gboolean escaped = FALSE;

  if (!g_error_matches (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING))
    return g_strdup_printf (_("This command line cannot be read: %s"), error->message);

  for (const char *p = line; *p != '\0'; p++)
    {
      if (escaped)
        escaped = FALSE;
      else if (in_single)
        in_single = *p != '\'';
      else if (*p == '\\')
        escaped = TRUE;
      else if (in_double)
        in_double = *p != '"';
      else if (*p == '\'')
        in_single = TRUE;
      else if (*p == '"')
        in_double = TRUE;
    }

  if (escaped)
    return g_strdup (_("The line ends with a backslash: nothing follows it to escape"));
  if (in_single)
    return g_strdup (_("Unmatched quote: a single quote (') is never closed"));
  if (in_double)
    return g_strdup (_("Unmatched quote: a double quote (\") is never closed"));
  return g_strdup (_("Unmatched quote"));
}

/* Checks the command line and shows what is wrong with it. */
static gboolean
check_command_line (TroupeLaunchDialog *self)
{
  const char *line = gtk_editable_get_text (GTK_EDITABLE (self->command_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean valid = g_shell_parse_argv (line, NULL, NULL, &error);

  /* An empty line is not wrong, only not ready. */
  if (!valid && !g_error_matches (error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
    message = describe_parse_error (line, error);

  gtk_label_set_text (self->command_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->command_error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->command_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->command_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->command_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  return valid;
}

/* Environment variables: a row each, with a name and a value entry. */

static GtkEditable *
variable_name_entry (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "troupe-name-entry");
}

static GtkEditable *
variable_value_entry (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "troupe-value-entry");
}

static gboolean
variable_is_blank (GtkWidget *row)
{
  return gtk_editable_get_text (variable_name_entry (row))[0] == '\0' &&
         gtk_editable_get_text (variable_value_entry (row))[0] == '\0';
}

/* What is wrong with a row's name, or NULL. A row left blank is ignored. */
static const char *
variable_name_problem (GtkWidget *row)
{
  const char *name = gtk_editable_get_text (variable_name_entry (row));

  if (variable_is_blank (row))
    return NULL;
  if (name[0] == '\0')
    return _("Give the variable a name");
  if (strchr (name, '=') != NULL)
    return _("A variable name cannot contain “=”");
  return NULL;
}

static gboolean
check_variable (GtkWidget *row)
{
  GtkWidget *name_entry = GTK_WIDGET (variable_name_entry (row));
  GtkLabel *error_label = g_object_get_data (G_OBJECT (row), "troupe-error-label");
  const char *problem = variable_name_problem (row);

  gtk_label_set_text (error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (error_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (name_entry, "error");
  else
    gtk_widget_remove_css_class (name_entry, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (name_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               problem != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  return problem == NULL;
}

enum
{
  MODE_RUN,
  MODE_FORK,
  MODE_CLUSTER,
};

static gboolean
is_cluster_mode (TroupeLaunchDialog *self)
{
  return adw_combo_row_get_selected (self->mode_row) == MODE_CLUSTER;
}

/* Checks the listen address of a cluster and shows what is wrong with it. */
static gboolean
check_listen_address (TroupeLaunchDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->listen_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port;
  gboolean valid = !is_cluster_mode (self) ||
                   troupe_listen_parse_address (text, &host, &port, &error);

  gtk_widget_set_visible (GTK_WIDGET (self->listen_error_label), !valid);
  gtk_label_set_text (self->listen_error_label, valid ? "" : error->message);
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->listen_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->listen_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->listen_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  return valid;
}

static void
update_run_enabled (TroupeLaunchDialog *self)
{
  gboolean ready = check_command_line (self);

  ready = check_listen_address (self) && ready;

  for (guint i = 0; i < self->variable_rows->len; i++)
    ready = check_variable (g_ptr_array_index (self->variable_rows, i)) && ready;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "launch.run", ready);
}

static void
on_variable_changed (TroupeLaunchDialog *self)
{
  update_run_enabled (self);
}

static void
on_remove_variable_clicked (GtkButton *button,
                            GtkWidget *row)
{
  TroupeLaunchDialog *self =
    TROUPE_LAUNCH_DIALOG (gtk_widget_get_ancestor (row, TROUPE_TYPE_LAUNCH_DIALOG));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* The focus must not go with the row: it goes to where rows are added. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, row))
    gtk_widget_grab_focus (GTK_WIDGET (self->add_variable_button));
  g_ptr_array_remove (self->variable_rows, row);
  adw_preferences_group_remove (self->environment_group, row);
  update_run_enabled (self);
}

static GtkWidget *
new_variable_entry (TroupeLaunchDialog *self,
                    const char         *placeholder,
                    const char         *accessible_label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_hints (GTK_ENTRY (entry),
                             GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_NO_EMOJI);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (entry, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_variable_changed), self,
                           G_CONNECT_SWAPPED);
  return entry;
}

static GtkWidget *
add_variable_row (TroupeLaunchDialog *self)
{
  /* A preferences row, so that the group shows it in its boxed list. */
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *entries = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name_entry = new_variable_entry (self, _("NAME"), _("Variable Name"));
  GtkWidget *equals = gtk_label_new ("=");
  GtkWidget *value_entry = new_variable_entry (self, _("value"), _("Variable Value"));
  GtkWidget *remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *error_label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Variable"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_editable_set_width_chars (GTK_EDITABLE (name_entry), 12);
  gtk_widget_add_css_class (equals, "dim-label");
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_set_tooltip_text (remove_button, _("Remove Variable"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Variable"),
                                  -1);
  g_signal_connect (remove_button, "clicked", G_CALLBACK (on_remove_variable_clicked), row);

  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_set_margin_start (error_label, 6);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_add_css_class (error_label, "caption");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (name_entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (entries), name_entry);
  gtk_box_append (GTK_BOX (entries), equals);
  gtk_box_append (GTK_BOX (entries), value_entry);
  gtk_box_append (GTK_BOX (entries), remove_button);
  gtk_box_append (GTK_BOX (box), entries);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "troupe-name-entry", name_entry);
  g_object_set_data (G_OBJECT (row), "troupe-value-entry", value_entry);
  g_object_set_data (G_OBJECT (row), "troupe-error-label", error_label);
  g_ptr_array_add (self->variable_rows, row);
  adw_preferences_group_add (self->environment_group, row);
  gtk_widget_grab_focus (name_entry);
  update_run_enabled (self);
  return row;
}

static void
on_add_variable (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  add_variable_row (TROUPE_LAUNCH_DIALOG (widget));
}

/* Recent command lines, offered under the entry. */

static gboolean
recent_popover_is_shown (TroupeLaunchDialog *self)
{
  /* Focus leaves the entry as the dialog is destroyed, after the popover went. */
  return self->recent_popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->recent_popover));
}

static void
hide_recent (TroupeLaunchDialog *self)
{
  if (recent_popover_is_shown (self))
    gtk_popover_popdown (self->recent_popover);
}

static void
pick_recent (TroupeLaunchDialog *self,
             GtkListBoxRow      *row)
{
  const char *line = g_object_get_data (G_OBJECT (row), "troupe-command-line");

  self->picking_recent = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->command_row), line);
  gtk_editable_set_position (GTK_EDITABLE (self->command_row), -1);
  self->picking_recent = FALSE;
  hide_recent (self);
}

static void
on_recent_row_activated (TroupeLaunchDialog *self,
                         GtkListBoxRow      *row)
{
  pick_recent (self, row);
}

static GtkWidget *
new_recent_row (const char *line)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (line);

  /* The entry keeps the focus while the list is shown. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "troupe-command-line", g_strdup (line), g_free);
  return row;
}

static void
update_recent (TroupeLaunchDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->command_row));
  const char * const *lines = troupe_recent_commands_get (self->recent_commands);
  g_autofree char *wanted = g_utf8_casefold (text, -1);
  guint n_shown = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; text[0] != '\0' && lines[i] != NULL && n_shown < MAX_RECENT_SHOWN; i++)
    {
      g_autofree char *line = g_utf8_casefold (lines[i], -1);

      if (strstr (line, wanted) == NULL || g_str_equal (lines[i], text))
        continue;
      gtk_list_box_append (self->recent_list, new_recent_row (lines[i]));
      n_shown++;
    }

  if (n_shown == 0)
    {
      hide_recent (self);
      return;
    }
  gtk_widget_set_size_request (self->recent_scroller,
                               MAX (gtk_widget_get_width (GTK_WIDGET (self->command_row)) - 12,
                                    240),
                               -1);
  if (!recent_popover_is_shown (self))
    gtk_popover_popup (self->recent_popover);
}

static void
select_recent (TroupeLaunchDialog *self,
               int                 step)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->recent_list);
  int index = (selected != NULL ? gtk_list_box_row_get_index (selected) : -1) + step;
  GtkListBoxRow *row = index >= 0 ? gtk_list_box_get_row_at_index (self->recent_list, index)
                                  : NULL;

  /* Up from the first row goes back to what was typed. */
  if (index < 0)
    gtk_list_box_unselect_all (self->recent_list);
  else if (row != NULL)
    gtk_list_box_select_row (self->recent_list, row);
}

static gboolean
on_command_key_pressed (TroupeLaunchDialog *self,
                        guint               keyval,
                        guint               keycode,
                        GdkModifierType     state)
{
  GtkListBoxRow *selected;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!recent_popover_is_shown (self))
        update_recent (self);
      else
        select_recent (self, 1);
      return recent_popover_is_shown (self);

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!recent_popover_is_shown (self))
        return GDK_EVENT_PROPAGATE;
      select_recent (self, -1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      selected = gtk_list_box_get_selected_row (self->recent_list);
      if (!recent_popover_is_shown (self) || selected == NULL)
        return GDK_EVENT_PROPAGATE;
      pick_recent (self, selected);
      return GDK_EVENT_STOP;

    case GDK_KEY_Escape:
      if (!recent_popover_is_shown (self))
        return GDK_EVENT_PROPAGATE;
      hide_recent (self);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
on_command_changed (TroupeLaunchDialog *self)
{
  update_run_enabled (self);
  if (!self->picking_recent)
    update_recent (self);
}

static void
on_shell_toggled (TroupeLaunchDialog *self)
{
  update_run_enabled (self);
}


static gboolean
is_fork_mode (TroupeLaunchDialog *self)
{
  return adw_combo_row_get_selected (self->mode_row) == MODE_FORK;
}

static void
on_mode_changed (TroupeLaunchDialog *self)
{
  gboolean fork = is_fork_mode (self);
  gboolean cluster = is_cluster_mode (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row),
                               fork ? _("With a JSON message channel, as Node’s "
                                        "child_process.fork() gives one; its messages "
                                        "are shown beside the output")
                               : cluster ? _("Several members sharing one listening socket, "
                                             "restarted when they fail, as Node’s cluster "
                                             "module runs them")
                                         : _("Its output, its input and how it ends"));
  gtk_widget_set_visible (GTK_WIDGET (self->channel_fd_row), fork);
  gtk_widget_set_visible (GTK_WIDGET (self->cluster_group), cluster);
  update_run_enabled (self);
}

static void
setup_recent_popover (TroupeLaunchDialog *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->recent_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->recent_list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (self->recent_list, TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->recent_list), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->recent_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recent Commands"),
                                  -1);
  g_signal_connect_object (self->recent_list, "row-activated",
                           G_CALLBACK (on_recent_row_activated), self, G_CONNECT_SWAPPED);

  self->recent_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->recent_scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->recent_scroller),
                                                    TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->recent_scroller), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->recent_scroller),
                                 GTK_WIDGET (self->recent_list));

  /* Not modal: typing goes on in the entry while it is shown. */
  self->recent_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->recent_popover, FALSE);
  gtk_popover_set_has_arrow (self->recent_popover, FALSE);
  gtk_popover_set_position (self->recent_popover, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->recent_popover), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->recent_popover), "menu");
  gtk_popover_set_child (self->recent_popover, self->recent_scroller);
  gtk_widget_set_parent (GTK_WIDGET (self->recent_popover), GTK_WIDGET (self->command_row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->command_row),
                                  GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE,
                                  GTK_ACCESSIBLE_AUTOCOMPLETE_LIST,
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);

  /* Before the entry sees them, so arrows and Enter work the list. */
  gtk_event_controller_set_name (keys, "troupe-recent-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_command_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->command_row), keys);

  g_signal_connect_object (focus, "leave", G_CALLBACK (hide_recent), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->command_row), focus);
}

/* The working folder. */

static void
set_folder (TroupeLaunchDialog *self,
            const char         *folder)
{
  g_autofree char *shown = g_filename_display_name (folder);

  g_free (self->folder);
  self->folder = g_strdup (folder);
  adw_action_row_set_subtitle (self->folder_row, shown);
}

static void
on_folder_response (GtkNativeDialog    *chooser,
                    int                 response,
                    TroupeLaunchDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* A folder with no local path (a network location) cannot be a child's cwd. */
      if (path != NULL)
        set_folder (self, path);
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->folder_chooser);
}

static void
on_folder_clicked (TroupeLaunchDialog *self)
{
  g_autoptr(GFile) current = g_file_new_for_path (self->folder);

  if (self->folder_chooser != NULL)
    return;

  self->folder_chooser = gtk_file_chooser_native_new (_("Choose Working Folder"),
                                                      GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                      _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->folder_chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->folder_chooser), current, NULL);
  g_signal_connect (self->folder_chooser, "response", G_CALLBACK (on_folder_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

/* Running. */

static TroupeCommand *
build_command (TroupeLaunchDialog *self)
{
  const char *typed_line = gtk_editable_get_text (GTK_EDITABLE (self->command_row));
  const char *typed_name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *line = g_strstrip (g_strdup (typed_line));
  g_autofree char *name = g_strstrip (g_strdup (typed_name));
  g_autoptr(TroupeCommand) command = NULL;
  g_auto(GStrv) argv = NULL;

  if (!g_shell_parse_argv (line, NULL, &argv, NULL))
    return NULL;

  if (gtk_switch_get_active (self->shell_switch))
    command = troupe_command_new_shell (line);
  else
    command = troupe_command_new_argv ((const char * const *) argv);
  if (name[0] != '\0')
    troupe_command_set_name (command, name);
  troupe_command_set_cwd (command, self->folder);
  /* In MiB, as troupe --memory-limit counts and the restart reason tells. */
  troupe_command_set_memory_limit (command,
                                   (guint64) gtk_spin_button_get_value_as_int (
                                     self->memory_limit_spin) * 1024 * 1024);
  if (is_fork_mode (self))
    troupe_command_set_channel_fd (command,
                                   gtk_spin_button_get_value_as_int (self->channel_fd_spin));

  for (guint i = 0; i < self->variable_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->variable_rows, i);

      if (variable_is_blank (row))
        continue;
      if (variable_name_problem (row) != NULL)
        return NULL;
      troupe_command_setenv (command, gtk_editable_get_text (variable_name_entry (row)),
                             gtk_editable_get_text (variable_value_entry (row)));
    }
  return g_steal_pointer (&command);
}

static void
on_recent_saved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Losing the list of recent commands is no reason to stop anyone. */
  if (!troupe_recent_commands_save_finish (TROUPE_RECENT_COMMANDS (object), result, &error))
    g_message ("Recent commands not saved: %s", error->message);
}

static void
on_run (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  g_autoptr(TroupeLaunchDialog) self = g_object_ref (TROUPE_LAUNCH_DIALOG (widget));
  g_autoptr(TroupeCommand) command = build_command (self);

  if (command == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  hide_recent (self);
  troupe_recent_commands_add (self->recent_commands,
                              gtk_editable_get_text (GTK_EDITABLE (self->command_row)));
  troupe_recent_commands_save_async (self->recent_commands, NULL, on_recent_saved, NULL);
  if (is_cluster_mode (self))
    {
      g_autofree char *host = NULL;
      guint16 port;

      if (!troupe_listen_parse_address (gtk_editable_get_text (GTK_EDITABLE (self->listen_row)),
                                        &host, &port, NULL))
        {
          gtk_widget_error_bell (widget);
          return;
        }
      g_signal_emit (self, signals[RUN_CLUSTER], 0, command,
                     (guint) gtk_spin_button_get_value_as_int (self->instances_spin), host,
                     (guint) port);
    }
  else
    g_signal_emit (self, signals[RUN_COMMAND], 0, command);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
troupe_launch_dialog_constructed (GObject *object)
{
  TroupeLaunchDialog *self = (TroupeLaunchDialog *) object;

  G_OBJECT_CLASS (troupe_launch_dialog_parent_class)->constructed (object);

  if (self->recent_commands == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->recent_commands = troupe_recent_commands_new ();
      if (!troupe_recent_commands_load (self->recent_commands, &error))
        g_message ("%s", error->message);
    }
}

static void
troupe_launch_dialog_dispose (GObject *object)
{
  TroupeLaunchDialog *self = (TroupeLaunchDialog *) object;

  if (self->folder_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->folder_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
      g_clear_object (&self->folder_chooser);
    }
  if (self->recent_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->recent_popover));
      self->recent_popover = NULL;
      self->recent_list = NULL;
      self->recent_scroller = NULL;
    }
  if (self->variable_rows != NULL)
    g_ptr_array_set_size (self->variable_rows, 0);
  g_clear_object (&self->recent_commands);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_LAUNCH_DIALOG);

  G_OBJECT_CLASS (troupe_launch_dialog_parent_class)->dispose (object);
}

static void
troupe_launch_dialog_finalize (GObject *object)
{
  TroupeLaunchDialog *self = (TroupeLaunchDialog *) object;

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->variable_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (troupe_launch_dialog_parent_class)->finalize (object);
}

static void
troupe_launch_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TroupeLaunchDialog *self = TROUPE_LAUNCH_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RECENT_COMMANDS:
      g_value_set_object (value, self->recent_commands);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_launch_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TroupeLaunchDialog *self = TROUPE_LAUNCH_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RECENT_COMMANDS:
      self->recent_commands = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_launch_dialog_class_init (TroupeLaunchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = troupe_launch_dialog_constructed;
  object_class->dispose = troupe_launch_dialog_dispose;
  object_class->finalize = troupe_launch_dialog_finalize;
  object_class->get_property = troupe_launch_dialog_get_property;
  object_class->set_property = troupe_launch_dialog_set_property;

  /**
   * TroupeLaunchDialog:recent-commands:
   *
   * The recent command lines offered while typing, and where a run's line is
   * added. Share one with every dialog so that each sees the last run at once.
   */
  properties[PROP_RECENT_COMMANDS] =
    g_param_spec_object ("recent-commands", NULL, NULL, TROUPE_TYPE_RECENT_COMMANDS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeLaunchDialog::run-command:
   * @command: what to run
   *
   * Run was pressed; the dialog closes after this.
   */
  signals[RUN_COMMAND] = g_signal_new ("run-command", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, TROUPE_TYPE_COMMAND);
  /**
   * TroupeLaunchDialog::run-cluster:
   * @command: what each member runs
   * @instances: how many members
   * @host: the address to listen on
   * @port: the port, 0 for a free one
   *
   * Run was pressed in Cluster mode; the dialog closes after this.
   */
  signals[RUN_CLUSTER] = g_signal_new ("run-cluster", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 4, TROUPE_TYPE_COMMAND, G_TYPE_UINT,
                                       G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-launch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, command_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, command_error_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, channel_fd_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, channel_fd_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, cluster_group);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, instances_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, listen_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, listen_error_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, shell_switch);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, memory_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, environment_group);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, add_variable_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeLaunchDialog, run_button);
  gtk_widget_class_bind_template_callback (widget_class, on_command_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_shell_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_clicked);

  gtk_widget_class_install_action (widget_class, "launch.run", NULL, on_run);
  gtk_widget_class_install_action (widget_class, "launch.add-variable", NULL, on_add_variable);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
troupe_launch_dialog_init (TroupeLaunchDialog *self)
{
  g_autoptr(PangoAttrList) monospace = pango_attr_list_new ();

  self->variable_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  pango_attr_list_insert (monospace, pango_attr_family_new ("monospace"));
  adw_entry_row_set_attributes (self->command_row, monospace);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->command_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->command_error_label, NULL,
                                  -1);
  setup_recent_popover (self);
  gtk_spin_button_set_value (self->instances_spin, troupe_cluster_default_size ());
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->listen_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->listen_error_label, NULL,
                                  -1);
  on_mode_changed (self);
  set_folder (self, g_get_home_dir ());
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->run_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->command_row));
  update_run_enabled (self);
}

/**
 * troupe_launch_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @recent_commands: (nullable): the recent command lines to offer and add to;
 *   without it, the dialog reads its own from `$XDG_STATE_HOME`
 *
 * Returns: (transfer none): a new dialog, not yet shown; it emits
 *   TroupeLaunchDialog::run-command when Run is pressed
 */
TroupeLaunchDialog *
troupe_launch_dialog_new (GtkWindow            *parent,
                          TroupeRecentCommands *recent_commands)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (recent_commands == NULL || TROUPE_IS_RECENT_COMMANDS (recent_commands),
                        NULL);

  return g_object_new (TROUPE_TYPE_LAUNCH_DIALOG,
                       "transient-for", parent,
                       "recent-commands", recent_commands,
                       NULL);
}

/**
 * troupe_launch_dialog_get_recent_commands:
 *
 * Returns: (transfer none): the recent command lines the dialog offers
 */
TroupeRecentCommands *
troupe_launch_dialog_get_recent_commands (TroupeLaunchDialog *self)
{
  g_return_val_if_fail (TROUPE_IS_LAUNCH_DIALOG (self), NULL);
  return self->recent_commands;
}

/**
 * troupe_launch_dialog_set_command:
 * @command: a command to start from (Duplicate)
 *
 * Fills the dialog with @command's line, shell switch, mode (and a fork's
 * channel fd), folder, name and the variables it sets. (Variables it unsets,
 * and a fork's first messages and message size limit, have no place in the
 * dialog.)
 */
void
troupe_launch_dialog_set_command (TroupeLaunchDialog *self,
                                  TroupeCommand      *command)
{
  g_autofree char *line = NULL;
  const char *name;

  g_return_if_fail (TROUPE_IS_LAUNCH_DIALOG (self));
  g_return_if_fail (TROUPE_IS_COMMAND (command));

  line = troupe_command_to_display_string (command);
  gtk_switch_set_active (self->shell_switch, troupe_command_is_shell (command));
  adw_combo_row_set_selected (self->mode_row,
                              troupe_command_is_fork (command) ? MODE_FORK : MODE_RUN);
  if (troupe_command_is_fork (command))
    gtk_spin_button_set_value (self->channel_fd_spin, troupe_command_get_channel_fd (command));
  gtk_editable_set_text (GTK_EDITABLE (self->command_row), line);
  set_folder (self, troupe_command_get_cwd (command) != NULL ? troupe_command_get_cwd (command)
                                                             : g_get_home_dir ());
  name = troupe_command_get_given_name (command);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
  gtk_spin_button_set_value (self->memory_limit_spin,
                             (double) (troupe_command_get_memory_limit (command) / (1024 * 1024)));

  for (guint i = 0; i < troupe_command_get_n_environment_changes (command); i++)
    {
      const char *variable;
      const char *value;
      GtkWidget *row;

      troupe_command_get_environment_change (command, i, &variable, &value);
      if (value == NULL)
        continue;
      row = add_variable_row (self);
      gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "troupe-name-entry"), variable);
      gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "troupe-value-entry"), value);
    }
  /* The popover of recent lines has nothing to offer for a line set whole. */
  gtk_popover_popdown (self->recent_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->command_row));
}
