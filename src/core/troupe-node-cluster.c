/* troupe-node-cluster.c: the primary's side of Node's cluster protocol, for a member's run
 *
 * A Node program that uses `cluster` runs each worker with NODE_UNIQUE_ID and a
 * channel, and the worker asks the primary for its server sockets. Troupe is
 * that primary: it answers `queryServer` with a socket bound to the address
 * and port asked for (the cluster's own when they match) passed as a handle,
 * so every worker accepts on the same socket, and it follows `online`,
 * `listening` and the leaving handshake. The messages are in NODE-IPC.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-cluster-private.h"

typedef struct
{
  guint next_seq;
} NodeRun;

static NodeRun *
node_run (TroupeProcess *run)
{
  NodeRun *node = g_object_get_data (G_OBJECT (run), "troupe-node-cluster");

  if (node == NULL)
    {
      node = g_new0 (NodeRun, 1);
      g_object_set_data_full (G_OBJECT (run), "troupe-node-cluster", node, g_free);
    }
  return node;
}

static JsonObject *
cluster_message (TroupeProcess *run)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "cmd", "NODE_CLUSTER");
  json_object_set_int_member (object, "seq", node_run (run)->next_seq++);
  return object;
}

/* Sends @object, which it takes. */
static void
send_object (TroupeProcess *run,
             JsonObject    *object,
             int            handle)
{
  g_autoptr(JsonNode) node = json_node_init (json_node_alloc (), JSON_NODE_OBJECT);
  TroupeChannel *channel = troupe_process_get_channel (run);

  json_node_take_object (node, object);
  if (channel == NULL || !troupe_channel_is_connected (channel))
    return;
  if (handle >= 0)
    troupe_channel_send_handle (channel, node, handle, NULL);
  else
    troupe_channel_send (channel, node, NULL);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      (json_node_get_value_type (member) != G_TYPE_INT64 &&
       json_node_get_value_type (member) != G_TYPE_DOUBLE))
    return FALSE;
  *value = json_node_get_int (member);
  return TRUE;
}

/* The worker's listen(): answered with a bound socket, as a net.Native handle. */
static void
answer_query_server (TroupeClusterMember *member,
                     TroupeProcess       *run,
                     JsonObject          *query)
{
  TroupeCluster *cluster = _troupe_cluster_member_get_cluster (member);
  const char *address = string_member (query, "address");
  gint64 port = 0;
  gint64 ack = 0;
  gint64 address_type = 4;
  g_autofree char *key = NULL;
  JsonObject *reply;
  JsonObject *wrapper;
  int failure = 0;
  int fd = -1;

  int_member (query, "port", &port);
  int_member (query, "seq", &ack);
  int_member (query, "addressType", &address_type);
  key = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":",
                         address != NULL ? address : "null", port, address_type);
  if (cluster != NULL && port >= 0 && port <= 65535)
    fd = _troupe_cluster_share_listener (cluster, address, (guint16) port, &failure);
  else
    failure = 22; /* EINVAL */

  reply = cluster_message (run);
  /* Node's errno is libuv's: the negative errno. */
  json_object_set_int_member (reply, "errno", fd >= 0 ? 0 : -failure);
  json_object_set_string_member (reply, "key", key);
  json_object_set_int_member (reply, "ack", ack);
  json_object_set_null_member (reply, "data");
  if (fd < 0)
    {
      send_object (run, reply, -1);
      return;
    }
  wrapper = json_object_new ();
  json_object_set_string_member (wrapper, "cmd", "NODE_HANDLE");
  json_object_set_string_member (wrapper, "type", "net.Native");
  json_object_set_object_member (wrapper, "msg", reply);
  send_object (run, wrapper, fd);
}

/* A worker leaving by itself waits for this before it closes the channel. */
static void
acknowledge (TroupeProcess *run,
             JsonObject    *request)
{
  JsonObject *reply = json_object_new ();
  gint64 seq = 0;

  int_member (request, "seq", &seq);
  json_object_set_string_member (reply, "cmd", "NODE_CLUSTER");
  json_object_set_int_member (reply, "ack", seq);
  send_object (run, reply, -1);
}

/**
 * _troupe_node_cluster_handle:
 * @message: an internal message from @run
 *
 * Returns: %TRUE if it was one of the cluster protocol's
 */
gboolean
_troupe_node_cluster_handle (TroupeClusterMember *member,
                             TroupeProcess       *run,
                             JsonNode            *message)
{
  JsonObject *object;
  const char *act;

  if (!JSON_NODE_HOLDS_OBJECT (message))
    return FALSE;
  object = json_node_get_object (message);
  if (g_strcmp0 (string_member (object, "cmd"), "NODE_CLUSTER") != 0)
    return FALSE;
  node_run (run);
  act = string_member (object, "act");
  if (act == NULL)
    return TRUE;

  if (g_str_equal (act, "online"))
    _troupe_cluster_member_run_online (member, run);
  else if (g_str_equal (act, "queryServer"))
    answer_query_server (member, run, object);
  else if (g_str_equal (act, "listening"))
    _troupe_cluster_member_run_ready (member, run);
  else if (g_str_equal (act, "exitedAfterDisconnect"))
    acknowledge (run, object);
  return TRUE;
}

/**
 * _troupe_node_cluster_ask_to_leave:
 *
 * Asks a Node worker to close its servers, finish, and exit.
 */
void
_troupe_node_cluster_ask_to_leave (TroupeProcess *run)
{
  JsonObject *request = cluster_message (run);

  json_object_set_string_member (request, "act", "disconnect");
  send_object (run, request, -1);
}
