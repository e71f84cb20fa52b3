/* troupe-worker-view.c: a thread worker's page: what it is, how it runs, its messages
 *
 * The first page says what the worker is (its kind, its start data), how it
 * runs (state, run time, its thread) and how it ended; the second is the same
 * message inspector as a fork's. Terminate only asks: a thread cannot be
 * stopped safely from outside, so a worker that does not stop in time is said
 * to be not responding, in so many words, rather than shown as stopped.
 *
 * A load test's reports are kept from its start on (the page may be opened
 * late, or shown for another worker meanwhile) and drawn as a graph with the
 * latest numbers beside it. The pool's threads are listed with the worker
 * each runs and their CPU use, which the session's sampler reads from
 * /proc/self/task while the page is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "troupe-format.h"
#include "troupe-load-history.h"
#include "troupe-thread-info.h"
#include "troupe-worker-row.h"
#include "troupe-worker-view.h"

/* The numbers under the graph. */
enum
{
  STAT_REQUESTS,
  STAT_RATE,
  STAT_P50,
  STAT_P90,
  STAT_P99,
  STAT_ERRORS,
  N_STATS
};

struct _TroupeWorkerView
{
  GtkWidget           parent_instance;

  TroupeWorker       *worker;
  TroupeWorkerPool   *pool;
  TroupeSampler      *sampler;
  TroupeProcessTree  *own_tree;     /* the app's own process, its threads sampled */
  guint64             shown_reports;
  guint               clock;
  guint               ticks;

  AdwViewStack       *pages;
  AdwViewSwitcherBar *switcher_bar;
  GtkBox             *not_responding_box;
  GtkLabel           *not_responding_title;
  AdwPreferencesGroup *summary_group;
  GtkButton          *terminate_button;
  GtkImage           *state_icon;
  GtkLabel           *state_label;
  GtkLabel           *run_time_label;
  GtkLabel           *thread_label;
  AdwActionRow       *waiting_row;
  GtkLabel           *waiting_label;
  GtkBox             *load_box;
  TroupeLoadGraph    *load_graph;
  GtkBox             *stat_box;
  GtkLabel           *stat_values[N_STATS];
  AdwActionRow       *status_codes_row;
  AdwActionRow       *errors_row;
  GtkLabel           *data_label;
  GtkStack           *threads_stack;
  GtkLabel           *threads_empty_label;
  GtkListBox         *thread_list;
  TroupeMessagesView *messages_view;
};

G_DEFINE_FINAL_TYPE (TroupeWorkerView, troupe_worker_view, GTK_TYPE_WIDGET)

static void
set_stat (TroupeWorkerView *self,
          guint             stat,
          char             *text)
{
  gtk_label_set_text (self->stat_values[stat], text);
  g_free (text);
}

static void
update_load (TroupeWorkerView *self)
{
  TroupeLoadHistory *history = self->worker != NULL ? troupe_load_history_get (self->worker)
                                                    : NULL;
  const TroupeLoadSample *latest;
  guint64 new_reports;

  gtk_widget_set_visible (GTK_WIDGET (self->load_box), history != NULL);
  if (history == NULL)
    return;

  /* Only what this page has not drawn yet; all of it for a page just opened. */
  new_reports = MIN (history->n_reports - self->shown_reports, history->samples->len);
  for (guint i = history->samples->len - new_reports; i < history->samples->len; i++)
    troupe_load_graph_add_sample (self->load_graph,
                                  &g_array_index (history->samples, TroupeLoadSample, i));
  self->shown_reports = history->n_reports;

  latest = history->done ? &history->whole_run : troupe_load_graph_get_latest (self->load_graph);
  if (latest == NULL)
    {
      for (guint stat = 0; stat < N_STATS; stat++)
        gtk_label_set_text (self->stat_values[stat], "—");
      adw_action_row_set_subtitle (self->status_codes_row, "—");
      adw_action_row_set_subtitle (self->errors_row, "—");
      return;
    }
  set_stat (self, STAT_REQUESTS, g_strdup_printf ("%'" G_GINT64_FORMAT, history->requests));
  set_stat (self, STAT_RATE, troupe_load_graph_format_rate (latest->requests_per_second));
  set_stat (self, STAT_P50, troupe_load_graph_format_latency (latest->p50_ms));
  set_stat (self, STAT_P90, troupe_load_graph_format_latency (latest->p90_ms));
  set_stat (self, STAT_P99, troupe_load_graph_format_latency (latest->p99_ms));
  set_stat (self, STAT_ERRORS, g_strdup_printf ("%'" G_GINT64_FORMAT, history->errors));
  adw_action_row_set_subtitle (self->status_codes_row,
                               history->status_codes != NULL ? history->status_codes : _("None"));
  adw_action_row_set_subtitle (self->errors_row,
                               history->error_kinds != NULL ? history->error_kinds : _("None"));
  if (history->errors > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->stat_values[STAT_ERRORS]), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->stat_values[STAT_ERRORS]), "error");
}

