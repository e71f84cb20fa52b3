/* troupe-channel.c: a JSON message channel with a child, as Node's fork() makes one
 *
 * Our end of an AF_UNIX stream socket; the child has the other at the fd
 * named by NODE_CHANNEL_FD. A message is one line of JSON each way
 * (../shared/NODE-IPC.md has the protocol). Lines are checked strictly, so a
 * line a Node peer would refuse is a protocol error here too, and nothing
 * invalid is ever sent: a Node child dies of the first invalid line.
 *
 * Sends are queued and written on the next main loop iteration (answers sent
 * from our "message" handlers: at the end of that read), many lines per
 * write(); a full socket leaves them queued, never blocks, and the queue's size
 * is a property. Reads take whole buffers and split them with memchr. Both run
 * at idle priority, like a child's output, so that a chatty child cannot starve
 * a window's frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "troupe-channel.h"
#include "troupe-json-text.h"

#define READ_SIZE           (256 * 1024)
#define READS_PER_DISPATCH  8
#define MAX_FDS_PER_READ    16
/* Past this many written bytes at the front of the queue, they are dropped. */
#define COMPACT_THRESHOLD   (1024 * 1024)
/* How much of a bad line a protocol error keeps, for showing. */
#define RAW_EXCERPT_SIZE    4096

struct _TroupeChannel
{
  GObject     parent_instance;

  int         fd;
  GSource    *read_source;
  /* A read is under way: a handler of ours that runs a main loop of its own
   * must not read again beneath it. Reading is then paused, the source
   * dropped, until the outer read is done. */
  gboolean    reading;
  gboolean    read_paused;
  GSource    *write_source;
  guint       flush_idle;
  /* Disconnecting: the queue is written, then our side is shut for writing */
  gboolean    closing;
  gboolean    write_shut;

  guint8     *read_buffer;
  GByteArray *partial;
  gboolean    skipping;
  gsize       max_message_size;
  GArray     *received_fds;

  GByteArray *queue;
  gsize       queue_start;
  guint64     queue_stream_offset;
  GArray     *handle_marks;

  guint64     n_received;
  guint64     n_sent;
};

typedef struct
{
  guint64 offset;
  int     fd;
} HandleMark;

enum
{
  PROP_0,
  PROP_CONNECTED,
  PROP_QUEUED_BYTES,
  PROP_MAX_MESSAGE_SIZE,
  N_PROPS
};

