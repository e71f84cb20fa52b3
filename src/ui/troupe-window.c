/* troupe-window.c: the main window: the jobs, and the one selected
 *
 * A sidebar lists the session's jobs; the content shows the selected one, or,
 * before there are any, a start page offering examples to run. A fork has a
 * second page, its messages, and the header offers the switch between the two.
 * Clusters follow the jobs in the sidebar, each with its members under it: the
 * cluster's row opens its page, a member's row that member's current run, as
 * a fork's, plus the list of its exits.
 * Every job and member also has a Processes page: its process tree, with
 * graphs, built the first time it is shown. Thread workers come last
 * (troupe-window-workers.c); what the window does to jobs is in
 * troupe-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>

#include "troupe-cluster-row.h"
#include "troupe-cluster-view.h"
#include "troupe-job-row.h"
#include "troupe-member-row.h"
#include "troupe-member-timeline.h"
#include "troupe-messages-view.h"
#include "troupe-processes-view.h"
#include "troupe-signal-names.h"
#include "troupe-window-private.h"
#include "troupe-window-workers.h"

G_DEFINE_FINAL_TYPE (TroupeWindow, troupe_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_toast (TroupeWindow *self,
            const char   *text)
{
  /* A toast's title is markup; what is told is text (a process's name may
   * hold an "&"). */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* The sidebar holds jobs, clusters and members: each row gets the widget for
 * its item's kind, kept across rebinds when the kind stays the same. */
static void
bind_job_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gpointer object = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (_troupe_window_workers_bind_row (item, object))
    return;
  if (TROUPE_IS_PROCESS (object))
    {
      if (!TROUPE_IS_JOB_ROW (child))
        gtk_list_item_set_child (item, child = troupe_job_row_new ());
      troupe_job_row_set_process (TROUPE_JOB_ROW (child), object);
    }
  else if (TROUPE_IS_CLUSTER (object))
    {
      if (!TROUPE_IS_CLUSTER_ROW (child))
        gtk_list_item_set_child (item, child = troupe_cluster_row_new ());
      troupe_cluster_row_set_cluster (TROUPE_CLUSTER_ROW (child), object);
    }
  else if (TROUPE_IS_CLUSTER_MEMBER (object))
    {
      if (!TROUPE_IS_MEMBER_ROW (child))
        gtk_list_item_set_child (item, child = troupe_member_row_new (FALSE));
      troupe_member_row_set_member (TROUPE_MEMBER_ROW (child), object);
    }
}

static void
unbind_job_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (_troupe_window_workers_unbind_row (item))
    return;
  if (TROUPE_IS_JOB_ROW (child))
    troupe_job_row_set_process (TROUPE_JOB_ROW (child), NULL);
  else if (TROUPE_IS_CLUSTER_ROW (child))
    troupe_cluster_row_set_cluster (TROUPE_CLUSTER_ROW (child), NULL);
  else if (TROUPE_IS_MEMBER_ROW (child))
    troupe_member_row_set_member (TROUPE_MEMBER_ROW (child), NULL);
}

/* A cluster's members are its children in the sidebar. */
static GListModel *
create_cluster_children (gpointer item,
                         gpointer user_data)
{
  if (!TROUPE_IS_CLUSTER (item))
    return NULL;
  return g_object_ref (troupe_cluster_get_members (item));
}

static gboolean
is_fork (TroupeProcess *process)
{
  return process != NULL && troupe_process_get_messages (process) != NULL;
}

/* A fork's job offers its output and its messages, in the header where there
 * is room and at the bottom where there is not; any job, its processes. */
static void
update_page_switcher (TroupeWindow *self)
{
  gboolean member = self->member != NULL;
  gboolean fork = member || is_fork (troupe_window_get_selected_job (self));
  gboolean processes = troupe_job_view_get_process (self->job_view) != NULL;
  const char *page = adw_view_stack_get_visible_child_name (self->job_pages);

  /* A worker's page has the switch to itself. */
  if (_troupe_window_workers_is_shown (self->workers))
    return;
  adw_view_stack_page_set_visible (self->messages_page, fork);
  adw_view_stack_page_set_visible (self->timeline_page, member);
  adw_view_stack_page_set_visible (self->processes_page, processes);
  if ((!member && g_strcmp0 (page, "timeline") == 0) ||
      (!fork && g_strcmp0 (page, "messages") == 0) ||
      (!processes && g_strcmp0 (page, "processes") == 0))
    adw_view_stack_set_visible_child_name (self->job_pages, "output");
  adw_view_switcher_title_set_view_switcher_enabled (self->page_switcher, fork || processes);
  adw_view_switcher_bar_set_reveal (self->page_switcher_bar,
                                    (fork || processes) &&
                                      adw_view_switcher_title_get_title_visible (
                                        self->page_switcher));
}

