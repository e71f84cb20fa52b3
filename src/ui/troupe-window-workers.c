/* troupe-window-workers.c: the main window's thread workers: their pool, sidebar section and page
 *
 * The window owns one pool of thread workers, with the built-in kinds and
 * those of the user's modules (loaded as the window opens; a module that
 * cannot be used is a toast saying why). Its workers follow the jobs and
 * clusters in the sidebar under a "Workers" header that counts them; a
 * worker's row opens its page, whose two pages (the worker, its messages)
 * the header's view switcher then switches between.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-load-history.h"
#include "troupe-load-test-dialog.h"
#include "troupe-new-worker-dialog.h"
#include "troupe-window-workers.h"
#include "troupe-worker-row.h"
#include "troupe-worker-view.h"

struct _TroupeWindowWorkers
{
  TroupeWindow         *window;         /* owns this */
  GtkStack             *content_stack;
  AdwViewSwitcherTitle *page_switcher;
  AdwViewStack         *job_pages;      /* what the switcher switches when no worker is shown */
  TroupeWorkerRegistry *registry;
  TroupeWorkerPool     *pool;
  TroupeWorkerView     *view;           /* made when first needed, see ensure_view () */
  TroupeSampler        *sampler;
  GListStore           *header;         /* the pool, as the section's header, while it has workers */
  guint                 reselect;
};

static void
on_workers_changed (GListModel          *workers,
                    guint                position,
                    guint                removed,
                    guint                added,
                    TroupeWindowWorkers *self)
{
  gboolean any = g_list_model_get_n_items (workers) > 0;
  gboolean shown = g_list_model_get_n_items (G_LIST_MODEL (self->header)) > 0;

  /* A load test's reports are kept from its very start. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TroupeWorker) worker = g_list_model_get_item (workers, i);

      troupe_load_history_track (worker);
    }
  if (any && !shown)
    g_list_store_append (self->header, self->pool);
  else if (!any && shown)
    g_list_store_remove_all (self->header);
}

TroupeWindowWorkers *
_troupe_window_workers_new (TroupeWindow         *window,
                            GtkStack             *content_stack,
                            AdwViewSwitcherTitle *page_switcher)
{
  TroupeWindowWorkers *self = g_new0 (TroupeWindowWorkers, 1);

  self->window = window;
  self->content_stack = content_stack;
  self->page_switcher = page_switcher;
  self->job_pages = adw_view_switcher_title_get_stack (page_switcher);
  self->registry = troupe_worker_registry_new ();
  self->pool = troupe_worker_pool_new (self->registry, 0);
  self->header = g_list_store_new (TROUPE_TYPE_WORKER_POOL);
  g_signal_connect (troupe_worker_pool_get_workers (self->pool), "items-changed",
                    G_CALLBACK (on_workers_changed), self);
  return self;
}

/* The worker page is built the first time a worker is shown: a window
 * that never shows one does not pay for its widgets and their styles. */
static TroupeWorkerView *
ensure_view (TroupeWindowWorkers *self)
{
  if (self->view != NULL)
    return self->view;
  self->view = TROUPE_WORKER_VIEW (troupe_worker_view_new ());
  troupe_worker_view_set_pool (self->view, self->pool);
  troupe_worker_view_set_sampler (self->view, self->sampler);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->view), "worker");
  /* At the bottom where the header shows the title instead of the switch. */
  g_object_bind_property (self->page_switcher, "title-visible",
                          troupe_worker_view_get_switcher_bar (self->view), "reveal",
                          G_BINDING_SYNC_CREATE);
  return self->view;
}

/* Asks every worker to stop: the window is going, and the app with it. */
void
_troupe_window_workers_free (TroupeWindowWorkers *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->reselect, g_source_remove);
  g_signal_handlers_disconnect_by_data (troupe_worker_pool_get_workers (self->pool), self);
  if (self->view != NULL)
    {
      troupe_worker_view_set_worker (self->view, NULL);
      troupe_worker_view_set_pool (self->view, NULL);
      troupe_worker_view_set_sampler (self->view, NULL);
    }
  g_clear_object (&self->sampler);
  troupe_worker_pool_terminate_all (self->pool, TROUPE_WORKER_DEFAULT_DEADLINE_MS);
  g_clear_object (&self->header);
  g_clear_object (&self->pool);
  g_clear_object (&self->registry);
  g_free (self);
}