enum
{
  MESSAGE,
  SENT,
  PROTOCOL_ERROR,
  HANDLE,
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (troupe-channel-error-quark, troupe_channel_error)
G_DEFINE_FINAL_TYPE (TroupeChannel, troupe_channel, G_TYPE_OBJECT)

static void close_channel (TroupeChannel *self);
static void schedule_flush (TroupeChannel *self);
static void flush_now (TroupeChannel *self);
static void watch_reading (TroupeChannel *self);

static gsize
queued_bytes (TroupeChannel *self)
{
  return self->queue->len - self->queue_start;
}

/* --- reading ------------------------------------------------------------ */

static void
report (TroupeChannel      *self,
        TroupeChannelError  code,
        const char         *message,
        const guint8       *raw,
        gsize               raw_length)
{
  g_autoptr(GError) error = g_error_new_literal (TROUPE_CHANNEL_ERROR, code, message);
  g_autoptr(GBytes) excerpt = g_bytes_new (raw, MIN (raw_length, RAW_EXCERPT_SIZE));

  g_signal_emit (self, signals[PROTOCOL_ERROR], 0, error, excerpt);
}

static void queue_line (TroupeChannel *self, const char *line, gsize length, int handle_fd);

/* Also while disconnecting: a Node child waits for this before anything else. */
static void
reply_to_handle (TroupeChannel *self,
                 gboolean       received)
{
  const char *reply = received ? "{\"cmd\":\"NODE_HANDLE_ACK\"}" : "{\"cmd\":\"NODE_HANDLE_NACK\"}";

  if (self->fd >= 0 && !self->write_shut)
    queue_line (self, reply, strlen (reply), -1);
}

/* A NODE_HANDLE message: its fd came with it. Acknowledge it at once, because a
 * Node sender holds every later message until it hears back. */
static void
take_handle (TroupeChannel *self,
             JsonNode      *wrapper)
{
  JsonObject *object = json_node_get_object (wrapper);
  JsonNode *inner = json_object_get_member (object, "msg");
  gboolean claimed = FALSE;
  int fd;

  if (self->received_fds->len == 0)
    {
      report (self, TROUPE_CHANNEL_ERROR_LOST_HANDLE,
              _("A handle was announced but no file descriptor came with it"), NULL, 0);
      reply_to_handle (self, FALSE);
      return;
    }
  fd = g_array_index (self->received_fds, int, 0);
  g_array_remove_index (self->received_fds, 0);
  reply_to_handle (self, TRUE);

  g_signal_emit (self, signals[HANDLE], 0, wrapper, fd, &claimed);
  if (!claimed)
    close (fd);

  /* A user's message that travelled with a handle is still the user's message. */
  if (inner != NULL && !troupe_channel_is_internal (inner) && self->fd >= 0)
    {
      g_autofree char *text = json_to_string (inner, FALSE);
      g_autoptr(GBytes) line = g_bytes_new_take (g_steal_pointer (&text), strlen (text));

      g_signal_emit (self, signals[MESSAGE], 0, line, FALSE);
    }
}

/* The message's "cmd", if it is an object with a string there. A child's
 * message may hold anything anywhere, so every node is checked before use. */
static const char *
command_of (JsonNode *message)
{
  JsonNode *command;

  if (!JSON_NODE_HOLDS_OBJECT (message))
    return NULL;
  command = json_object_get_member (json_node_get_object (message), "cmd");
  if (command == NULL || !JSON_NODE_HOLDS_VALUE (command) ||
      json_node_get_value_type (command) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (command);
}

static gboolean
is_handle_message (JsonNode *message)
{
  return g_strcmp0 (command_of (message), "NODE_HANDLE") == 0;
}

/* A line Node would parse only mentions NODE_ in a key or string; anything else
 * is surely a user message, and is passed on without building a tree. */
static gboolean
may_be_internal (const guint8 *line,
                 gsize         length)
{
  return length > 7 && line[0] == '{' && memmem (line, length, "\"NODE_", 6) != NULL;
}

static void
take_line (TroupeChannel *self,
           const guint8  *line,
           gsize          length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) tree = NULL;
  gboolean internal = FALSE;

  if (!troupe_json_text_check ((const char *) line, length, NULL, &error))
    {
      report (self, TROUPE_CHANNEL_ERROR_NOT_JSON, error->message, line, length);
      return;
    }

  bytes = g_bytes_new (line, length);
  if (may_be_internal (line, length))
    {
      tree = troupe_channel_parse (bytes);
      internal = tree != NULL && troupe_channel_is_internal (tree);
    }

  self->n_received++;
  g_signal_emit (self, signals[MESSAGE], 0, bytes, internal);
  if (internal && self->fd >= 0 && is_handle_message (tree))
    take_handle (self, tree);
}

static void
too_long (TroupeChannel *self,
          const guint8  *head,
          gsize          head_length)
{
  g_autofree char *limit = g_format_size_full (self->max_message_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *message =
    g_strdup_printf (_("A message is longer than the limit of %s; it was skipped"), limit);

  report (self, TROUPE_CHANNEL_ERROR_TOO_LONG, message, head, head_length);
}

/* Splits what was read into lines; keeps the unfinished end for next time. */
static void
take_bytes (TroupeChannel *self,
            const guint8  *data,
            gsize          length)
{
  const guint8 *end = data + length;
  g_autoptr(TroupeChannel) hold = g_object_ref (self);

  while (data < end && self->fd >= 0)
    {
      const guint8 *newline = memchr (data, '\n', end - data);
      gsize piece = (newline != NULL ? newline : end) - data;

      if (self->skipping)
        {
          if (newline == NULL)
            return;
          self->skipping = FALSE;
          data = newline + 1;
          continue;
        }

      if (self->partial->len + piece > self->max_message_size)
        {
          /* Report it with its start, then drop the rest up to the next line end. */
          if (self->partial->len > 0)
            too_long (self, self->partial->data, self->partial->len);
          else
            too_long (self, data, piece);
          g_byte_array_set_size (self->partial, 0);
          self->skipping = newline == NULL;
          data = newline != NULL ? newline + 1 : end;
          continue;
        }

      if (newline == NULL)
        {
          g_byte_array_append (self->partial, data, piece);
          return;
        }

      if (self->partial->len > 0)
        {
          g_byte_array_append (self->partial, data, piece);
          take_line (self, self->partial->data, self->partial->len);
          g_byte_array_set_size (self->partial, 0);
        }
      else
        take_line (self, data, piece);
      data = newline + 1;
    }
}

static void
keep_received_fds (TroupeChannel *self,
                   struct msghdr *header)
{
  for (struct cmsghdr *control = CMSG_FIRSTHDR (header); control != NULL;
       control = CMSG_NXTHDR (header, control))
    if (control->cmsg_level == SOL_SOCKET && control->cmsg_type == SCM_RIGHTS)
      {
        gsize n = (control->cmsg_len - CMSG_LEN (0)) / sizeof (int);
        const guint8 *fds = CMSG_DATA (control);

        for (gsize i = 0; i < n; i++)
          {
            int fd;

            memcpy (&fd, fds + i * sizeof (int), sizeof (int));
            g_array_append_val (self->received_fds, fd);
          }
      }
  if (header->msg_flags & MSG_CTRUNC)
    report (self, TROUPE_CHANNEL_ERROR_LOST_HANDLE,
            _("The child sent more file descriptors at once than are taken; some were closed"),
            NULL, 0);
}

/* Returns FALSE once the other end has closed. A short read usually means
 * the socket is empty; @until_empty reads on to be sure, and to see its end. */
static gboolean
read_some (TroupeChannel *self,
           gboolean       until_empty)
{
  for (guint i = 0; i < READS_PER_DISPATCH && self->fd >= 0; i++)
    {
      union {
        struct cmsghdr header;
        char           space[CMSG_SPACE (sizeof (int) * MAX_FDS_PER_READ)];
      } control;
      struct iovec vector = { self->read_buffer, READ_SIZE };
      struct msghdr header = { 0 };
      ssize_t n;

      header.msg_iov = &vector;
      header.msg_iovlen = 1;
      header.msg_control = &control;
      header.msg_controllen = sizeof control;
      n = recvmsg (self->fd, &header, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            return TRUE;
          /* ECONNRESET and the like: the child's end is gone. */
          return FALSE;
        }
      if (header.msg_controllen > 0)
        keep_received_fds (self, &header);
      if (n == 0)
        return FALSE;
      take_bytes (self, self->read_buffer, n);
      if (n < READ_SIZE && !until_empty)
        return TRUE;
    }
  return TRUE;
}

/* The child's end is closed: what it left unfinished is reported, not lost. */
static void
finish_reading (TroupeChannel *self)
{
  if (self->partial->len > 0 && !self->skipping)
    report (self, TROUPE_CHANNEL_ERROR_CUT_OFF,
            _("The channel closed in the middle of a message"),
            self->partial->data, self->partial->len);
  g_byte_array_set_size (self->partial, 0);
  self->skipping = FALSE;
  close_channel (self);
}

static void
resume_reading (TroupeChannel *self)
{
  self->read_paused = FALSE;
  if (self->fd >= 0 && self->read_source == NULL)
    watch_reading (self);
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  TroupeChannel *self = user_data;
  g_autoptr(TroupeChannel) hold = g_object_ref (self);
  gboolean alive;

  /* Dispatched again from a main loop that one of our handlers runs, in the
   * middle of a read: reading now would pass on later messages before the
   * rest of that read. The fd is left alone until the outer read is done, as
   * GLib leaves a source that cannot recurse. */
  if (self->reading)
    {
      g_clear_pointer (&self->read_source, g_source_unref);
      self->read_paused = TRUE;
      return G_SOURCE_REMOVE;
    }

  self->reading = TRUE;
  alive = read_some (self, FALSE);
  self->reading = FALSE;
  if (alive)
    {
      flush_now (self);
      if (self->read_paused)
        resume_reading (self);
      return G_SOURCE_CONTINUE;
    }

  /* The source goes away by returning; forget it before closing. */
  g_clear_pointer (&self->read_source, g_source_unref);
  self->read_paused = FALSE;
  finish_reading (self);
  return G_SOURCE_REMOVE;
}

static void
watch_reading (TroupeChannel *self)
{
  self->read_source = g_unix_fd_source_new (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_priority (self->read_source, G_PRIORITY_DEFAULT_IDLE);
  /* GLib 2.74 takes a source that cannot recurse out of the poll set while it
   * is dispatched, and puts it back after, waking its own loop each time: two
   * eventfd writes and a read per dispatch, as many system calls as the
   * recvmsg() and the poll() together. on_readable() refuses a nested read
   * itself instead. */
  g_source_set_can_recurse (self->read_source, TRUE);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_set_static_name (self->read_source, "[troupe] channel read");
  g_source_attach (self->read_source, NULL);
}

/* --- writing ------------------------------------------------------------ */

static void
drop_written (TroupeChannel *self,
              gsize          written)
{
  self->queue_start += written;
  self->queue_stream_offset += written;
  if (self->queue_start == self->queue->len)
    {
      g_byte_array_set_size (self->queue, 0);
      self->queue_start = 0;
    }
  else if (self->queue_start > COMPACT_THRESHOLD && self->queue_start > self->queue->len / 2)
    {
      g_byte_array_remove_range (self->queue, 0, self->queue_start);
      self->queue_start = 0;
    }
}

/* Writes from the front of the queue: up to the next handle, or with it. */
static ssize_t
write_some (TroupeChannel *self)
{
  const guint8 *data = self->queue->data + self->queue_start;
  gsize length = queued_bytes (self);
  HandleMark *mark = self->handle_marks->len > 0
                       ? &g_array_index (self->handle_marks, HandleMark, 0) : NULL;
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec vector;
  struct msghdr header = { 0 };
  ssize_t n;

  if (mark != NULL && mark->offset > self->queue_stream_offset)
    length = MIN (length, mark->offset - self->queue_stream_offset);

  vector.iov_base = (void *) data;
  vector.iov_len = length;
  header.msg_iov = &vector;
  header.msg_iovlen = 1;
  if (mark != NULL && mark->offset == self->queue_stream_offset)
    {
      struct cmsghdr *fd_header;

      /* The fd goes with the first byte of its message; the rest of that
       * message and whatever follows, up to the next handle, go with it. */
      if (self->handle_marks->len > 1)
        length = MIN (length, g_array_index (self->handle_marks, HandleMark, 1).offset -
                              self->queue_stream_offset);
      vector.iov_len = length;
      memset (&control, 0, sizeof control);
      header.msg_control = &control;
      header.msg_controllen = CMSG_SPACE (sizeof (int));
      fd_header = CMSG_FIRSTHDR (&header);
      fd_header->cmsg_level = SOL_SOCKET;
      fd_header->cmsg_type = SCM_RIGHTS;
      fd_header->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (fd_header), &mark->fd, sizeof (int));
      n = sendmsg (self->fd, &header, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0)
        {
          close (mark->fd);
          g_array_remove_index (self->handle_marks, 0);
        }
      return n;
    }
  return sendmsg (self->fd, &header, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static gboolean on_writable (int fd, GIOCondition condition, gpointer user_data);

/* Writes what the socket takes. Returns FALSE if the child's end is gone. */
static gboolean
flush (TroupeChannel *self)
{
  gsize before = queued_bytes (self);

  while (queued_bytes (self) > 0)
    {
      ssize_t n = write_some (self);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            {
              if (self->write_source == NULL)
                {
                  self->write_source = g_unix_fd_source_new (self->fd, G_IO_OUT);
                  g_source_set_priority (self->write_source, G_PRIORITY_DEFAULT_IDLE);
                  g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable),
                                         self, NULL);
                  g_source_set_static_name (self->write_source, "[troupe] channel write");
                  g_source_attach (self->write_source, NULL);
                }
              break;
            }
          return FALSE;
        }
      drop_written (self, n);
    }

  if (queued_bytes (self) != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED_BYTES]);
  return TRUE;
}

