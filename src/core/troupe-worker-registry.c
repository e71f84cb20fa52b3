/* troupe-worker-registry.c: the kinds of thread worker there are, built in and from modules
 *
 * A module is a shared library exporting troupe_worker_module_register (see
 * docs/worker-modules.md). What it adds while registering is held apart and
 * kept only if registration succeeds, so a module that fails halfway leaves
 * no kinds behind whose code may not work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "troupe-worker-builtins.h"
#include "troupe-worker-registry.h"

struct _TroupeWorkerRegistry
{
  GObject     parent_instance;

  GListStore *kinds;           /* of TroupeWorkerKind, sorted by name */
  GHashTable *by_name;         /* name → TroupeWorkerKind, borrowed from kinds */
  GPtrArray  *module_errors;   /* of char* */
  /* While a module registers: its path, and the kinds it has added so far */
  const char *loading_path;
  GPtrArray  *staged;
};

G_DEFINE_FINAL_TYPE (TroupeWorkerRegistry, troupe_worker_registry, G_TYPE_OBJECT)

G_DEFINE_QUARK (troupe-worker-error-quark, troupe_worker_error)

static void
troupe_worker_registry_finalize (GObject *object)
{
  TroupeWorkerRegistry *self = (TroupeWorkerRegistry *) object;

  g_hash_table_unref (self->by_name);
  g_object_unref (self->kinds);
  g_ptr_array_unref (self->module_errors);
  g_clear_pointer (&self->staged, g_ptr_array_unref);

  G_OBJECT_CLASS (troupe_worker_registry_parent_class)->finalize (object);
}

static void
troupe_worker_registry_class_init (TroupeWorkerRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_worker_registry_finalize;
}

static void
troupe_worker_registry_init (TroupeWorkerRegistry *self)
{
  self->kinds = g_list_store_new (TROUPE_TYPE_WORKER_KIND);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->module_errors = g_ptr_array_new_with_free_func (g_free);
}

/**
 * troupe_worker_registry_new_empty:
 *
 * Returns: (transfer full): a registry without any kind
 */
TroupeWorkerRegistry *
troupe_worker_registry_new_empty (void)
{
  return g_object_new (TROUPE_TYPE_WORKER_REGISTRY, NULL);
}

/**
 * troupe_worker_registry_new:
 *
 * Returns: (transfer full): a registry with every built-in kind
 */
TroupeWorkerRegistry *
troupe_worker_registry_new (void)
{
  TroupeWorkerRegistry *self = troupe_worker_registry_new_empty ();
  const TroupeWorkerKindInfo *builtins;
  guint n_builtins;

  builtins = troupe_worker_builtins_get (&n_builtins);
  for (guint i = 0; i < n_builtins; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!troupe_worker_registry_add (self, &builtins[i], &error))
        g_critical ("Built-in worker kind: %s", error->message);
    }
  return self;
}

static int
compare_kinds (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (troupe_worker_kind_get_name ((TroupeWorkerKind *) a),
                    troupe_worker_kind_get_name ((TroupeWorkerKind *) b));
}

static gboolean
is_staged (TroupeWorkerRegistry *self,
           const char           *name)
{
  if (self->staged == NULL)
    return FALSE;
  for (guint i = 0; i < self->staged->len; i++)
    if (g_str_equal (troupe_worker_kind_get_name (g_ptr_array_index (self->staged, i)), name))
      return TRUE;
  return FALSE;
}

static void
insert_kind (TroupeWorkerRegistry *self,
             TroupeWorkerKind     *kind)
{
  g_list_store_insert_sorted (self->kinds, kind, compare_kinds, NULL);
  g_hash_table_insert (self->by_name, (gpointer) troupe_worker_kind_get_name (kind), kind);
}

static gboolean
is_valid_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.')
      return FALSE;
  return TRUE;
}

/**
 * troupe_worker_registry_add:
 * @info: the kind; copied
 *
 * Adds a kind. Modules call this from troupe_worker_module_register.
 *
 * Returns: %TRUE, or %FALSE with @error if the name is taken or the info is incomplete
 */
gboolean
troupe_worker_registry_add (TroupeWorkerRegistry        *self,
                            const TroupeWorkerKindInfo  *info,
                            GError                     **error)
{
  g_autoptr(TroupeWorkerKind) kind = NULL;

  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  /* A module's info is input, not a programmer error of ours. */
  if (!is_valid_name (info->name))
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_MODULE,
                   _("“%s” is not a worker kind name: use letters, digits, “-”, “_” and “.”"),
                   info->name != NULL ? info->name : "");
      return FALSE;
    }
  if (info->entry == NULL)
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_MODULE,
                   _("Worker kind “%s” has no entry function"), info->name);
      return FALSE;
    }
  if (g_hash_table_contains (self->by_name, info->name) || is_staged (self, info->name))
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_MODULE,
                   _("There is already a worker kind named “%s”"), info->name);
      return FALSE;
    }

  kind = troupe_worker_kind_new (info, self->loading_path);
  if (self->staged != NULL)
    g_ptr_array_add (self->staged, g_steal_pointer (&kind));
  else
    insert_kind (self, kind);
  return TRUE;
}

