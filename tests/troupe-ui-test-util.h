/* troupe-ui-test-util.h: what the window's tests share: driving and picturing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-application.h"
#include "troupe-test-util.h"
#include "troupe-window.h"

G_BEGIN_DECLS

void          troupe_ui_test_save_screenshot (GtkWidget          *widget,
                                              const char         *name);
const char   *troupe_ui_test_widget_text     (GtkWidget          *widget);
gboolean      troupe_ui_test_find_label      (GtkWidget          *widget,
                                              const char         *text);
gboolean      troupe_ui_test_find_label_prefix (GtkWidget        *widget,
                                                const char       *prefix);
void          troupe_ui_test_wait_for_frames (GtkWidget          *widget);
void          troupe_ui_test_wait_for_label  (GtkWidget          *window,
                                              const char         *text);
GtkWidget    *troupe_ui_test_find_entry      (GtkWidget          *widget);
GtkWidget    *troupe_ui_test_find_search_entry (GtkWidget      *widget);
void          troupe_ui_test_select_dropdown (GtkWidget          *widget,
                                              guint               position);
guint         troupe_ui_test_count_labels_containing (GtkWidget  *widget,
                                                      const char *part);
void          troupe_ui_test_wait_for_labels_containing (GtkWidget  *widget,
                                                         const char *part,
                                                         guint       count);
void          troupe_ui_test_wait_for_text   (GtkWidget          *widget,
                                              const char         *part);
guint         troupe_ui_test_count_images_labelled (GtkWidget    *widget,
                                                    const char   *label);
GtkWidget    *troupe_ui_test_find_button     (GtkWidget          *widget,
                                              const char         *label);
void          troupe_ui_test_click_button    (GtkWidget          *widget,
                                              const char         *label);
TroupeWindow *troupe_ui_test_open_window     (TroupeApplication **app);
void          troupe_ui_test_close_window    (TroupeApplication  *app,
                                              TroupeWindow       *window);
GtkWindow    *troupe_ui_test_find_toplevel   (GType               type);
GtkWidget    *troupe_ui_test_find_widget     (GtkWidget          *widget,
                                              GType               type,
                                              const char         *css_class);
char         *troupe_ui_test_read_clipboard  (GdkClipboard       *clipboard);
void          troupe_ui_test_wait_until      (gboolean          (*done) (gpointer user_data),
                                              gpointer            user_data,
                                              const char         *what);

G_END_DECLS