/* Our side is done: the child reads the end of the channel, and may still
 * answer what it already had before it sees that; we read on until it closes
 * its side too, so nothing it sent is lost. */
static void
shut_for_writing (TroupeChannel *self)
{
  self->closing = FALSE;
  self->write_shut = TRUE;
  shutdown (self->fd, SHUT_WR);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
after_flush (TroupeChannel *self,
             gboolean       alive)
{
  if (!alive)
    close_channel (self);
  else if (self->closing && queued_bytes (self) == 0)
    shut_for_writing (self);
}

static gboolean
on_writable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  TroupeChannel *self = user_data;
  g_autoptr(TroupeChannel) hold = g_object_ref (self);
  gboolean alive;

  g_clear_pointer (&self->write_source, g_source_unref);
  alive = flush (self);
  after_flush (self, alive);
  return G_SOURCE_REMOVE;
}

static void
write_queue (TroupeChannel *self)
{
  if (self->fd >= 0 && !self->write_shut && self->write_source == NULL)
    after_flush (self, flush (self));
}

static gboolean
on_flush_idle (gpointer user_data)
{
  TroupeChannel *self = user_data;
  g_autoptr(TroupeChannel) hold = g_object_ref (self);

  self->flush_idle = 0;
  write_queue (self);
  return G_SOURCE_REMOVE;
}

