/* sample-kinds.c: a worker module, built as a user would build one: "sample-sum" and "sample-fail"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gmodule.h>

#include "troupe-worker-registry.h"

/* Adds up the numbers it is sent, posting the total after each; the message
 * "exit" ends it with the count of numbers as its exit code. Start data
 * {"start": N} sets the first total. */
static int
sum_entry (TroupeWorkerContext *context)
{
  JsonNode *data = troupe_worker_context_get_data (context);
  double total = 0;
  int n_numbers = 0;

  if (JSON_NODE_HOLDS_OBJECT (data))
    total = json_object_get_double_member_with_default (json_node_get_object (data), "start", 0);

  for (;;)
    {
      g_autoptr(JsonNode) message = troupe_worker_context_receive (context, -1);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) reply = NULL;

      if (message == NULL)
        return n_numbers;
      if (JSON_NODE_HOLDS_VALUE (message) && json_node_get_value_type (message) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (message), "exit"))
        return n_numbers;
      if (!JSON_NODE_HOLDS_VALUE (message) ||
          (json_node_get_value_type (message) != G_TYPE_INT64 &&
           json_node_get_value_type (message) != G_TYPE_DOUBLE))
        {
          troupe_worker_context_fail (context, "sample-sum adds numbers; it was sent something else");
          return 1;
        }
      total += json_node_get_double (message);
      n_numbers++;

      builder = json_builder_new_immutable ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "total");
      json_builder_add_double_value (builder, total);
      json_builder_end_object (builder);
      reply = json_builder_get_root (builder);
      troupe_worker_context_post (context, reply);
    }
}

static int
fail_entry (TroupeWorkerContext *context)
{
  troupe_worker_context_fail (context, "sample-fail always fails");
  return 0;
}

static const TroupeWorkerKindInfo sample_kinds[] = {
  {
    .name = "sample-sum",
    .title = "Sample: Sum",
    .description = "Adds up the numbers it is sent and posts the total after each.",
    .example_data = "{\"start\": 0}",
    .accepts_messages = TRUE,
    .entry = sum_entry,
  },
  {
    .name = "sample-fail",
    .title = "Sample: Fail",
    .description = "Fails at once, to show how a failure looks.",
    .entry = fail_entry,
  },
};

G_MODULE_EXPORT gboolean troupe_worker_module_register (guint                  abi_version,
                                                        TroupeWorkerRegistry  *registry,
                                                        GError               **error);

G_MODULE_EXPORT gboolean
troupe_worker_module_register (guint                  abi_version,
                               TroupeWorkerRegistry  *registry,
                               GError               **error)
{
  if (!troupe_worker_registry_check_abi_version (registry, TROUPE_WORKER_ABI_VERSION, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (sample_kinds); i++)
    if (!troupe_worker_registry_add (registry, &sample_kinds[i], error))
      return FALSE;
  return TRUE;
}