/* The pool's threads. */

static TroupeWorker *
find_worker_on_thread (TroupeWorkerPool *pool,
                       int               thread_id)
{
  GListModel *workers = troupe_worker_pool_get_workers (pool);

  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(TroupeWorker) worker = g_list_model_get_item (workers, i);

      if (!troupe_worker_has_ended (worker) && troupe_worker_get_thread_id (worker) == thread_id)
        return worker; /* the pool keeps it */
    }
  return NULL;
}

/* The CPU use of a thread of ours, in percent of one core, or -1 if not known (yet). */
static double
get_thread_cpu (TroupeWorkerView *self,
                int               thread_id)
{
  GListModel *threads;

  if (self->own_tree == NULL)
    return -1;
  threads = troupe_process_info_get_threads (troupe_process_tree_get_root (self->own_tree));
  for (guint i = 0; threads != NULL && i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(TroupeThreadInfo) thread = g_list_model_get_item (threads, i);

      if (troupe_thread_info_get_tid (thread) == thread_id)
        return troupe_thread_info_get_cpu (thread);
    }
  return -1;
}

static GtkWidget *
create_thread_row (TroupeWorkerView *self,
                   int               thread_id)
{
  TroupeWorker *worker = find_worker_on_thread (self->pool, thread_id);
  GtkWidget *row = adw_action_row_new ();
  double cpu_use = get_thread_cpu (self, thread_id);
  /* Translators: a thread's CPU use, in percent of one core */
  g_autofree char *cpu_text = cpu_use >= 0 ? g_strdup_printf (_("%.0f %% CPU"), cpu_use)
                                           : g_strdup ("—");
  GtkWidget *cpu = gtk_label_new (cpu_text);
  g_autofree char *title = g_strdup_printf (_("Thread %d"), thread_id);
  g_autofree char *subtitle = NULL;

  if (worker != NULL)
    /* Translators: the worker a pool thread runs, as in "HTTP Load #3" */
    subtitle = g_strdup_printf (_("%s #%u"),
                                troupe_worker_kind_get_title (troupe_worker_get_kind (worker)),
                                troupe_worker_get_id (worker));
  else
    subtitle = g_strdup (_("Idle"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (worker != NULL && worker == self->worker)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                               gtk_image_new_from_icon_name ("media-playback-start-symbolic"));
  gtk_widget_add_css_class (cpu, "numeric");
  gtk_widget_set_valign (cpu, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), cpu);
  return row;
}

static void
update_threads (TroupeWorkerView *self)
{
  g_autoptr(GArray) thread_ids = NULL;

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->thread_list)));)
    gtk_list_box_remove (self->thread_list, child);

  thread_ids = self->pool != NULL ? troupe_worker_pool_dup_thread_ids (self->pool) : NULL;
  if (thread_ids == NULL || thread_ids->len == 0)
    {
      gtk_label_set_text (self->threads_empty_label,
                          _("No pool thread is running: threads start with the workers that "
                            "need them and end a while after the last one."));
      gtk_stack_set_visible_child_name (self->threads_stack, "empty");
      return;
    }
  for (guint i = 0; i < thread_ids->len; i++)
    gtk_list_box_append (self->thread_list,
                         create_thread_row (self, g_array_index (thread_ids, int, i)));
  gtk_stack_set_visible_child_name (self->threads_stack, "threads");
}