/* What our handlers sent in answer to a read leaves at its end, still in one
 * write, rather than a turn of the main loop later: a request and its answer
 * then cost one poll() and no idle source. */
static void
flush_now (TroupeChannel *self)
{
  if (self->flush_idle == 0)
    return;
  g_clear_handle_id (&self->flush_idle, g_source_remove);
  write_queue (self);
}

/* Sends made in one go (a loop, a burst of replies) leave in one write. */
static void
schedule_flush (TroupeChannel *self)
{
  if (self->flush_idle == 0 && self->write_source == NULL)
    self->flush_idle = g_idle_add_full (G_PRIORITY_DEFAULT, on_flush_idle, self, NULL);
}

/* @line is checked, compact JSON without the line end. */
static void
queue_line (TroupeChannel *self,
            const char    *line,
            gsize          length,
            int            handle_fd)
{
  g_autoptr(GBytes) bytes = NULL;
  gboolean internal = FALSE;

  if (handle_fd >= 0)
    {
      HandleMark mark = { self->queue_stream_offset + queued_bytes (self), handle_fd };
      g_array_append_val (self->handle_marks, mark);
    }
  g_byte_array_append (self->queue, (const guint8 *) line, length);
  g_byte_array_append (self->queue, (const guint8 *) "\n", 1);
  self->n_sent++;
  schedule_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED_BYTES]);

  if (g_signal_has_handler_pending (self, signals[SENT], 0, FALSE))
    {
      bytes = g_bytes_new (line, length);
      if (may_be_internal ((const guint8 *) line, length))
        {
          g_autoptr(JsonNode) tree = troupe_channel_parse (bytes);
          internal = tree != NULL && troupe_channel_is_internal (tree);
        }
      g_signal_emit (self, signals[SENT], 0, bytes, internal);
    }
}