/* The Processes page shows the tree of the process the other pages show. */
static void
update_processes_page (TroupeWindow *self)
{
  TroupeProcess *process = troupe_job_view_get_process (self->job_view);
  TroupeProcessTree *tree;
  g_autoptr(GError) error = NULL;

  if (self->processes_view == NULL || self->session == NULL)
    return;
  tree = process != NULL ? troupe_session_get_process_tree (self->session, process) : NULL;
  if (tree != NULL)
    troupe_processes_view_set_tree (self->processes_view, tree);
  else if (!troupe_sampler_is_supported (&error))
    troupe_processes_view_set_unavailable (self->processes_view, error->message);
  else
    troupe_processes_view_set_unavailable (self->processes_view,
                                           _("This job has no processes: it did not start"));
}

/* A run is watched once its pid is known, which may be just after it is shown. */
static void
on_sampled (TroupeWindow *self)
{
  if (troupe_processes_view_get_tree (self->processes_view) == NULL)
    update_processes_page (self);
}

/* Built the first time it is shown, which keeps the window's start lean. */
static void
on_job_page_changed (TroupeWindow *self)
{
  if (self->processes_view != NULL || self->session == NULL ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->job_pages), "processes") != 0)
    return;
  self->processes_view = TROUPE_PROCESSES_VIEW (troupe_processes_view_new ());
  g_signal_connect_swapped (self->processes_view, "show-message", G_CALLBACK (show_toast), self);
  g_signal_connect_object (troupe_session_get_sampler (self->session), "sampled",
                           G_CALLBACK (on_sampled), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->processes_bin, GTK_WIDGET (self->processes_view));
  update_processes_page (self);
}

static void
add_processes_page (TroupeWindow *self)
{
  self->processes_bin = ADW_BIN (adw_bin_new ());
  self->processes_page = adw_view_stack_add_titled (self->job_pages,
                                                    GTK_WIDGET (self->processes_bin),
                                                    "processes", _("Processes"));
  adw_view_stack_page_set_icon_name (self->processes_page, "utilities-system-monitor-symbolic");
  adw_view_stack_page_set_visible (self->processes_page, FALSE);
  g_signal_connect_swapped (self->job_pages, "notify::visible-child-name",
                            G_CALLBACK (on_job_page_changed), self);
}

/* The views show the selected job, or the current run of the selected member. */
static void
show_process (TroupeWindow  *self,
              TroupeProcess *process)
{
  troupe_job_view_set_process (self->job_view, process);
  troupe_messages_view_set_process (self->messages_view, process);
  troupe_job_view_set_note (self->job_view,
                            process != NULL && self->restart_notes != NULL
                              ? g_hash_table_lookup (self->restart_notes, process)
                              : NULL);
  update_processes_page (self);
  update_page_switcher (self);
}

static void
on_member_run_changed (TroupeWindow *self)
{
  show_process (self, troupe_cluster_member_get_process (self->member));
}

static void
set_member (TroupeWindow        *self,
            TroupeClusterMember *member)
{
  if (self->member == member)
    return;
  if (self->member != NULL)
    g_signal_handlers_disconnect_by_data (self->member, self);
  g_set_object (&self->member, member);
  if (member != NULL)
    g_signal_connect_swapped (member, "notify::process", G_CALLBACK (on_member_run_changed),
                              self);
  troupe_member_timeline_set_member (self->member_timeline, member);
}

