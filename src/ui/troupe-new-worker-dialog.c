/* troupe-new-worker-dialog.c: choosing a kind of thread worker and its start data, and starting it
 *
 * The kinds are the registry's: built in and from the user's modules, each
 * with its title and what it does. The start data is checked as it is typed,
 * strictly, and what is wrong is said under the editor with where; Start is
 * only offered for valid JSON (or nothing, which starts the worker with
 * null). Choosing a kind puts its example in the editor, unless the user has
 * written something of their own there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "troupe-json-text.h"
#include "troupe-new-worker-dialog.h"

struct _TroupeNewWorkerDialog
{
  AdwWindow         parent_instance;

  TroupeWorkerPool *pool;
  char             *problem;       /* what is wrong with the data, NULL if nothing */
  gboolean          data_edited;   /* by the user, not an example put there */
  gboolean          setting_text;

  AdwComboRow      *kind_row;
  GtkWidget        *editor_frame;
  GtkTextView      *data_editor;
  GtkLabel         *status_label;
};

enum
{
  WORKER_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeNewWorkerDialog, troupe_new_worker_dialog, ADW_TYPE_WINDOW)

static char *
kind_title (TroupeWorkerKind *kind)
{
  return g_strdup (kind != NULL ? troupe_worker_kind_get_title (kind) : "");
}

/**
 * troupe_new_worker_dialog_get_kind:
 *
 * Returns: (transfer none) (nullable): the kind chosen
 */
TroupeWorkerKind *
troupe_new_worker_dialog_get_kind (TroupeNewWorkerDialog *self)
{
  g_return_val_if_fail (TROUPE_IS_NEW_WORKER_DIALOG (self), NULL);
  return adw_combo_row_get_selected_item (self->kind_row);
}

/**
 * troupe_new_worker_dialog_dup_data_text:
 *
 * Returns: (transfer full): the start data as written
 */
char *
troupe_new_worker_dialog_dup_data_text (TroupeNewWorkerDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (TROUPE_IS_NEW_WORKER_DIALOG (self), NULL);
  buffer = gtk_text_view_get_buffer (self->data_editor);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void
set_status (TroupeNewWorkerDialog *self,
            const char            *text,
            gboolean               is_error)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  gtk_label_set_text (self->status_label, text);
  gtk_widget_remove_css_class (label, is_error ? "dim-label" : "error");
  gtk_widget_add_css_class (label, is_error ? "error" : "dim-label");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->data_editor),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               is_error ? GTK_ACCESSIBLE_INVALID_TRUE
                                        : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* Checks the data, says what is wrong with it or how to start, and offers
 * Start only when it can. */
static void
validate (TroupeNewWorkerDialog *self)
{
  g_autofree char *text = troupe_new_worker_dialog_dup_data_text (self);
  g_autoptr(GError) error = NULL;
  gboolean has_kind = troupe_new_worker_dialog_get_kind (self) != NULL;

  g_clear_pointer (&self->problem, g_free);
  if (!has_kind)
    self->problem = g_strdup (_("There is no kind of worker to start"));
  else if (!is_blank (text) && !troupe_json_text_check (text, strlen (text), NULL, &error))
    self->problem = g_strdup (error->message);

  if (self->problem != NULL)
    set_status (self, self->problem, TRUE);
  else if (is_blank (text))
    set_status (self, _("No start data: the worker is given null. Ctrl+Enter starts it."),
                FALSE);
  else
    set_status (self, _("Valid JSON. Ctrl+Enter starts the worker."), FALSE);
  /* The editor's frame says it too. */
  if (self->problem != NULL)
    gtk_widget_add_css_class (self->editor_frame, "invalid");
  else
    gtk_widget_remove_css_class (self->editor_frame, "invalid");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-worker.start", self->problem == NULL);
}

static void
set_text (TroupeNewWorkerDialog *self,
          const char            *text)
{
  self->setting_text = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->data_editor), text, -1);
  self->setting_text = FALSE;
}

/* The kind's example, laid out over lines as the user would write it. */
static void
put_example (TroupeNewWorkerDialog *self)
{
  TroupeWorkerKind *kind = troupe_new_worker_dialog_get_kind (self);
  const char *example = kind != NULL ? troupe_worker_kind_get_example_data (kind) : NULL;
  g_autoptr(JsonNode) node = example != NULL ? json_from_string (example, NULL) : NULL;
  g_autofree char *pretty = NULL;

  if (node != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, node);
      pretty = json_generator_to_data (generator, NULL);
    }
  set_text (self, pretty != NULL ? pretty : example != NULL ? example : "");
  self->data_edited = FALSE;
  validate (self);
}

static void
on_kind_selected (TroupeNewWorkerDialog *self)
{
  TroupeWorkerKind *kind = troupe_new_worker_dialog_get_kind (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row),
                               kind != NULL ? troupe_worker_kind_get_description (kind) : "");
  if (!self->data_edited)
    put_example (self);
  else
    validate (self);
}

static void
on_text_changed (TroupeNewWorkerDialog *self)
{
  if (!self->setting_text)
    self->data_edited = TRUE;
  validate (self);
}

static void
on_example (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  put_example (TROUPE_NEW_WORKER_DIALOG (widget));
}