static gboolean
check_connected (TroupeChannel  *self,
                 GError        **error)
{
  if (troupe_channel_is_connected (self))
    return TRUE;
  g_set_error_literal (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_DISCONNECTED,
                       _("The channel is closed"));
  return FALSE;
}

/* --- closing ------------------------------------------------------------ */

static void
close_channel (TroupeChannel *self)
{
  gboolean had_queue;

  if (self->fd < 0)
    return;

  g_clear_handle_id (&self->flush_idle, g_source_remove);
  if (self->read_source != NULL)
    g_source_destroy (self->read_source);
  g_clear_pointer (&self->read_source, g_source_unref);
  if (self->write_source != NULL)
    g_source_destroy (self->write_source);
  g_clear_pointer (&self->write_source, g_source_unref);
  close (self->fd);
  self->fd = -1;
  self->closing = FALSE;
  self->write_shut = FALSE;

  for (guint i = 0; i < self->received_fds->len; i++)
    close (g_array_index (self->received_fds, int, i));
  g_array_set_size (self->received_fds, 0);
  for (guint i = 0; i < self->handle_marks->len; i++)
    close (g_array_index (self->handle_marks, HandleMark, i).fd);
  g_array_set_size (self->handle_marks, 0);

  /* What the child can no longer read is not kept. */
  had_queue = queued_bytes (self) > 0;
  g_byte_array_set_size (self->queue, 0);
  self->queue_start = 0;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  if (had_queue)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED_BYTES]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[DISCONNECTED], 0);
}

