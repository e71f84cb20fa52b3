/* troupe-worker-kind.c: a kind of thread worker: a name, words for people, an entry function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "troupe-worker-kind.h"

struct _TroupeWorkerKind
{
  GObject            parent_instance;

  char              *name;
  char              *title;
  char              *description;
  char              *example_data;
  char              *module_path;
  gboolean           accepts_messages;
  TroupeWorkerEntry  entry;
};

G_DEFINE_FINAL_TYPE (TroupeWorkerKind, troupe_worker_kind, G_TYPE_OBJECT)

static void
troupe_worker_kind_finalize (GObject *object)
{
  TroupeWorkerKind *self = (TroupeWorkerKind *) object;

  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->example_data);
  g_free (self->module_path);

  G_OBJECT_CLASS (troupe_worker_kind_parent_class)->finalize (object);
}

static void
troupe_worker_kind_class_init (TroupeWorkerKindClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_worker_kind_finalize;
}

static void
troupe_worker_kind_init (TroupeWorkerKind *self)
{
}

/**
 * troupe_worker_kind_new:
 * @info: what the kind is; copied
 * @module_path: (nullable): the module it came from, %NULL for a built-in kind
 *
 * A built-in kind's title and description are translated with Troupe's own
 * catalogue; a module's are taken as the module gives them.
 *
 * Returns: (transfer full): the kind
 */
TroupeWorkerKind *
troupe_worker_kind_new (const TroupeWorkerKindInfo *info,
                        const char                 *module_path)
{
  TroupeWorkerKind *self;

  g_return_val_if_fail (info != NULL && info->name != NULL && info->entry != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_WORKER_KIND, NULL);
  self->name = g_strdup (info->name);
  if (module_path == NULL)
    {
      self->title = g_strdup (info->title != NULL ? _(info->title) : info->name);
      self->description = g_strdup (info->description != NULL ? _(info->description) : "");
    }
  else
    {
      self->title = g_strdup (info->title != NULL ? info->title : info->name);
      self->description = g_strdup (info->description != NULL ? info->description : "");
    }
  self->example_data = g_strdup (info->example_data);
  self->accepts_messages = info->accepts_messages;
  self->entry = info->entry;
  self->module_path = g_strdup (module_path);
  return self;
}

const char *
troupe_worker_kind_get_name (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->name;
}

/**
 * troupe_worker_kind_get_title:
 *
 * Returns: the kind's name for people, translated
 */
const char *
troupe_worker_kind_get_title (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->title;
}

/**
 * troupe_worker_kind_get_description:
 *
 * Returns: one sentence on what the kind does, translated
 */
const char *
troupe_worker_kind_get_description (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->description;
}

/**
 * troupe_worker_kind_get_example_data:
 *
 * Returns: (nullable): JSON text to offer as start data
 */
const char *
troupe_worker_kind_get_example_data (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->example_data;
}

gboolean
troupe_worker_kind_accepts_messages (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), FALSE);
  return self->accepts_messages;
}

/**
 * troupe_worker_kind_get_module_path:
 *
 * Returns: (nullable): the module the kind came from, %NULL if built in
 */
const char *
troupe_worker_kind_get_module_path (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->module_path;
}

TroupeWorkerEntry
troupe_worker_kind_get_entry (TroupeWorkerKind *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_KIND (self), NULL);
  return self->entry;
}
