/* troupe-window-workers.h: the main window's thread workers: their pool, sidebar section and page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-window.h"

G_BEGIN_DECLS

typedef struct _TroupeWindowWorkers TroupeWindowWorkers;

TroupeWindowWorkers *_troupe_window_workers_new         (TroupeWindow         *window,
                                                         GtkStack             *content_stack,
                                                         AdwViewSwitcherTitle *page_switcher);
void                 _troupe_window_workers_free        (TroupeWindowWorkers  *self);
void                 _troupe_window_workers_load_modules (TroupeWindowWorkers *self);
void                 _troupe_window_workers_add_section (TroupeWindowWorkers  *self,
                                                         GListStore           *sections,
                                                         TroupeSession        *session);
gboolean             _troupe_window_workers_bind_row    (GtkListItem          *item,
                                                         gpointer              object);
gboolean             _troupe_window_workers_unbind_row  (GtkListItem          *item);
gboolean             _troupe_window_workers_show        (TroupeWindowWorkers  *self,
                                                         gpointer              item);
gboolean             _troupe_window_workers_is_shown    (TroupeWindowWorkers  *self);
gboolean             _troupe_window_workers_show_page   (TroupeWindowWorkers  *self,
                                                         const char           *page);
gboolean             _troupe_window_workers_remove      (TroupeWindowWorkers  *self,
                                                         gpointer              item);
guint                _troupe_window_workers_count_alive (TroupeWindowWorkers  *self);
char                *_troupe_window_workers_dup_quit_text (TroupeWindowWorkers *self);
void                 _troupe_window_workers_class_init  (GtkWidgetClass       *widget_class);

/* In troupe-window.c, for the above. */
TroupeWindowWorkers *_troupe_window_get_workers         (TroupeWindow         *self);
gpointer             _troupe_window_get_selected_item   (TroupeWindow         *self);
void                 _troupe_window_select_item         (TroupeWindow         *self,
                                                         gpointer              item);
void                 _troupe_window_show_toast          (TroupeWindow         *self,
                                                         const char           *text);

G_END_DECLS