/* The worker itself. */

static void
update (TroupeWorkerView *self)
{
  TroupeWorker *worker = self->worker;
  TroupeWorkerKind *kind;
  TroupeWorkerState state;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autofree char *run_time = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *waiting = NULL;
  GtkWidget *state_label = GTK_WIDGET (self->state_label);
  gboolean alive;

  if (worker == NULL)
    return;

  kind = troupe_worker_get_kind (worker);
  state = troupe_worker_get_state (worker);
  alive = state == TROUPE_WORKER_QUEUED || state == TROUPE_WORKER_RUNNING;
  /* Translators: a worker's kind and number, as in "HTTP Load #3" */
  title = g_strdup_printf (_("%s #%u"), troupe_worker_kind_get_title (kind),
                           troupe_worker_get_id (worker));
  status = troupe_worker_dup_status_text (worker);
  run_time = troupe_format_duration (troupe_worker_get_run_time (worker));
  thread = troupe_worker_get_thread_id (worker) > 0
             ? g_strdup_printf ("%d", troupe_worker_get_thread_id (worker))
             : g_strdup (state == TROUPE_WORKER_QUEUED ? _("Waiting for a free thread") : "—");
  waiting = g_strdup_printf ("%'u", troupe_worker_get_n_queued_in (worker));

  adw_preferences_group_set_title (self->summary_group, title);
  adw_preferences_group_set_description (self->summary_group,
                                         troupe_worker_kind_get_description (kind));
  gtk_image_set_from_icon_name (self->state_icon, troupe_worker_row_get_state_icon (worker));
  /* Not responding is told at length at the top of the page. */
  gtk_label_set_text (self->state_label, state == TROUPE_WORKER_NOT_RESPONDING
                                           ? troupe_worker_state_to_string (state) : status);
  gtk_widget_remove_css_class (state_label, "error");
  gtk_widget_remove_css_class (state_label, "success");
  if (state == TROUPE_WORKER_FAILED || state == TROUPE_WORKER_NOT_RESPONDING ||
      (state == TROUPE_WORKER_EXITED && troupe_worker_get_exit_code (worker) != 0))
    gtk_widget_add_css_class (state_label, "error");
  else if (state == TROUPE_WORKER_EXITED)
    gtk_widget_add_css_class (state_label, "success");
  gtk_label_set_text (self->run_time_label, state == TROUPE_WORKER_QUEUED ? "—" : run_time);
  gtk_label_set_text (self->thread_label, thread);
  gtk_label_set_text (self->waiting_label, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_row),
                          troupe_worker_kind_accepts_messages (kind) &&
                            !troupe_worker_has_ended (worker));

  gtk_widget_set_visible (GTK_WIDGET (self->not_responding_box),
                          state == TROUPE_WORKER_NOT_RESPONDING);
  gtk_label_set_text (self->not_responding_title, status);

  gtk_widget_set_visible (GTK_WIDGET (self->terminate_button), !troupe_worker_has_ended (worker));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "worker.terminate", alive);
}

