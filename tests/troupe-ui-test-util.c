/* troupe-ui-test-util.c: what the window's tests share: driving and picturing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-ui-test-util.h"

/* Renders @widget as it is on screen and saves it where CI keeps screenshots. */
void
troupe_ui_test_save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = gtk_native_get_renderer (native);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *folder = g_build_filename (SCREENSHOT_DIR, NULL);
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (folder, file_name, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* A window in the middle of a relayout has nothing to show until its next
   * frame: take the picture once it has been drawn. */
  for (guint attempt = 0; node == NULL && attempt < 200; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_usleep (10000);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The text a label shows, or an inscription (as output lines are); else NULL. */
const char *
troupe_ui_test_widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

gboolean
troupe_ui_test_find_label (GtkWidget  *widget,
            const char *text)
{
  const char *shown = troupe_ui_test_widget_text (widget);

  if (shown != NULL && g_str_equal (shown, text))
    return gtk_widget_is_drawable (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (troupe_ui_test_find_label (child, text))
      return TRUE;
  return FALSE;
}

void
troupe_ui_test_wait_for_frames (GtkWidget *widget)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  /* Let layout and the first frames settle; this waits, it never measures. */
  while (!gtk_widget_get_mapped (widget) || g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Starts the app without running it, so the test drives the main loop itself. */
TroupeWindow *
troupe_ui_test_open_window (TroupeApplication **app)
{
  GtkWindow *window;

  *app = troupe_application_new ();
  g_application_set_flags (G_APPLICATION (*app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, NULL));
  g_application_activate (G_APPLICATION (*app));
  window = gtk_application_get_active_window (GTK_APPLICATION (*app));
  g_assert_true (TROUPE_IS_WINDOW (window));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  return TROUPE_WINDOW (window);
}

void
troupe_ui_test_close_window (TroupeApplication *app,
              TroupeWindow      *window)
{
  troupe_session_stop_all_sync (troupe_application_get_session (app));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits until @text is on screen; lines arrive in batches, rows per frame. */
void
troupe_ui_test_wait_for_label (GtkWidget  *window,
                const char *text)
{
  guint tick = g_timeout_add (10, keep_ticking, NULL);
  gint64 limit = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!troupe_ui_test_find_label (window, text))
    {
      if (g_get_monotonic_time () > limit)
        g_error ("“%s” never appeared", text);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

GtkWidget *
troupe_ui_test_find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = troupe_ui_test_find_entry (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}


/* The search bar's entry (a drop-down has a search entry of its own inside). */
GtkWidget *
troupe_ui_test_find_search_entry (GtkWidget *widget)
{
  GtkWidget *bar = troupe_ui_test_find_widget (widget, GTK_TYPE_SEARCH_BAR, NULL);

  return bar != NULL ? troupe_ui_test_find_widget (bar, GTK_TYPE_SEARCH_ENTRY, NULL) : NULL;
}

/* Chooses item @position of the first drop-down in @widget, as a click would. */
void
troupe_ui_test_select_dropdown (GtkWidget *widget,
                                guint      position)
{
  GtkWidget *dropdown = troupe_ui_test_find_widget (widget, GTK_TYPE_DROP_DOWN, NULL);

  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), position);
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget))
    {
      const char *name = gtk_widget_get_tooltip_text (widget);

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 ||
          (name != NULL && g_str_has_prefix (name, label)))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Drawn labels under @widget whose text holds @part. */
guint
troupe_ui_test_count_labels_containing (GtkWidget  *widget,
                                        const char *part)
{
  guint found = 0;

  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    found++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    found += troupe_ui_test_count_labels_containing (child, part);
  return found;
}

typedef struct
{
  GtkWidget  *widget;
  const char *part;
  guint       count;   /* 0: at least one */
} LabelWait;

static gboolean
labels_shown (gpointer data)
{
  LabelWait *wait = data;
  guint found = troupe_ui_test_count_labels_containing (wait->widget, wait->part);

  return wait->count == 0 ? found > 0 : found == wait->count;
}

/* Waits until exactly @count drawn labels under @widget hold @part. */
void
troupe_ui_test_wait_for_labels_containing (GtkWidget  *widget,
                                           const char *part,
                                           guint       count)
{
  LabelWait wait = { widget, part, count };
  g_autofree char *what = g_strdup_printf ("for %u labels saying “%s”", count, part);

  g_assert_cmpuint (count, >, 0);
  troupe_ui_test_wait_until (labels_shown, &wait, what);
}

/* Waits until a drawn label under @widget holds @part. */
void
troupe_ui_test_wait_for_text (GtkWidget  *widget,
                              const char *part)
{
  LabelWait wait = { widget, part, 0 };
  g_autofree char *what = g_strdup_printf ("for a label saying “%s”", part);

  troupe_ui_test_wait_until (labels_shown, &wait, what);
}

/* Drawn images that say @label (the direction icons have no text of their own). */
guint
troupe_ui_test_count_images_labelled (GtkWidget  *widget,
                                      const char *label)
{
  guint n = 0;

  if (GTK_IS_IMAGE (widget) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), label) == 0)
    n = 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += troupe_ui_test_count_images_labelled (child, label);
  return n;
}

/* The button whose label, or tooltip, starts with @label. */
GtkWidget *
troupe_ui_test_find_button (GtkWidget  *widget,
                            const char *label)
{
  return find_button_labelled (widget, label);
}

/* Clicks the button whose label, or tooltip, starts with @label. */
void
troupe_ui_test_click_button (GtkWidget  *widget,
                             const char *label)
{
  GtkWidget *button = find_button_labelled (widget, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* Whether a drawn label's text starts with @prefix. */
gboolean
troupe_ui_test_find_label_prefix (GtkWidget  *widget,
                                  const char *prefix)
{
  const char *shown = troupe_ui_test_widget_text (widget);

  if (shown != NULL && gtk_widget_is_drawable (widget) && g_str_has_prefix (shown, prefix))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (troupe_ui_test_find_label_prefix (child, prefix))
      return TRUE;
  return FALSE;
}

/* The first toplevel window of @type, as gtk_window_get_toplevels() lists them. */
GtkWindow *
troupe_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

/* The first widget in @widget of @type with the style class @css_class (if
 * not %NULL), depth first. */
GtkWidget *
troupe_ui_test_find_widget (GtkWidget  *widget,
                            GType       type,
                            const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = troupe_ui_test_find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_clipboard_text (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*text);
}

/* What @clipboard holds, as text, read the way another app would. */
char *
troupe_ui_test_read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

/* Iterates the main loop until @done says so, for 30 seconds at most. */
void
troupe_ui_test_wait_until (gboolean  (*done) (gpointer user_data),
                           gpointer    user_data,
                           const char *what)
{
  guint tick = g_timeout_add (10, keep_ticking, NULL);
  /* A bound for a loaded machine under sanitizers (a million messages take a
   * while there), never a measure of speed: a hang fails instead of blocking. */
  gint64 limit = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

  while (!done (user_data))
    {
      if (g_get_monotonic_time () > limit)
        g_error ("waited too long %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}
