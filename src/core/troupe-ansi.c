/* troupe-ansi.c: terminal escape codes in a line: colours and weights kept, the rest hidden
 *
 * Programs colour their output with SGR sequences (ESC [ … m). These are turned
 * into spans of text with a look; every other escape sequence — cursor moves,
 * erasing, window titles (OSC) — is removed, since a log is not a screen. Each
 * line starts with the default look, as most programs reset at each line's end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "troupe-ansi.h"

#define ESC '\033'

/* The 16 basic colours, as GNOME's terminal draws them (Tango-ish, readable on
 * both light and dark backgrounds). */
static const guint32 basic_colours[16] = {
  0x241f31, 0xc01c28, 0x2ec27e, 0xf5c211, 0x1e78e4, 0x9841bb, 0x0ab9dc, 0xc0bfbc,
  0x5e5c64, 0xed333b, 0x57e389, 0xf8e45c, 0x51a1ff, 0xc061cb, 0x4fd2fd, 0xf6f5f4,
};

/**
 * troupe_ansi_palette_rgb:
 * @index: a palette entry, 0–255
 *
 * Returns: its colour as 0xRRGGBB: the basic 16, the 6×6×6 cube, the greys
 */
guint32
troupe_ansi_palette_rgb (guint index)
{
  static const guint8 levels[6] = { 0, 95, 135, 175, 215, 255 };

  if (index < 16)
    return basic_colours[index];
  if (index < 232)
    {
      guint cube = index - 16;
      return (levels[cube / 36] << 16) | (levels[(cube / 6) % 6] << 8) | levels[cube % 6];
    }
  if (index < 256)
    {
      guint grey = 8 + (index - 232) * 10;
      return (grey << 16) | (grey << 8) | grey;
    }
  return 0;
}

/**
 * troupe_ansi_has_escapes:
 *
 * Returns: whether @text holds an escape character at all (the common case,
 *   no, needs no parsing)
 */
gboolean
troupe_ansi_has_escapes (const char *text)
{
  return strchr (text, ESC) != NULL;
}

static void
reset_look (TroupeAnsiSpan *look)
{
  look->foreground = TROUPE_ANSI_DEFAULT;
  look->background = TROUPE_ANSI_DEFAULT;
  look->bold = look->dim = look->italic = look->underline = look->inverse = FALSE;
}

/* Reads a colour after 38 or 48: "5;N" or "2;R;G;B". Returns how many
 * parameters it used, or 0 if they make no colour. */
static guint
read_extended_colour (const int *params,
                      guint      n_params,
                      gint32    *colour)
{
  if (n_params >= 2 && params[0] == 5 && params[1] >= 0 && params[1] < 256)
    {
      *colour = params[1];
      return 2;
    }
  if (n_params >= 4 && params[0] == 2)
    {
      guint red = CLAMP (params[1], 0, 255);
      guint green = CLAMP (params[2], 0, 255);
      guint blue = CLAMP (params[3], 0, 255);

      *colour = TROUPE_ANSI_RGB_FLAG | (red << 16) | (green << 8) | blue;
      return 4;
    }
  return 0;
}

static void
apply_sgr (TroupeAnsiSpan *look,
           const int      *params,
           guint           n_params)
{
  if (n_params == 0)
    {
      reset_look (look);
      return;
    }

  for (guint i = 0; i < n_params; i++)
    {
      int p = params[i];

      if (p == 0)
        reset_look (look);
      else if (p == 1)
        look->bold = TRUE;
      else if (p == 2)
        look->dim = TRUE;
      else if (p == 3)
        look->italic = TRUE;
      else if (p == 4)
        look->underline = TRUE;
      else if (p == 7)
        look->inverse = TRUE;
      else if (p == 22)
        look->bold = look->dim = FALSE;
      else if (p == 23)
        look->italic = FALSE;
      else if (p == 24)
        look->underline = FALSE;
      else if (p == 27)
        look->inverse = FALSE;
      else if (p >= 30 && p <= 37)
        look->foreground = p - 30;
      else if (p == 38)
        i += read_extended_colour (params + i + 1, n_params - i - 1, &look->foreground);
      else if (p == 39)
        look->foreground = TROUPE_ANSI_DEFAULT;
      else if (p >= 40 && p <= 47)
        look->background = p - 40;
      else if (p == 48)
        i += read_extended_colour (params + i + 1, n_params - i - 1, &look->background);
      else if (p == 49)
        look->background = TROUPE_ANSI_DEFAULT;
      else if (p >= 90 && p <= 97)
        look->foreground = p - 90 + 8;
      else if (p >= 100 && p <= 107)
        look->background = p - 100 + 8;
      /* Anything else (blink, fonts…) is ignored. */
    }
}