static gboolean
on_clock (gpointer user_data)
{
  TroupeWorkerView *self = user_data;

  update (self);
  /* Threads once a second, the run time four times. */
  if (self->ticks++ % 4 == 0)
    update_threads (self);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (TroupeWorkerView *self)
{
  update (self);
  update_threads (self);
}

static void
on_messages (TroupeWorkerView *self)
{
  update_load (self);
}

static void
on_terminate (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TroupeWorkerView *self = TROUPE_WORKER_VIEW (widget);

  if (self->worker != NULL)
    troupe_worker_terminate (self->worker, TROUPE_WORKER_DEFAULT_DEADLINE_MS);
}

/* Our own threads are sampled only while someone looks at them. */
static void
watch_own_threads (TroupeWorkerView *self,
                   gboolean          watch)
{
  if (!watch || self->sampler == NULL)
    {
      if (self->own_tree != NULL)
        {
          troupe_process_info_set_sample_threads (troupe_process_tree_get_root (self->own_tree),
                                                  FALSE);
          g_signal_handlers_disconnect_by_data (self->own_tree, self);
          troupe_sampler_unwatch (self->sampler, self->own_tree);
          g_clear_object (&self->own_tree);
        }
      return;
    }
  if (self->own_tree != NULL || !troupe_sampler_is_supported (NULL))
    return;
  self->own_tree = troupe_sampler_watch (self->sampler, getpid ());
  troupe_process_info_set_sample_threads (troupe_process_tree_get_root (self->own_tree), TRUE);
  g_signal_connect_swapped (self->own_tree, "updated", G_CALLBACK (update_threads), self);
  troupe_sampler_sample_now (self->sampler);
}

static void
troupe_worker_view_map (GtkWidget *widget)
{
  TroupeWorkerView *self = TROUPE_WORKER_VIEW (widget);

  GTK_WIDGET_CLASS (troupe_worker_view_parent_class)->map (widget);
  watch_own_threads (self, TRUE);

  /* The run time and the threads tick only while someone can see them. */
  on_state_changed (self);
  if (self->clock == 0)
    self->clock = g_timeout_add (250, on_clock, self);
}

static void
troupe_worker_view_unmap (GtkWidget *widget)
{
  TroupeWorkerView *self = TROUPE_WORKER_VIEW (widget);

  g_clear_handle_id (&self->clock, g_source_remove);
  watch_own_threads (self, FALSE);

  GTK_WIDGET_CLASS (troupe_worker_view_parent_class)->unmap (widget);
}

static void
troupe_worker_view_dispose (GObject *object)
{
  TroupeWorkerView *self = (TroupeWorkerView *) object;

  troupe_worker_view_set_worker (self, NULL);
  troupe_worker_view_set_pool (self, NULL);
  troupe_worker_view_set_sampler (self, NULL);
  g_clear_handle_id (&self->clock, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TROUPE_TYPE_WORKER_VIEW);
  /* The template's top box is not bound to a field: unparent it ourselves. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (troupe_worker_view_parent_class)->dispose (object);
}

static void
troupe_worker_view_class_init (TroupeWorkerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = troupe_worker_view_dispose;
  widget_class->map = troupe_worker_view_map;
  widget_class->unmap = troupe_worker_view_unmap;

  g_type_ensure (TROUPE_TYPE_LOAD_GRAPH);
  g_type_ensure (TROUPE_TYPE_MESSAGES_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/troupe/Troupe/troupe-worker-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, pages);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, not_responding_box);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, not_responding_title);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, summary_group);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, terminate_button);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, state_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, run_time_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, thread_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, waiting_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, load_box);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, load_graph);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, stat_box);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, status_codes_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, errors_row);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, data_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, threads_stack);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, threads_empty_label);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, thread_list);
  gtk_widget_class_bind_template_child (widget_class, TroupeWorkerView, messages_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "worker.terminate", NULL, on_terminate);
}

/* A number with its name under it; the rate and percentiles with the colour
 * of their line on the graph. */
static void
add_stat (TroupeWorkerView *self,
          guint             stat,
          const char       *name,
          const char       *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *key = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *caption = gtk_label_new (name);

  gtk_widget_add_css_class (value, "title-3");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_halign (key, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    {
      GtkWidget *dot = gtk_label_new ("●");

      gtk_widget_add_css_class (dot, "caption");
      gtk_widget_add_css_class (dot, "load-key");
      gtk_widget_add_css_class (dot, css_class);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL, "",
                                      -1);
      gtk_box_append (GTK_BOX (key), dot);
    }
  gtk_box_append (GTK_BOX (key), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), key);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL,
                                  -1);
  gtk_box_append (self->stat_box, box);
  self->stat_values[stat] = GTK_LABEL (value);
}

static void
troupe_worker_view_init (TroupeWorkerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_stat (self, STAT_REQUESTS, _("Requests"), NULL);
  add_stat (self, STAT_RATE, _("Per Second"), "rate");
  add_stat (self, STAT_P50, _("p50 Latency"), "p50");
  add_stat (self, STAT_P90, _("p90 Latency"), "p90");
  add_stat (self, STAT_P99, _("p99 Latency"), "p99");
  add_stat (self, STAT_ERRORS, _("Errors"), NULL);
}