/* The kinds of the user's modules; each that cannot be used is a toast. */
void
_troupe_window_workers_load_modules (TroupeWindowWorkers *self)
{
  GPtrArray *errors;

  troupe_worker_registry_load_modules (self->registry, NULL);
  errors = troupe_worker_registry_get_module_errors (self->registry);
  for (guint i = 0; i < errors->len; i++)
    {
      /* Translators: a worker module that could not be used, and why, as in
       * "Worker module not loaded: libfoo.so: cannot open: …" */
      g_autofree char *text = g_strdup_printf (_("Worker module not loaded: %s"),
                                               (char *) g_ptr_array_index (errors, i));

      _troupe_window_show_toast (self->window, text);
    }
}

/* The header, then the workers in start order; the pool's threads are
 * sampled by @session's sampler. */
void
_troupe_window_workers_add_section (TroupeWindowWorkers *self,
                                    GListStore          *sections,
                                    TroupeSession       *session)
{
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);
  GtkFlattenListModel *section;

  g_list_store_append (parts, self->header);
  g_list_store_append (parts, troupe_worker_pool_get_workers (self->pool));
  section = gtk_flatten_list_model_new (G_LIST_MODEL (parts));
  g_list_store_append (sections, section);
  g_object_unref (section);
  g_set_object (&self->sampler, troupe_session_get_sampler (session));
  if (self->view != NULL)
    troupe_worker_view_set_sampler (self->view, self->sampler);
}

gboolean
_troupe_window_workers_bind_row (GtkListItem *item,
                                 gpointer     object)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (!TROUPE_IS_WORKER (object) && !TROUPE_IS_WORKER_POOL (object))
    return FALSE;
  if (!TROUPE_IS_WORKER_ROW (child))
    gtk_list_item_set_child (item, child = troupe_worker_row_new ());
  if (TROUPE_IS_WORKER (object))
    troupe_worker_row_set_worker (TROUPE_WORKER_ROW (child), object);
  else
    {
      /* The header is no place to go. */
      troupe_worker_row_set_pool (TROUPE_WORKER_ROW (child), object);
      gtk_list_item_set_selectable (item, FALSE);
      gtk_list_item_set_activatable (item, FALSE);
    }
  return TRUE;
}

gboolean
_troupe_window_workers_unbind_row (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (!TROUPE_IS_WORKER_ROW (child))
    return FALSE;
  troupe_worker_row_set_worker (TROUPE_WORKER_ROW (child), NULL);
  troupe_worker_row_set_pool (TROUPE_WORKER_ROW (child), NULL);
  /* The item may show a job next. */
  gtk_list_item_set_selectable (item, TRUE);
  gtk_list_item_set_activatable (item, TRUE);
  return TRUE;
}

static TroupeWorker *
first_worker (TroupeWindowWorkers *self)
{
  g_autoptr(TroupeWorker) worker = g_list_model_get_item (troupe_worker_pool_get_workers (self->pool),
                                                          0);

  return worker; /* the pool keeps it */
}

static gboolean
on_reselect (gpointer user_data)
{
  TroupeWindowWorkers *self = user_data;
  TroupeWorker *worker = first_worker (self);

  self->reselect = 0;
  if (worker != NULL && TROUPE_IS_WORKER_POOL (_troupe_window_get_selected_item (self->window)))
    _troupe_window_select_item (self->window, worker);
  return G_SOURCE_REMOVE;
}

/* Shows @item's page if it is a worker, and the switch between its two pages
 * in the header; gives the header back otherwise. Returns whether it did. */
gboolean
_troupe_window_workers_show (TroupeWindowWorkers *self,
                             gpointer             item)
{
  TroupeWorker *worker = TROUPE_IS_WORKER (item) ? item : NULL;

  /* The header gets selected only when the selection had to move (a job
   * removed above it): its first worker is meant. */
  if (TROUPE_IS_WORKER_POOL (item))
    {
      worker = first_worker (self);
      if (self->reselect == 0)
        self->reselect = g_idle_add (on_reselect, self);
    }

  if (worker != NULL || self->view != NULL)
    troupe_worker_view_set_worker (ensure_view (self), worker);
  if (worker == NULL)
    {
      if (adw_view_switcher_title_get_stack (self->page_switcher) != self->job_pages)
        adw_view_switcher_title_set_stack (self->page_switcher, self->job_pages);
      return FALSE;
    }
  adw_view_switcher_title_set_stack (self->page_switcher, troupe_worker_view_get_pages (self->view));
  adw_view_switcher_title_set_view_switcher_enabled (self->page_switcher, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "worker");
  return TRUE;
}

/* Alt+1 and Alt+2 on a worker's page: the worker, or its messages. */
gboolean
_troupe_window_workers_show_page (TroupeWindowWorkers *self,
                                  const char          *page)
{
  if (!_troupe_window_workers_is_shown (self))
    return FALSE;
  adw_view_stack_set_visible_child_name (troupe_worker_view_get_pages (self->view),
                                         g_str_equal (page, "messages") ? "messages"
                                                                        : "overview");
  return TRUE;
}

