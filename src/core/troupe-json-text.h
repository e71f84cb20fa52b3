/* troupe-json-text.h: strict JSON, as a Node child's JSON.parse() will take it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TROUPE_JSON_TEXT_ERROR (troupe_json_text_error_quark ())

typedef enum
{
  TROUPE_JSON_TEXT_ERROR_EMPTY,
  TROUPE_JSON_TEXT_ERROR_INVALID_UTF8,
  TROUPE_JSON_TEXT_ERROR_SYNTAX,
  TROUPE_JSON_TEXT_ERROR_TOO_DEEP,
} TroupeJsonTextError;

/* Deeper nesting is refused: nothing real needs it, and a tree that deep
 * would exhaust the stack of whoever builds it. */
#define TROUPE_JSON_TEXT_MAX_DEPTH 10000

GQuark   troupe_json_text_error_quark (void);
gboolean troupe_json_text_check       (const char *text,
                                       gsize       length,
                                       GString    *compact,
                                       GError    **error);

G_END_DECLS
