/* troupe-signal-names.h: POSIX signal numbers, names and what they mean to people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *troupe_signal_name        (int         signal_number);
const char *troupe_signal_description (int         signal_number);
int         troupe_signal_from_name   (const char *name);

G_END_DECLS