gboolean
_troupe_window_workers_is_shown (TroupeWindowWorkers *self)
{
  return self != NULL && self->view != NULL && troupe_worker_view_get_worker (self->view) != NULL;
}

/* Remove (the trash button, Delete) takes an ended worker out of the list;
 * one still running is to be terminated first. */
gboolean
_troupe_window_workers_remove (TroupeWindowWorkers *self,
                               gpointer             item)
{
  if (!TROUPE_IS_WORKER (item))
    return FALSE;
  if (!troupe_worker_has_ended (item))
    {
      _troupe_window_show_toast (self->window,
                                 _("The worker is still running: terminate it first"));
      return TRUE;
    }
  troupe_worker_pool_remove (self->pool, item);
  return TRUE;
}

guint
_troupe_window_workers_count_alive (TroupeWindowWorkers *self)
{
  return self != NULL ? troupe_worker_pool_count_alive (self->pool) : 0;
}

/**
 * _troupe_window_workers_dup_quit_text:
 *
 * Returns: (transfer full) (nullable): what quitting does to the workers
 *   still running, %NULL if there are none
 */
char *
_troupe_window_workers_dup_quit_text (TroupeWindowWorkers *self)
{
  guint alive = _troupe_window_workers_count_alive (self);

  if (alive == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A thread worker is still running. Quitting asks it to "
                                       "stop; if it does not, it ends with the app.",
                                       "%u thread workers are still running. Quitting asks them "
                                       "to stop; any that do not end with the app.",
                                       alive),
                          alive);
}

static void
on_worker_started (TroupeWindow *window,
                   TroupeWorker *worker)
{
  troupe_window_select_worker (window, worker);
}

/* New Worker (Ctrl+Shift+N): the dialog; what it starts is shown. */
static void
on_new_worker (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TroupeWindow *window = TROUPE_WINDOW (widget);
  TroupeNewWorkerDialog *dialog;

  dialog = troupe_new_worker_dialog_new (GTK_WINDOW (window),
                                         troupe_window_get_worker_pool (window));
  g_signal_connect_object (dialog, "worker-started", G_CALLBACK (on_worker_started), window,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Load Test (a cluster's page): an HTTP load worker aimed at its address. */
static void
on_load_test (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TroupeWindow *window = TROUPE_WINDOW (widget);
  TroupeCluster *cluster = troupe_window_get_selected_cluster (window);
  TroupeLoadTestDialog *dialog;

  if (cluster == NULL)
    return;
  dialog = troupe_load_test_dialog_new (GTK_WINDOW (window),
                                        troupe_window_get_worker_pool (window), cluster);
  g_signal_connect_object (dialog, "worker-started", G_CALLBACK (on_worker_started), window,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_troupe_window_workers_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (TROUPE_TYPE_WORKER_VIEW);
  gtk_widget_class_install_action (widget_class, "win.new-worker", NULL, on_new_worker);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.new-worker", NULL);
  gtk_widget_class_install_action (widget_class, "win.load-test", NULL, on_load_test);
}

/**
 * troupe_window_get_worker_pool:
 *
 * Returns: (transfer none): the window's thread workers
 */
TroupeWorkerPool *
troupe_window_get_worker_pool (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return _troupe_window_get_workers (self)->pool;
}

/**
 * troupe_window_get_worker_view:
 *
 * Returns: (transfer none): the page of the selected worker
 */
TroupeWorkerView *
troupe_window_get_worker_view (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return ensure_view (_troupe_window_get_workers (self));
}

/**
 * troupe_window_select_worker:
 * @worker: a worker of this window's pool
 */
void
troupe_window_select_worker (TroupeWindow *self,
                             TroupeWorker *worker)
{
  g_return_if_fail (TROUPE_IS_WINDOW (self));
  _troupe_window_select_item (self, worker);
}

/**
 * troupe_window_count_alive_workers:
 *
 * Returns: how many of the window's workers are queued, running or not yet
 *   ended after being asked to stop
 */
guint
troupe_window_count_alive_workers (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), 0);
  return _troupe_window_workers_count_alive (_troupe_window_get_workers (self));
}

/**
 * troupe_window_get_selected_worker:
 *
 * Returns: (transfer none) (nullable): the worker whose page is shown
 */
TroupeWorker *
troupe_window_get_selected_worker (TroupeWindow *self)
{
  gpointer item;

  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  item = _troupe_window_get_selected_item (self);
  return TROUPE_IS_WORKER (item) ? item : NULL;
}
