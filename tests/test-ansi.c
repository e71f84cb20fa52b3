/* test-ansi.c: terminal escape codes turned into spans of colour and weight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-ansi.h"
#include "troupe-test-util.h"

static char *
parse (const char  *text,
       GArray     **spans)
{
  char *plain = troupe_ansi_parse (text, spans);

  g_assert_true (g_utf8_validate (plain, -1, NULL));
  return plain;
}

static const TroupeAnsiSpan *
span_at (GArray *spans,
         guint   i)
{
  g_assert_cmpuint (i, <, spans->len);
  return &g_array_index (spans, TroupeAnsiSpan, i);
}

static void
test_colours (void)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *plain = parse ("\033[31mred\033[0m plain \033[1;92mbold green\033[m", &spans);

  g_assert_cmpstr (plain, ==, "red plain bold green");
  g_assert_cmpuint (spans->len, ==, 2);
  g_assert_cmpuint (span_at (spans, 0)->start, ==, 0);
  g_assert_cmpuint (span_at (spans, 0)->end, ==, 3);
  g_assert_cmpint (span_at (spans, 0)->foreground, ==, 1);
  g_assert_false (span_at (spans, 0)->bold);
  g_assert_cmpuint (span_at (spans, 1)->start, ==, 10);
  g_assert_cmpuint (span_at (spans, 1)->end, ==, 20);
  g_assert_cmpint (span_at (spans, 1)->foreground, ==, 10);
  g_assert_true (span_at (spans, 1)->bold);
}

static void
test_extended_colours (void)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *plain =
    parse ("\033[38;5;208;48;2;10;20;30;4morange\033[22;24;39;49m", &spans);

  g_assert_cmpstr (plain, ==, "orange");
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpint (span_at (spans, 0)->foreground, ==, 208);
  g_assert_cmpint (span_at (spans, 0)->background, ==, TROUPE_ANSI_RGB_FLAG | 0x0a141e);
  g_assert_true (span_at (spans, 0)->underline);

  g_assert_cmpuint (troupe_ansi_palette_rgb (1), ==, 0xc01c28);
  g_assert_cmpuint (troupe_ansi_palette_rgb (16), ==, 0x000000);
  g_assert_cmpuint (troupe_ansi_palette_rgb (231), ==, 0xffffff);
  g_assert_cmpuint (troupe_ansi_palette_rgb (232), ==, 0x080808);
}

static void
test_other_codes_hidden (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "\033[2K\033[1Gprogress 50%", "progress 50%" },
    { "\033]0;a window title\007after", "after" },
    { "\033]8;;https://example.org\033\\link\033]8;;\033\\", "link" },
    { "\033[?25lhidden cursor\033[?25h", "hidden cursor" },
    { "\033(Bcharset", "charset" },
    { "cut off \033[", "cut off " },
    { "cut off \033", "cut off " },
    { "caf\xc3\xa9 \033[1m\xe2\x9c\x93\033[0m", "caf\xc3\xa9 \xe2\x9c\x93" },
    { "no escapes", "no escapes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) spans = NULL;
      g_autofree char *plain = parse (cases[i].in, &spans);

      g_assert_cmpstr (plain, ==, cases[i].out);
    }
  g_assert_true (troupe_ansi_has_escapes ("a\033[0m"));
  g_assert_false (troupe_ansi_has_escapes ("plain"));
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/ansi/colours", test_colours);
  g_test_add_func ("/troupe/ansi/extended-colours", test_extended_colours);
  g_test_add_func ("/troupe/ansi/other-codes-hidden", test_other_codes_hidden);

  return troupe_test_run_all ();
}
