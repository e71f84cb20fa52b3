/* troupe-ansi.h: terminal escape codes in a line: colours and weights kept, the rest hidden
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A colour: the default, one of the 256 palette entries, or 24-bit RGB. */
#define TROUPE_ANSI_DEFAULT  (-1)
#define TROUPE_ANSI_RGB_FLAG (1 << 24)

/**
 * TroupeAnsiSpan:
 * @start: where the span starts in the text without escape codes (bytes)
 * @end: where it ends
 * @foreground: %TROUPE_ANSI_DEFAULT, 0–255, or %TROUPE_ANSI_RGB_FLAG | 0xRRGGBB
 * @background: likewise
 *
 * A stretch of text with one look.
 */
typedef struct
{
  guint    start;
  guint    end;
  gint32   foreground;
  gint32   background;
  gboolean bold;
  gboolean dim;
  gboolean italic;
  gboolean underline;
  gboolean inverse;
} TroupeAnsiSpan;

char    *troupe_ansi_parse        (const char  *text,
                                   GArray     **spans);
gboolean troupe_ansi_has_escapes  (const char  *text);
guint32  troupe_ansi_palette_rgb  (guint        index);

G_END_DECLS
