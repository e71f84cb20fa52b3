/* troupe-headless-worker.h: `troupe worker KIND`: one thread worker in this terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int troupe_headless_worker_main (int    argc,
                                 char **argv);

G_END_DECLS
