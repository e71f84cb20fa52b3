/* troupe-json-text.c: strict JSON, as a Node child's JSON.parse() will take it
 *
 * json-glib's parser is lenient: it takes comments, single quotes, leading
 * zeros and text after the value, and writes an overflowing number back as
 * "inf". A Node child dies of any of those (an uncaught SyntaxError), so what
 * Troupe sends is checked here first, against RFC 8259 exactly; what a child
 * sends is checked the same way, so a line Node would refuse is reported as a
 * protocol error rather than taken.
 *
 * One pass, no recursion, no allocation but the container stack; optionally it
 * writes the text back without the whitespace between tokens, which makes a
 * value typed over several lines fit the one-line-per-message framing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "troupe-json-text.h"

G_DEFINE_QUARK (troupe-json-text-error-quark, troupe_json_text_error)

typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_END,  /* just after '[' */
  EXPECT_KEY,           /* after ',' in an object */
  EXPECT_KEY_OR_END,    /* just after '{' */
  EXPECT_COLON,
  AFTER_VALUE,
} State;

typedef struct
{
  const char *text;
  const char *at;
  const char *end;
  GString    *compact;
  GError    **error;
} Scanner;

/* Line and column (in characters) of @at, both from 1, for people. */
static void
locate (const Scanner *scanner,
        const char    *at,
        guint         *line,
        guint         *column)
{
  *line = 1;
  *column = 1;
  for (const char *p = scanner->text; p < at; p++)
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else if (((guchar) *p & 0xC0) != 0x80)
        (*column)++;
    }
}

static gboolean
fail (Scanner    *scanner,
      const char *at,
      const char *what)
{
  guint line, column;

  locate (scanner, at, &line, &column);
  if (at >= scanner->end)
    g_set_error (scanner->error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_SYNTAX,
                 /* Translators: %s says what was expected, e.g. "expected ',' or '}'" */
                 _("Not valid JSON: the text ends too soon (%s)"), what);
  else
    g_set_error (scanner->error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_SYNTAX,
                 /* Translators: line %u, column %u: then what was expected */
                 _("Not valid JSON at line %u, column %u: %s"), line, column, what);
  return FALSE;
}

static void
copy (Scanner    *scanner,
      const char *from,
      const char *to)
{
  if (scanner->compact != NULL)
    g_string_append_len (scanner->compact, from, to - from);
}

static void
skip_whitespace (Scanner *scanner)
{
  while (scanner->at < scanner->end &&
         (*scanner->at == ' ' || *scanner->at == '\t' || *scanner->at == '\n' ||
          *scanner->at == '\r'))
    scanner->at++;
}

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gboolean
scan_string (Scanner *scanner)
{
  const char *start = scanner->at;
  const char *p = start + 1;

  while (p < scanner->end)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        {
          scanner->at = p + 1;
          copy (scanner, start, scanner->at);
          return TRUE;
        }
      if (c < 0x20)
        return fail (scanner, p, _("a control character must be escaped in a string"));
      if (c == '\\')
        {
          if (p + 1 >= scanner->end)
            break;
          switch (p[1])
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              p += 2;
              continue;
            case 'u':
              for (guint i = 2; i < 6; i++)
                if (p + i >= scanner->end || !g_ascii_isxdigit (p[i]))
                  return fail (scanner, p, _("\\u must be followed by four hex digits"));
              p += 6;
              continue;
            default:
              return fail (scanner, p, _("unknown escape in a string"));
            }
        }
      p++;
    }
  return fail (scanner, scanner->end, _("a string is not closed"));
}

static gboolean
scan_number (Scanner *scanner)
{
  const char *start = scanner->at;
  const char *p = start;

  if (*p == '-')
    p++;
  if (p >= scanner->end || !is_digit (*p))
    return fail (scanner, p, _("expected a digit"));
  if (*p == '0')
    {
      p++;
      if (p < scanner->end && is_digit (*p))
        return fail (scanner, p, _("a number cannot have a leading zero"));
    }
  else
    while (p < scanner->end && is_digit (*p))
      p++;
  if (p < scanner->end && *p == '.')
    {
      p++;
      if (p >= scanner->end || !is_digit (*p))
        return fail (scanner, p, _("expected a digit after the decimal point"));
      while (p < scanner->end && is_digit (*p))
        p++;
    }
  if (p < scanner->end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < scanner->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= scanner->end || !is_digit (*p))
        return fail (scanner, p, _("expected a digit in the exponent"));
      while (p < scanner->end && is_digit (*p))
        p++;
    }
  scanner->at = p;
  copy (scanner, start, p);
  return TRUE;
}

static gboolean
scan_literal (Scanner    *scanner,
              const char *literal)
{
  gsize length = strlen (literal);

  if ((gsize) (scanner->end - scanner->at) < length ||
      memcmp (scanner->at, literal, length) != 0)
    return fail (scanner, scanner->at, _("expected a value"));
  copy (scanner, scanner->at, scanner->at + length);
  scanner->at += length;
  return TRUE;
}

/* A value that is not a container: on success, the scanner is after it. */
static gboolean
scan_scalar (Scanner *scanner)
{
  switch (*scanner->at)
    {
    case '"':
      return scan_string (scanner);
    case 't':
      return scan_literal (scanner, "true");
    case 'f':
      return scan_literal (scanner, "false");
    case 'n':
      return scan_literal (scanner, "null");
    default:
      if (*scanner->at == '-' || is_digit (*scanner->at))
        return scan_number (scanner);
      return fail (scanner, scanner->at, _("expected a value"));
    }
}