static void
on_start (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TroupeNewWorkerDialog *self = TROUPE_NEW_WORKER_DIALOG (widget);
  TroupeWorkerKind *kind = troupe_new_worker_dialog_get_kind (self);
  g_autofree char *text = troupe_new_worker_dialog_dup_data_text (self);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker;

  validate (self);
  if (self->problem != NULL || kind == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  worker = troupe_worker_pool_start_text (self->pool, troupe_worker_kind_get_name (kind),
                                          is_blank (text) ? "null" : text, &error);
  if (worker == NULL)
    {
      /* Translators: why a worker could not be started */
      g_autofree char *message = g_strdup_printf (_("Could not start: %s"), error->message);

      set_status (self, message, TRUE);
      gtk_widget_error_bell (widget);
      return;
    }
  g_signal_emit (self, signals[WORKER_STARTED], 0, worker);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The kinds in the drop-down list: title, and what each does. */
static void
setup_kind_item (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 40);
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), description);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_item_set_child (item, box);
}

static void
bind_kind_item (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  TroupeWorkerKind *kind = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *description = gtk_widget_get_next_sibling (title);

  gtk_label_set_text (GTK_LABEL (title), troupe_worker_kind_get_title (kind));
  gtk_label_set_text (GTK_LABEL (description), troupe_worker_kind_get_description (kind));
}

static void
troupe_new_worker_dialog_dispose (GObject *object)
{
  TroupeNewWorkerDialog *self = (TroupeNewWorkerDialog *) object;

  g_clear_object (&self->pool);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_NEW_WORKER_DIALOG);

  G_OBJECT_CLASS (troupe_new_worker_dialog_parent_class)->dispose (object);
}

static void
troupe_new_worker_dialog_finalize (GObject *object)
{
  TroupeNewWorkerDialog *self = (TroupeNewWorkerDialog *) object;

  g_free (self->problem);

  G_OBJECT_CLASS (troupe_new_worker_dialog_parent_class)->finalize (object);
}

static void
troupe_new_worker_dialog_class_init (TroupeNewWorkerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_new_worker_dialog_dispose;
  object_class->finalize = troupe_new_worker_dialog_finalize;

  /**
   * TroupeNewWorkerDialog::worker-started:
   * @worker: the worker, started in the dialog's pool
   */
  signals[WORKER_STARTED] = g_signal_new ("worker-started", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, TROUPE_TYPE_WORKER);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/troupe/Troupe/troupe-new-worker-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeNewWorkerDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeNewWorkerDialog, editor_frame);
  gtk_widget_class_bind_template_child (widget_class, TroupeNewWorkerDialog, data_editor);
  gtk_widget_class_bind_template_child (widget_class, TroupeNewWorkerDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected);

  gtk_widget_class_install_action (widget_class, "new-worker.start", NULL, on_start);
  gtk_widget_class_install_action (widget_class, "new-worker.example", NULL, on_example);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
troupe_new_worker_dialog_init (TroupeNewWorkerDialog *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkExpression *title;

  gtk_widget_init_template (GTK_WIDGET (self));

  title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (kind_title),
                                       NULL, NULL);
  adw_combo_row_set_expression (self->kind_row, title);
  gtk_expression_unref (title);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_kind_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_kind_item), NULL);
  adw_combo_row_set_list_factory (self->kind_row, factory);
  g_object_unref (factory);

  /* Ahead of the editor, which would take Ctrl+Enter as a new line. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                        gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                      gtk_named_action_new ("new-worker.start")));
  gtk_widget_add_controller (GTK_WIDGET (self->data_editor), shortcuts);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->data_editor),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->status_label, NULL,
                                  -1);
  g_signal_connect_object (gtk_text_view_get_buffer (self->data_editor), "changed",
                           G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
}

/**
 * troupe_new_worker_dialog_new:
 * @parent: the window it belongs to
 * @pool: where the worker is started; its registry gives the kinds
 *
 * Returns: (transfer none): a new dialog, not shown yet; it emits
 *   "worker-started" and closes once a worker is started
 */
TroupeNewWorkerDialog *
troupe_new_worker_dialog_new (GtkWindow        *parent,
                              TroupeWorkerPool *pool)
{
  TroupeNewWorkerDialog *self;

  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (pool), NULL);

  self = g_object_new (TROUPE_TYPE_NEW_WORKER_DIALOG, "transient-for", parent, NULL);
  self->pool = g_object_ref (pool);
  adw_combo_row_set_model (self->kind_row,
                           troupe_worker_registry_get_kinds (troupe_worker_pool_get_registry (pool)));
  on_kind_selected (self);
  return self;
}

/**
 * troupe_new_worker_dialog_select_kind:
 * @kind_name: a kind's name, as "echo"
 *
 * Returns: whether there is such a kind to select
 */
gboolean
troupe_new_worker_dialog_select_kind (TroupeNewWorkerDialog *self,
                                      const char            *kind_name)
{
  GListModel *kinds;

  g_return_val_if_fail (TROUPE_IS_NEW_WORKER_DIALOG (self), FALSE);

  kinds = adw_combo_row_get_model (self->kind_row);
  for (guint i = 0; kinds != NULL && i < g_list_model_get_n_items (kinds); i++)
    {
      g_autoptr(TroupeWorkerKind) kind = g_list_model_get_item (kinds, i);

      if (g_str_equal (troupe_worker_kind_get_name (kind), kind_name))
        {
          adw_combo_row_set_selected (self->kind_row, i);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * troupe_new_worker_dialog_set_data_text:
 * @text: start data, as the user would type it
 */
void
troupe_new_worker_dialog_set_data_text (TroupeNewWorkerDialog *self,
                                        const char            *text)
{
  g_return_if_fail (TROUPE_IS_NEW_WORKER_DIALOG (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->data_editor), text, -1);
}

/**
 * troupe_new_worker_dialog_get_problem:
 *
 * Returns: (nullable): what keeps the worker from starting, as shown
 */
const char *
troupe_new_worker_dialog_get_problem (TroupeNewWorkerDialog *self)
{
  g_return_val_if_fail (TROUPE_IS_NEW_WORKER_DIALOG (self), NULL);
  return self->problem;
}