static void
on_selection_changed (TroupeWindow *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);
  gboolean has_jobs = g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0;
  TroupeClusterMember *member = TROUPE_IS_CLUSTER_MEMBER (item) ? item : NULL;
  TroupeCluster *cluster = TROUPE_IS_CLUSTER (item) ? item : NULL;
  gboolean worker = _troupe_window_workers_show (self->workers, item);

  set_member (self, member);
  troupe_cluster_view_set_cluster (self->cluster_view, cluster);
  if (member != NULL)
    show_process (self, troupe_cluster_member_get_process (member));
  else
    show_process (self, TROUPE_IS_PROCESS (item) ? item : NULL);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    !has_jobs ? "empty"
                                    : worker ? "worker"
                                    : cluster != NULL ? "cluster" : "job");
  if (item != NULL)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
select_item (TroupeWindow *self,
             gpointer      wanted)
{
  GListModel *items = G_LIST_MODEL (self->selection);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      if (item == wanted)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

/**
 * troupe_window_select_cluster:
 * @cluster: a cluster of this window's session
 */
void
troupe_window_select_cluster (TroupeWindow  *self,
                              TroupeCluster *cluster)
{
  g_return_if_fail (TROUPE_IS_WINDOW (self));
  select_item (self, cluster);
}

/**
 * troupe_window_select_member:
 * @member: a member of a cluster of this window's session
 */
void
troupe_window_select_member (TroupeWindow        *self,
                             TroupeClusterMember *member)
{
  g_return_if_fail (TROUPE_IS_WINDOW (self));
  select_item (self, member);
}

/**
 * troupe_window_get_selected_cluster:
 *
 * Returns: (transfer none) (nullable): the cluster whose page is shown
 */
TroupeCluster *
troupe_window_get_selected_cluster (TroupeWindow *self)
{
  gpointer item;

  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  item = gtk_single_selection_get_selected_item (self->selection);
  return TROUPE_IS_CLUSTER (item) ? item : NULL;
}

/**
 * troupe_window_get_cluster_view:
 *
 * Returns: (transfer none): the page of the selected cluster
 */
TroupeClusterView *
troupe_window_get_cluster_view (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return self->cluster_view;
}

/**
 * troupe_window_get_job_list:
 *
 * Returns: (transfer none): the sidebar's list of jobs and clusters
 */
GtkWidget *
troupe_window_get_job_list (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->job_list);
}

/**
 * troupe_window_select_job:
 * @process: a job of this window's session
 */
void
troupe_window_select_job (TroupeWindow  *self,
                          TroupeProcess *process)
{
  g_return_if_fail (TROUPE_IS_WINDOW (self));
  select_item (self, process);
}

/**
 * troupe_window_get_selected_job:
 *
 * Returns: (transfer none) (nullable): the job shown; %NULL for a cluster or
 *   a member, which are not jobs of their own
 */
TroupeProcess *
troupe_window_get_selected_job (TroupeWindow *self)
{
  gpointer item;

  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  item = gtk_single_selection_get_selected_item (self->selection);
  return TROUPE_IS_PROCESS (item) ? item : NULL;
}

/**
 * troupe_window_get_job_view:
 *
 * Returns: (transfer none): the view of the selected job
 */
TroupeJobView *
troupe_window_get_job_view (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return self->job_view;
}

/**
 * troupe_window_get_messages_view:
 *
 * Returns: (transfer none): the messages of the selected job, if it is a fork
 */
TroupeMessagesView *
troupe_window_get_messages_view (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return self->messages_view;
}

/**
 * troupe_window_get_page:
 *
 * Returns: which of the selected job's pages is shown: "output" or "messages"
 */
const char *
troupe_window_get_page (TroupeWindow *self)
{
  g_return_val_if_fail (TROUPE_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->job_pages);
}

/* Alt+1, Alt+2 and Alt+3: a job's output, a fork's messages, a job's processes. */
static void
on_show_page (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  const char *page = g_variant_get_string (parameter, NULL);

  if (_troupe_window_workers_show_page (self->workers, page))
    return;
  if (g_str_equal (page, "output") ||
      (g_str_equal (page, "messages") &&
       (self->member != NULL || is_fork (troupe_window_get_selected_job (self)))) ||
      (g_str_equal (page, "processes") && adw_view_stack_page_get_visible (self->processes_page)))
    adw_view_stack_set_visible_child_name (self->job_pages, page);
}

static void
on_quit_response (AdwMessageDialog *dialog,
                  const char       *response,
                  TroupeWindow     *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (g_str_equal (response, "quit") && app != NULL)
    g_application_quit (G_APPLICATION (app));
}