/* Most messages are plain ASCII: eight bytes at a time is much cheaper than
 * g_utf8_validate_len()'s walk, and an ASCII text is valid UTF-8. */
static gboolean
is_ascii (const char *text,
          gsize       length)
{
  const char *at = text;
  const char *end = text + length;
  guint64 high = 0;

  for (; end - at >= 8; at += 8)
    {
      guint64 word;

      memcpy (&word, at, sizeof word);
      high |= word;
    }
  for (; at < end; at++)
    high |= (guchar) *at;
  return (high & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

/**
 * troupe_json_text_check:
 * @text: (array length=length): the text
 * @length: its length in bytes
 * @compact: (nullable): where to append the text without whitespace between tokens
 * @error: what is wrong, with the line and column, for people
 *
 * Checks that @text is exactly one JSON value (RFC 8259), in UTF-8, with
 * nothing but whitespace around it.
 *
 * Returns: %TRUE if it is
 */
gboolean
troupe_json_text_check (const char *text,
                        gsize       length,
                        GString    *compact,
                        GError    **error)
{
  /* The open containers, innermost last. On the stack: a message is checked on
   * every send, and an allocation per check was a large part of its cost. */
  char containers[TROUPE_JSON_TEXT_MAX_DEPTH];
  gsize depth = 0;
  Scanner scanner = { text, text, text + length, compact, error };
  State state = EXPECT_VALUE;
  const char *invalid;
  gsize compact_start = compact != NULL ? compact->len : 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  if (!is_ascii (text, length) && !g_utf8_validate_len (text, length, &invalid))
    {
      /* A plain format: xgettext cannot see through G_GSIZE_FORMAT, and would
       * offer translators half the message. */
      g_set_error (error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_INVALID_UTF8,
                   _("Not valid UTF-8 (at byte %lu)"), (gulong) (invalid - text));
      return FALSE;
    }
  skip_whitespace (&scanner);
  if (scanner.at == scanner.end)
    {
      g_set_error_literal (error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_EMPTY,
                           _("Empty: there is no JSON value"));
      return FALSE;
    }

  for (;;)
    {
      char top;
      char c;

      skip_whitespace (&scanner);
      if (scanner.at == scanner.end)
        break;
      c = *scanner.at;
      top = depth > 0 ? containers[depth - 1] : 0;

      switch (state)
        {
        case EXPECT_VALUE_OR_END:
          if (c == ']')
            goto close_container;
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
          if (c == '{' || c == '[')
            {
              if (depth >= TROUPE_JSON_TEXT_MAX_DEPTH)
                {
                  g_set_error (error, TROUPE_JSON_TEXT_ERROR, TROUPE_JSON_TEXT_ERROR_TOO_DEEP,
                               _("Nested more than %d levels deep"), TROUPE_JSON_TEXT_MAX_DEPTH);
                  goto failed;
                }
              containers[depth++] = c;
              copy (&scanner, scanner.at, scanner.at + 1);
              scanner.at++;
              state = c == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
              continue;
            }
          if (!scan_scalar (&scanner))
            goto failed;
          state = AFTER_VALUE;
          continue;

        case EXPECT_KEY_OR_END:
          if (c == '}')
            goto close_container;
          G_GNUC_FALLTHROUGH;
        case EXPECT_KEY:
          if (c != '"')
            {
              fail (&scanner, scanner.at, _("expected a member name in double quotes"));
              goto failed;
            }
          if (!scan_string (&scanner))
            goto failed;
          state = EXPECT_COLON;
          continue;

        case EXPECT_COLON:
          if (c != ':')
            {
              fail (&scanner, scanner.at, _("expected ':' after the member name"));
              goto failed;
            }
          copy (&scanner, scanner.at, scanner.at + 1);
          scanner.at++;
          state = EXPECT_VALUE;
          continue;

        case AFTER_VALUE:
          if (top == 0)
            {
              fail (&scanner, scanner.at, _("unexpected text after the value"));
              goto failed;
            }
          if (c == ',')
            {
              copy (&scanner, scanner.at, scanner.at + 1);
              scanner.at++;
              state = top == '{' ? EXPECT_KEY : EXPECT_VALUE;
              continue;
            }
          if ((top == '{' && c == '}') || (top == '[' && c == ']'))
            goto close_container;
          fail (&scanner, scanner.at, top == '{' ? _("expected ',' or '}'")
                                                 : _("expected ',' or ']'"));
          goto failed;

        default:
          g_assert_not_reached ();
        }

    close_container:
      copy (&scanner, scanner.at, scanner.at + 1);
      scanner.at++;
      depth--;
      state = AFTER_VALUE;
    }

  if (state == AFTER_VALUE && depth == 0)
    return TRUE;

  switch (state)
    {
    case EXPECT_COLON:
      fail (&scanner, scanner.end, _("expected ':' after the member name"));
      break;
    case EXPECT_KEY:
    case EXPECT_KEY_OR_END:
      fail (&scanner, scanner.end, _("expected a member name in double quotes"));
      break;
    case EXPECT_VALUE:
    case EXPECT_VALUE_OR_END:
      fail (&scanner, scanner.end, _("expected a value"));
      break;
    case AFTER_VALUE:
    default:
      fail (&scanner, scanner.end, containers[depth - 1] == '{'
                                     ? _("expected ',' or '}'") : _("expected ',' or ']'"));
      break;
    }

failed:
  if (compact != NULL)
    g_string_truncate (compact, compact_start);
  return FALSE;
}