GtkWidget *
troupe_worker_view_new (void)
{
  return g_object_new (TROUPE_TYPE_WORKER_VIEW, NULL);
}

/**
 * troupe_worker_view_get_worker:
 *
 * Returns: (transfer none) (nullable): the worker shown
 */
TroupeWorker *
troupe_worker_view_get_worker (TroupeWorkerView *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_VIEW (self), NULL);
  return self->worker;
}

/**
 * troupe_worker_view_set_worker:
 * @worker: (nullable): the worker to show
 */
void
troupe_worker_view_set_worker (TroupeWorkerView *self,
                               TroupeWorker     *worker)
{
  g_autofree char *data = NULL;

  g_return_if_fail (TROUPE_IS_WORKER_VIEW (self));
  g_return_if_fail (worker == NULL || TROUPE_IS_WORKER (worker));

  if (self->worker == worker)
    return;
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);
  self->shown_reports = 0;

  /* During dispose the template is gone already. */
  if (self->messages_view == NULL)
    return;
  troupe_messages_view_set_worker (self->messages_view, worker);
  troupe_load_graph_clear (self->load_graph);
  if (worker == NULL)
    return;

  troupe_load_history_track (worker);
  /* After the load history's own handler, which was connected first. */
  g_signal_connect_swapped (worker, "messages", G_CALLBACK (on_messages), self);
  g_signal_connect_swapped (worker, "notify::state", G_CALLBACK (on_state_changed), self);
  data = troupe_worker_dup_data_text (worker);
  gtk_label_set_text (self->data_label, data);
  update (self);
  update_load (self);
  update_threads (self);
}

/**
 * troupe_worker_view_set_pool:
 * @pool: (nullable): the pool whose threads to list
 */
void
troupe_worker_view_set_pool (TroupeWorkerView *self,
                             TroupeWorkerPool *pool)
{
  g_return_if_fail (TROUPE_IS_WORKER_VIEW (self));
  g_return_if_fail (pool == NULL || TROUPE_IS_WORKER_POOL (pool));

  g_set_object (&self->pool, pool);
  if (self->thread_list != NULL)
    update_threads (self);
}

/**
 * troupe_worker_view_set_sampler:
 * @sampler: (nullable): what reads the CPU use of the pool's threads
 */
void
troupe_worker_view_set_sampler (TroupeWorkerView *self,
                                TroupeSampler    *sampler)
{
  g_return_if_fail (TROUPE_IS_WORKER_VIEW (self));
  g_return_if_fail (sampler == NULL || TROUPE_IS_SAMPLER (sampler));

  if (self->sampler == sampler)
    return;
  watch_own_threads (self, FALSE);
  g_set_object (&self->sampler, sampler);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    watch_own_threads (self, TRUE);
}

/**
 * troupe_worker_view_get_pages:
 *
 * Returns: (transfer none): the page's two pages, the worker and its messages,
 *   for a view switcher
 */
AdwViewStack *
troupe_worker_view_get_pages (TroupeWorkerView *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_VIEW (self), NULL);
  return self->pages;
}

/**
 * troupe_worker_view_get_switcher_bar:
 *
 * Returns: (transfer none): the switch between the two pages at the bottom,
 *   for when the header has no room for it
 */
AdwViewSwitcherBar *
troupe_worker_view_get_switcher_bar (TroupeWorkerView *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_VIEW (self), NULL);
  return self->switcher_bar;
}

/**
 * troupe_worker_view_get_messages_view:
 *
 * Returns: (transfer none): the worker's messages, both ways
 */
TroupeMessagesView *
troupe_worker_view_get_messages_view (TroupeWorkerView *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_VIEW (self), NULL);
  return self->messages_view;
}

/**
 * troupe_worker_view_get_load_graph:
 *
 * Returns: (transfer none): the graph of a load test's reports
 */
TroupeLoadGraph *
troupe_worker_view_get_load_graph (TroupeWorkerView *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_VIEW (self), NULL);
  return self->load_graph;
}