/* --- object ------------------------------------------------------------- */

static void
troupe_channel_dispose (GObject *object)
{
  close_channel (TROUPE_CHANNEL (object));

  G_OBJECT_CLASS (troupe_channel_parent_class)->dispose (object);
}

static void
troupe_channel_finalize (GObject *object)
{
  TroupeChannel *self = (TroupeChannel *) object;

  g_free (self->read_buffer);
  g_byte_array_unref (self->partial);
  g_byte_array_unref (self->queue);
  g_array_unref (self->received_fds);
  g_array_unref (self->handle_marks);

  G_OBJECT_CLASS (troupe_channel_parent_class)->finalize (object);
}

static void
troupe_channel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TroupeChannel *self = TROUPE_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, troupe_channel_is_connected (self));
      break;
    case PROP_QUEUED_BYTES:
      g_value_set_uint64 (value, troupe_channel_get_queued_bytes (self));
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_channel_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TroupeChannel *self = TROUPE_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_MAX_MESSAGE_SIZE:
      troupe_channel_set_max_message_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_channel_class_init (TroupeChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_channel_dispose;
  object_class->finalize = troupe_channel_finalize;
  object_class->get_property = troupe_channel_get_property;
  object_class->set_property = troupe_channel_set_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUED_BYTES] =
    g_param_spec_uint64 ("queued-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL, 1, G_MAXSIZE,
                         TROUPE_CHANNEL_DEFAULT_MAX_MESSAGE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeChannel::message:
   * @line: the message as the child wrote it: checked JSON, without the line end
   * @internal: whether it is one of Node's own (`{"cmd":"NODE_…"}`)
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_BOOLEAN);
  /**
   * TroupeChannel::sent:
   * @line: the message as queued: compact JSON, without the line end
   * @internal: whether it is one of Node's own
   */
  signals[SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_BOOLEAN);
  /**
   * TroupeChannel::protocol-error:
   * @error: what was wrong, for people
   * @raw: (nullable): the start of the offending bytes
   *
   * The channel goes on with the next line.
   */
  signals[PROTOCOL_ERROR] =
    g_signal_new ("protocol-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_BYTES);
  /**
   * TroupeChannel::handle:
   * @message: the `NODE_HANDLE` message the fd came with
   * @fd: the file descriptor
   *
   * Returns: %TRUE to keep @fd (the handler then owns it); otherwise it is closed
   */
  signals[HANDLE] =
    g_signal_new ("handle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  JSON_TYPE_NODE, G_TYPE_INT);
  /**
   * TroupeChannel::disconnected:
   *
   * Either end closed the channel. Emitted once.
   */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_channel_init (TroupeChannel *self)
{
  self->fd = -1;
  self->max_message_size = TROUPE_CHANNEL_DEFAULT_MAX_MESSAGE_SIZE;
  self->partial = g_byte_array_new ();
  self->queue = g_byte_array_new ();
  self->received_fds = g_array_new (FALSE, FALSE, sizeof (int));
  self->handle_marks = g_array_new (FALSE, FALSE, sizeof (HandleMark));
}

/**
 * troupe_channel_new:
 * @fd: our end of a connected AF_UNIX stream socket; the channel owns it
 *
 * Returns: (transfer full): the channel, reading at once
 */
TroupeChannel *
troupe_channel_new (int fd)
{
  TroupeChannel *self;
  int buffer_size = 1024 * 1024;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (TROUPE_TYPE_CHANNEL, NULL);
  self->fd = fd;
  self->read_buffer = g_malloc (READ_SIZE);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  /* More room per write for bursts; the kernel caps it at wmem_max. */
  setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &buffer_size, sizeof buffer_size);
  watch_reading (self);
  return self;
}

/**
 * troupe_channel_send_text:
 * @json_text: one JSON value, possibly over several lines
 * @length: its length, or -1 if nul-terminated
 * @error: why it cannot be sent: not JSON (with where), or the channel is closed
 *
 * Checks @json_text strictly and queues it, without the whitespace between
 * its tokens, as one message.
 *
 * Returns: %TRUE if queued
 */
gboolean
troupe_channel_send_text (TroupeChannel  *self,
                          const char     *json_text,
                          gssize          length,
                          GError        **error)
{
  g_autoptr(GString) compact = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize text_length;

  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (json_text != NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;
  text_length = length < 0 ? strlen (json_text) : (gsize) length;
  compact = g_string_sized_new (text_length);
  if (!troupe_json_text_check (json_text, text_length, compact, &local_error))
    {
      g_set_error_literal (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON,
                           local_error->message);
      return FALSE;
    }
  queue_line (self, compact->str, compact->len, -1);
  return TRUE;
}

static char *
node_to_checked_text (JsonNode  *message,
                      GError   **error)
{
  g_autofree char *text = json_to_string (message, FALSE);
  g_autoptr(GError) local_error = NULL;

  /* json-glib writes a non-finite number as "inf" or "nan", which no JSON peer takes. */
  if (!troupe_json_text_check (text, strlen (text), NULL, &local_error))
    {
      g_set_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON,
                   _("The message cannot be written as JSON: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/**
 * troupe_channel_send:
 * @message: the value to send
 *
 * Returns: %TRUE if queued
 */
gboolean
troupe_channel_send (TroupeChannel  *self,
                     JsonNode       *message,
                     GError        **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;
  text = node_to_checked_text (message, error);
  if (text == NULL)
    return FALSE;
  queue_line (self, text, strlen (text), -1);
  return TRUE;
}

/**
 * troupe_channel_send_handle:
 * @message: the `NODE_HANDLE` message that announces @fd
 * @fd: a file descriptor to pass to the child; it is duplicated
 *
 * Returns: %TRUE if queued
 */
gboolean
troupe_channel_send_handle (TroupeChannel  *self,
                            JsonNode       *message,
                            int             fd,
                            GError        **error)
{
  g_autofree char *text = NULL;
  int copy_fd;

  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (fd >= 0, FALSE);

  if (!check_connected (self, error))
    return FALSE;
  text = node_to_checked_text (message, error);
  if (text == NULL)
    return FALSE;
  copy_fd = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (copy_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_FAILED,
                   _("Cannot pass the handle: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  queue_line (self, text, strlen (text), copy_fd);
  return TRUE;
}

/**
 * troupe_channel_disconnect:
 *
 * Ends our side once what is queued has been written: the child reads the
 * end of the channel (a Node child emits 'disconnect'). Nothing more can be
 * sent; what the child still sends is taken until it closes its side, and
 * #TroupeChannel::disconnected follows then.
 */
void
troupe_channel_disconnect (TroupeChannel *self)
{
  g_return_if_fail (TROUPE_IS_CHANNEL (self));

  if (!troupe_channel_is_connected (self))
    return;
  if (queued_bytes (self) == 0)
    {
      shut_for_writing (self);
      return;
    }
  self->closing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  schedule_flush (self);
}

/**
 * troupe_channel_close:
 *
 * Closes the channel at once, both ways; what is queued is dropped.
 */
void
troupe_channel_close (TroupeChannel *self)
{
  g_return_if_fail (TROUPE_IS_CHANNEL (self));
  close_channel (self);
}

/**
 * troupe_channel_take_pending:
 *
 * Takes the messages the child has written so far, now rather than at the
 * next turn of the main loop: once a child has exited, what it sent comes
 * before the news of its end.
 */
void
troupe_channel_take_pending (TroupeChannel *self)
{
  g_return_if_fail (TROUPE_IS_CHANNEL (self));

  /* Under a read in progress, that read passes on the rest itself, in order. */
  if (self->read_source != NULL && !self->reading)
    {
      g_autoptr(TroupeChannel) hold = g_object_ref (self);
      gboolean alive;

      self->reading = TRUE;
      alive = read_some (self, TRUE);
      self->reading = FALSE;
      if (!alive)
        {
          if (self->read_source != NULL)
            g_source_destroy (self->read_source);
          g_clear_pointer (&self->read_source, g_source_unref);
          self->read_paused = FALSE;
          finish_reading (self);
        }
      else if (self->read_paused)
        resume_reading (self);
    }
}

/**
 * troupe_channel_is_connected:
 *
 * Returns: %TRUE while messages can be sent: until either end closes the
 *   channel, or we start to disconnect
 */
gboolean
troupe_channel_is_connected (TroupeChannel *self)
{
  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), FALSE);
  return self->fd >= 0 && !self->closing && !self->write_shut;
}

/**
 * troupe_channel_get_queued_bytes:
 *
 * Returns: bytes sent but not yet taken by the socket
 */
gsize
troupe_channel_get_queued_bytes (TroupeChannel *self)
{
  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), 0);
  return queued_bytes (self);
}

/**
 * troupe_channel_get_n_received:
 *
 * Returns: messages received (protocol errors not counted)
 */
guint64
troupe_channel_get_n_received (TroupeChannel *self)
{
  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), 0);
  return self->n_received;
}

/**
 * troupe_channel_get_n_sent:
 *
 * Returns: messages queued to send
 */
guint64
troupe_channel_get_n_sent (TroupeChannel *self)
{
  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), 0);
  return self->n_sent;
}

