/* troupe-headless-stats.c: a job's CPU and memory, a line every interval
 *
 * `--stats` prints, after every sample, one line per job: on stderr as text
 * (stdout carries the command's own output), or on stdout as a JSON event
 * with every descendant listed, for scripts that watch what a build or a
 * server costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-headless-private.h"
#include "troupe-headless-stats.h"

static void
append_number (GString *event,
               double   value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (event, g_ascii_formatd (number, sizeof number, "%.1f", value));
}

static void
append_process (GString           *event,
                TroupeProcessInfo *info)
{
  g_string_append_printf (event, "{\"pid\":%d,\"ppid\":%d,\"name\":",
                          (int) troupe_process_info_get_pid (info),
                          (int) troupe_process_info_get_parent_pid (info));
  _troupe_headless_append_json_string (event, troupe_process_info_get_name (info));
  g_string_append (event, ",\"cpu\":");
  append_number (event, troupe_process_info_get_cpu (info));
  g_string_append_printf (event, ",\"rss\":%" G_GUINT64_FORMAT "}",
                          troupe_process_info_get_rss (info));
}

/* Every descendant of @info, parents before their children. */
static void
append_descendants (GString           *event,
                    TroupeProcessInfo *info,
                    gboolean          *first)
{
  GListModel *children = troupe_process_info_get_children (info);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(TroupeProcessInfo) child = g_list_model_get_item (children, i);

      if (!*first)
        g_string_append_c (event, ',');
      *first = FALSE;
      append_process (event, child);
      append_descendants (event, child, first);
    }
}

/**
 * troupe_headless_format_stats:
 * @tree: a job's process tree
 * @member_id: the cluster member it is, or -1
 *
 * Returns: (transfer full) (nullable): the line to print, ending in a
 *   newline (plain text for stderr, a JSON event for stdout), or %NULL when
 *   the tree has not been sampled or has ended
 */
GString *
troupe_headless_format_stats (TroupeProcessTree    *tree,
                              TroupeHeadlessFormat  format,
                              int                   member_id)
{
  TroupeProcessInfo *root = troupe_process_tree_get_root (tree);
  const TroupeSample *totals = troupe_sample_ring_get_latest (troupe_process_tree_get_totals (tree));
  guint n_processes = troupe_process_tree_get_n_processes (tree);
  GString *line;

  if (totals == NULL || troupe_process_tree_has_ended (tree))
    return NULL;

  if (format == TROUPE_HEADLESS_JSON)
    {
      gboolean first = TRUE;

      line = g_string_new ("{\"event\":\"stats\"");
      if (member_id >= 0)
        g_string_append_printf (line, ",\"member\":%d", member_id);
      g_string_append_printf (line, ",\"pid\":%d,\"cpu\":", (int) troupe_process_info_get_pid (root));
      append_number (line, troupe_process_info_get_cpu (root));
      g_string_append_printf (line, ",\"rss\":%" G_GUINT64_FORMAT ",\"total_cpu\":",
                              troupe_process_info_get_rss (root));
      append_number (line, totals->cpu);
      g_string_append_printf (line, ",\"total_rss\":%" G_GUINT64_FORMAT ",\"processes\":%u"
                              ",\"children\":[", totals->rss, n_processes);
      append_descendants (line, root, &first);
      g_string_append (line, "]}\n");
    }
  else
    {
      g_autofree char *memory = g_format_size_full (totals->rss, G_FORMAT_SIZE_IEC_UNITS);

      line = g_string_new (NULL);
      if (member_id >= 0)
        g_string_append_printf (line, "[%d] ", member_id);
      g_string_append_printf (line,
                              /* Translators: CPU use (100 % is one core busy), memory, and how
                               * many processes the job has, itself included */
                              ngettext ("troupe: pid %d: CPU %.1f %%, memory %s, %u process\n",
                                        "troupe: pid %d: CPU %.1f %%, memory %s, %u processes\n",
                                        n_processes),
                              (int) troupe_process_info_get_pid (root), totals->cpu, memory,
                              n_processes);
    }
  return line;
}

/**
 * troupe_parse_memory_size:
 * @text: a size: bytes, or a number with K, M, G or T (powers of 1024),
 *   such as 200M, 1.5G or 512KiB
 * @bytes: (out): the size in bytes
 *
 * Returns: %FALSE (with a message for a person) if @text is not a size
 */
gboolean
troupe_parse_memory_size (const char  *text,
                          guint64     *bytes,
                          GError     **error)
{
  char *end = NULL;
  double value;
  double multiplier = 1;

  value = g_ascii_strtod (text, &end);
  if (end != text && *end != '\0')
    {
      gboolean has_unit = TRUE;

      switch (g_ascii_toupper (*end))
        {
        case 'K':
          multiplier = 1024.0;
          break;
        case 'M':
          multiplier = 1024.0 * 1024;
          break;
        case 'G':
          multiplier = 1024.0 * 1024 * 1024;
          break;
        case 'T':
          multiplier = 1024.0 * 1024 * 1024 * 1024;
          break;
        default:
          has_unit = FALSE;
        }
      if (has_unit)
        end++;
      if (has_unit && g_ascii_strcasecmp (end, "iB") == 0)
        end += 2;
      else if (g_ascii_strcasecmp (end, "B") == 0)
        end++;
    }
  if (end == text || *end != '\0' || !(value >= 0) ||
      value * multiplier > (double) G_MAXINT64)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--memory-limit wants a size such as 200M or 1G, not “%s”"), text);
      return FALSE;
    }
  *bytes = (guint64) (value * multiplier);
  return TRUE;
}
