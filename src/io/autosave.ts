import { createStore as createIdbStore, del, get, set } from 'idb-keyval';

/**
 * Autosave of annotation work in IndexedDB, keyed by the run's identity, so a reload or a crash
 * loses nothing and opening the same run again restores its work. Stores the same versioned JSON
 * the user exports, so restoring goes through the same migrations.
 */
const store = typeof indexedDB !== 'undefined' ? createIdbStore('fluorolens', 'annotations') : undefined;

export async function saveWork(runIdentity: string, json: string): Promise<void> {
  if (store) await set(runIdentity, json, store);
}

export async function loadWork(runIdentity: string): Promise<string | undefined> {
  return store ? get<string>(runIdentity, store) : undefined;
}

export async function forgetWork(runIdentity: string): Promise<void> {
  if (store) await del(runIdentity, store);
}