/**
 * troupe_window_ask_to_quit:
 *
 * Asks whether to stop the running jobs and quit; quits if the answer is yes.
 */
void
troupe_window_ask_to_quit (TroupeWindow *self)
{
  guint alive = troupe_session_count_alive (self->session);
  g_autofree char *body = NULL;
  g_autofree char *workers = _troupe_window_workers_dup_quit_text (self->workers);
  AdwMessageDialog *dialog;

  g_return_if_fail (TROUPE_IS_WINDOW (self));

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A job is still running. Quitting stops it: SIGTERM, "
                                       "then SIGKILL after its stop timeout.",
                                       "%u jobs are still running. Quitting stops them: "
                                       "SIGTERM, then SIGKILL after their stop timeouts.",
                                       alive),
                          alive);
  if (workers != NULL)
    {
      char *both = alive > 0 ? g_strconcat (body, "\n\n", workers, NULL) : g_strdup (workers);

      g_free (body);
      body = both;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       alive > 0 || workers == NULL
                                                         ? _("Stop Running Jobs?")
                                                         : _("Stop Running Workers?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Stop and Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Closing the window quits the app: with jobs running, ask first. */
static gboolean
troupe_window_close_request (GtkWindow *window)
{
  TroupeWindow *self = TROUPE_WINDOW (window);

  if ((self->session != NULL && troupe_session_count_alive (self->session) > 0) ||
      _troupe_window_workers_count_alive (self->workers) > 0)
    {
      troupe_window_ask_to_quit (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (troupe_window_parent_class)->close_request (window);
}

/* A job the session restarted (over its memory limit, say): the new run
 * takes the old one's place in the sidebar, and the reason is told. */
static void
on_process_restarted (TroupeWindow  *self,
                      TroupeProcess *old_process,
                      TroupeProcess *new_process,
                      const char    *reason)
{
  gboolean was_selected = troupe_window_get_selected_job (self) == old_process;

  /* The old run leaves the sidebar, and with it its status: the new one
   * says why it is there. */
  g_hash_table_remove (self->restart_notes, old_process);
  if (reason != NULL)
    {
      /* Translators: a job that was restarted, and why */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), troupe_process_get_name (old_process),
                                               reason);

      g_hash_table_insert (self->restart_notes, g_object_ref (new_process), g_strdup (reason));
      show_toast (self, text);
    }
  troupe_session_remove (self->session, old_process);
  if (was_selected || gtk_single_selection_get_selected_item (self->selection) == NULL)
    troupe_window_select_job (self, new_process);
}

#define HIDDEN_SAMPLE_INTERVAL_MS 5000

/* Samples as often as the preferences say while the window is seen, and
 * every 5 s while it is hidden or minimized, when no graph is drawn. */
static void
update_sample_interval (TroupeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? troupe_application_get_settings (TROUPE_APPLICATION (app))
                                    : NULL;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  gboolean hidden = !gtk_widget_get_visible (GTK_WIDGET (self)) ||
                    (GDK_IS_TOPLEVEL (surface) &&
                     (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) &
                      GDK_TOPLEVEL_STATE_MINIMIZED) != 0);
  double seconds = settings != NULL ? g_settings_get_double (settings, "sample-interval") : 1.0;

  if (self->session == NULL)
    return;
  troupe_sampler_set_interval (troupe_session_get_sampler (self->session),
                               hidden ? HIDDEN_SAMPLE_INTERVAL_MS : (guint) (seconds * 1000));
}

static void
watch_surface_state (TroupeWindow *self)
{
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "notify::state",
                           G_CALLBACK (update_sample_interval), self, G_CONNECT_SWAPPED);
}