static gboolean
is_default (const TroupeAnsiSpan *look)
{
  return look->foreground == TROUPE_ANSI_DEFAULT && look->background == TROUPE_ANSI_DEFAULT &&
         !look->bold && !look->dim && !look->italic && !look->underline && !look->inverse;
}

/* Closes the span in progress at @end, if it has text and a look of its own. */
static void
close_span (GArray         *spans,
            TroupeAnsiSpan *look,
            guint           end)
{
  if (end > look->start && !is_default (look))
    {
      TroupeAnsiSpan span = *look;

      span.end = end;
      g_array_append_val (spans, span);
    }
  look->start = end;
}

/**
 * troupe_ansi_parse:
 * @text: one line, valid UTF-8
 * @spans: (out) (element-type TroupeAnsiSpan): the stretches with a look
 *
 * Returns: (transfer full): @text without its escape sequences
 */
char *
troupe_ansi_parse (const char  *text,
                   GArray     **spans)
{
  GString *plain = g_string_sized_new (strlen (text));
  TroupeAnsiSpan look;
  const char *c = text;

  *spans = g_array_new (FALSE, FALSE, sizeof (TroupeAnsiSpan));
  reset_look (&look);
  look.start = 0;

  while (*c != '\0')
    {
      const char *escape = strchr (c, ESC);

      if (escape == NULL)
        {
          g_string_append (plain, c);
          break;
        }
      g_string_append_len (plain, c, escape - c);
      c = escape + 1;

      if (*c == '[')
        {
          /* CSI: parameters, intermediates, then a final byte in @–~. */
          int params[32];
          guint n_params = 0;
          int value = -1;
          gboolean private = FALSE;

          c++;
          if (*c == '?' || *c == '>' || *c == '<' || *c == '=')
            {
              private = TRUE;
              c++;
            }
          while (*c != '\0' && (g_ascii_isdigit (*c) || *c == ';' || *c == ':'))
            {
              if (g_ascii_isdigit (*c))
                {
                  /* Capped, so a runaway number cannot overflow. */
                  value = MIN ((value < 0 ? 0 : value) * 10 + (*c - '0'), 100000);
                }
              else
                {
                  if (n_params < G_N_ELEMENTS (params))
                    params[n_params++] = value < 0 ? 0 : value;
                  value = -1;
                }
              c++;
            }
          if (value >= 0 && n_params < G_N_ELEMENTS (params))
            params[n_params++] = value;
          while (*c != '\0' && *c >= 0x20 && *c <= 0x2f)
            c++;
          if (*c == '\0')
            break;
          if (*c == 'm' && !private)
            {
              close_span (*spans, &look, plain->len);
              apply_sgr (&look, params, n_params);
            }
          c++;
        }
      else if (*c == ']')
        {
          /* OSC: up to BEL or ESC \. */
          const char *end = c + 1;

          while (*end != '\0' && *end != '\a' && !(*end == ESC && end[1] == '\\'))
            end++;
          c = *end == '\0' ? end : end + (*end == '\a' ? 1 : 2);
        }
      else
        {
          /* Any other escape: intermediates, then a final byte (charset
           * selection, keypad modes…). */
          while (*c != '\0' && *c >= 0x20 && *c <= 0x2f)
            c++;
          if (*c != '\0')
            c++;
        }
    }

  close_span (*spans, &look, plain->len);
  return g_string_free (plain, FALSE);
}