/**
 * troupe_channel_get_max_message_size:
 *
 * Returns: the longest line taken from the child, in bytes
 */
gsize
troupe_channel_get_max_message_size (TroupeChannel *self)
{
  g_return_val_if_fail (TROUPE_IS_CHANNEL (self), 0);
  return self->max_message_size;
}

/**
 * troupe_channel_set_max_message_size:
 * @max_size: the longest line to take, in bytes; longer ones are reported and skipped
 */
void
troupe_channel_set_max_message_size (TroupeChannel *self,
                                     gsize          max_size)
{
  g_return_if_fail (TROUPE_IS_CHANNEL (self));
  g_return_if_fail (max_size > 0);

  if (self->max_message_size == max_size)
    return;
  self->max_message_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MESSAGE_SIZE]);
}

/**
 * troupe_channel_is_internal:
 * @message: a message
 *
 * Returns: %TRUE if it is one of Node's own: an object whose `cmd` is a
 *   string starting with `NODE_`, as Node decides
 */
gboolean
troupe_channel_is_internal (JsonNode *message)
{
  const char *command;

  g_return_val_if_fail (message != NULL, FALSE);

  command = command_of (message);
  return command != NULL && g_str_has_prefix (command, "NODE_") && strlen (command) > 5;
}

/**
 * troupe_channel_parse:
 * @line: a message as given by #TroupeChannel::message or #TroupeChannel::sent
 *
 * Returns: (transfer full) (nullable): its tree, or %NULL if it is not JSON
 */
JsonNode *
troupe_channel_parse (GBytes *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data = g_bytes_get_data (line, &length);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}
