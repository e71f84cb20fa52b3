/* no-register.c: a shared library that is not a worker module: it exports no registration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gmodule.h>

G_MODULE_EXPORT int troupe_sample_unrelated (int value);

G_MODULE_EXPORT int
troupe_sample_unrelated (int value)
{
  return value + 1;
}