/**
 * troupe_worker_registry_check_abi_version:
 * @module_abi_version: the TROUPE_WORKER_ABI_VERSION the module was built with
 *
 * A module calls this first: it fails when this Troupe cannot run the module.
 *
 * Returns: %TRUE if the versions agree
 */
gboolean
troupe_worker_registry_check_abi_version (TroupeWorkerRegistry  *self,
                                          guint                  module_abi_version,
                                          GError               **error)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), FALSE);

  if (module_abi_version != TROUPE_WORKER_ABI_VERSION)
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_ABI,
                   _("ABI version %u not supported (this Troupe has version %u)"),
                   module_abi_version, TROUPE_WORKER_ABI_VERSION);
      return FALSE;
    }
  return TRUE;
}

/**
 * troupe_worker_registry_lookup:
 *
 * Returns: (transfer none) (nullable): the kind called @name
 */
TroupeWorkerKind *
troupe_worker_registry_lookup (TroupeWorkerRegistry *self,
                               const char           *name)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (self->by_name, name);
}

/**
 * troupe_worker_registry_get_kinds:
 *
 * Returns: (transfer none): the kinds, as TroupeWorkerKind, sorted by name
 */
GListModel *
troupe_worker_registry_get_kinds (TroupeWorkerRegistry *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), NULL);
  return G_LIST_MODEL (self->kinds);
}

static void
add_module_error (TroupeWorkerRegistry *self,
                  const char           *path,
                  const char           *reason)
{
  g_autofree char *basename = g_path_get_basename (path);

  /* TRANSLATORS: a module that could not be used, and why */
  g_ptr_array_add (self->module_errors, g_strdup_printf (_("%s: %s"), basename, reason));
}

static guint
load_module (TroupeWorkerRegistry *self,
             const char           *path)
{
  g_autoptr(GError) error = NULL;
  GModule *module;
  TroupeWorkerModuleRegister register_module = NULL;
  gboolean registered;
  guint added;

  /* Local binding: two modules may define the same helper names. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("cannot open: %s"), g_module_error ());
      add_module_error (self, path, reason);
      return 0;
    }
  if (!g_module_symbol (module, "troupe_worker_module_register", (gpointer *) &register_module) ||
      register_module == NULL)
    {
      add_module_error (self, path, _("no troupe_worker_module_register"));
      g_module_close (module);
      return 0;
    }

  self->loading_path = path;
  self->staged = g_ptr_array_new_with_free_func (g_object_unref);
  registered = register_module (TROUPE_WORKER_ABI_VERSION, self, &error);
  self->loading_path = NULL;

  if (!registered)
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_ABI))
        reason = g_strdup (error->message);
      else
        reason = g_strdup_printf (_("registration failed: %s"),
                                  error != NULL ? error->message : _("no reason given"));
      add_module_error (self, path, reason);
      g_clear_pointer (&self->staged, g_ptr_array_unref);
      g_module_close (module);
      return 0;
    }

  added = self->staged->len;
  for (guint i = 0; i < self->staged->len; i++)
    insert_kind (self, g_ptr_array_index (self->staged, i));
  g_clear_pointer (&self->staged, g_ptr_array_unref);
  /* Its kinds' code may run on a pool thread at any time from now on. */
  g_module_make_resident (module);
  return added;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * troupe_worker_registry_load_modules:
 * @folder: (nullable): where to look; %NULL for the default folder
 *
 * Loads every `*.so` in @folder, in name order. A folder that does not exist
 * holds no modules; every module that cannot be used is recorded, with why,
 * in troupe_worker_registry_get_module_errors().
 *
 * Returns: how many kinds the modules added
 */
guint
troupe_worker_registry_load_modules (TroupeWorkerRegistry *self,
                                     const char           *folder)
{
  g_autofree char *default_folder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint added = 0;

  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), 0);

  if (folder == NULL)
    folder = default_folder = troupe_worker_registry_dup_default_module_folder ();
  if (!g_module_supported ())
    return 0;
  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".so"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);
      added += load_module (self, path);
    }
  return added;
}

/**
 * troupe_worker_registry_get_module_errors:
 *
 * Returns: (transfer none) (element-type utf8): "libfoo.so: reason" for every
 *   module that could not be used, translated
 */
GPtrArray *
troupe_worker_registry_get_module_errors (TroupeWorkerRegistry *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (self), NULL);
  return self->module_errors;
}

/**
 * troupe_worker_registry_dup_default_module_folder:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/troupe/workers
 */
char *
troupe_worker_registry_dup_default_module_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "troupe", "workers", NULL);
}