static void
watch_sampler (TroupeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? troupe_application_get_settings (TROUPE_APPLICATION (app))
                                    : NULL;

  if (settings != NULL)
    g_signal_connect_object (settings, "changed::sample-interval",
                             G_CALLBACK (update_sample_interval), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::visible", G_CALLBACK (update_sample_interval), NULL);
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    watch_surface_state (self);
  else
    g_signal_connect (self, "realize", G_CALLBACK (watch_surface_state), NULL);
  g_signal_connect_object (self->session, "process-restarted",
                           G_CALLBACK (on_process_restarted), self, G_CONNECT_SWAPPED);
  update_sample_interval (self);
}

static void
show_session (TroupeWindow  *self,
              TroupeSession *session)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GListStore *sections = g_list_store_new (G_TYPE_LIST_MODEL);
  GtkTreeListModel *clusters;

  self->session = g_object_ref (session);
  if (troupe_application_get_settings (TROUPE_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))) != NULL)
    troupe_job_view_bind_settings (self->job_view,
                                   troupe_application_get_settings (
                                     TROUPE_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))));
  /* Jobs, then each cluster followed by its members, always shown. */
  clusters = gtk_tree_list_model_new (g_object_ref (troupe_session_get_clusters (session)),
                                      TRUE, TRUE, create_cluster_children, NULL, NULL);
  g_list_store_append (sections, session);
  g_list_store_append (sections, clusters);
  g_object_unref (clusters);
  _troupe_window_workers_add_section (self->workers, sections, session);
  _troupe_window_workers_load_modules (self->workers);
  self->selection = gtk_single_selection_new (
    G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (sections))));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (on_selection_changed), self);

  g_signal_connect (factory, "bind", G_CALLBACK (bind_job_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_job_row), NULL);
  gtk_list_view_set_factory (self->job_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->job_list, GTK_SELECTION_MODEL (self->selection));

  on_selection_changed (self);
  troupe_cluster_view_set_session (self->cluster_view, session);
  watch_sampler (self);
}

static void
troupe_window_dispose (GObject *object)
{
  TroupeWindow *self = (TroupeWindow *) object;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  set_member (self, NULL);
  g_clear_pointer (&self->workers, _troupe_window_workers_free);
  /* The session, and its sampler, outlive the window. */
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (troupe_session_get_sampler (self->session), self);
      g_signal_handlers_disconnect_by_data (self->session, self);
    }
  self->processes_view = NULL;
  g_clear_pointer (&self->restart_notes, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->recent_commands);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_WINDOW);

  G_OBJECT_CLASS (troupe_window_parent_class)->dispose (object);
}

static void
troupe_window_class_init (TroupeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = troupe_window_close_request;

  g_type_ensure (TROUPE_TYPE_JOB_VIEW);
  g_type_ensure (TROUPE_TYPE_MESSAGES_VIEW);
  g_type_ensure (TROUPE_TYPE_CLUSTER_VIEW);
  g_type_ensure (TROUPE_TYPE_MEMBER_TIMELINE);
  _troupe_window_workers_class_init (widget_class);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, page_switcher);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, page_switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, job_pages);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, messages_page);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, job_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, messages_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, timeline_page);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, cluster_view);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, member_timeline);
  gtk_widget_class_bind_template_callback (widget_class, show_toast);
  gtk_widget_class_bind_template_callback (widget_class, troupe_window_select_member);
  gtk_widget_class_bind_template_callback (widget_class, update_page_switcher);
  gtk_widget_class_bind_template_child (widget_class, TroupeWindow, example_box);

  _troupe_window_actions_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", on_show_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page",
                                       "s", "output");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page",
                                       "s", "messages");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page",
                                       "s", "processes");
}

static void
troupe_window_init (TroupeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _troupe_window_add_example_buttons (self);
  add_processes_page (self);
  self->restart_notes = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->workers = _troupe_window_workers_new (self, self->content_stack, self->page_switcher);
}

/* For troupe-window-workers.c. */

TroupeWindowWorkers *
_troupe_window_get_workers (TroupeWindow *self)
{
  return self->workers;
}

gpointer
_troupe_window_get_selected_item (TroupeWindow *self)
{
  return self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

void
_troupe_window_select_item (TroupeWindow *self,
                            gpointer      item)
{
  select_item (self, item);
}

void
_troupe_window_show_toast (TroupeWindow *self,
                           const char   *text)
{
  show_toast (self, text);
}

/**
 * troupe_window_new:
 *
 * Returns: (transfer floating): a new main window
 */
TroupeWindow *
troupe_window_new (TroupeApplication *application)
{
  TroupeWindow *self = g_object_new (TROUPE_TYPE_WINDOW, "application", application, NULL);

  show_session (self, troupe_application_get_session (application));
  return self;
}
