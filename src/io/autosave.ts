import { createStore as createIdbStore, get, keys, set } from 'idb-keyval';

/**
 * Autosave of annotation work in IndexedDB, keyed by the run's identity, so a reload or a crash
 * loses nothing and opening the same run again restores its work. Stores the same versioned JSON
 * the user exports, so restoring goes through the same migrations.
 */
const store = typeof indexedDB !== 'undefined' ? createIdbStore('fluorolens', 'annotations') : undefined;

export async function saveWork(runIdentity: string, json: string): Promise<void> {
  if (store) await set(runIdentity, json, store);
}

/**
 * When the page is going away an IndexedDB write may never finish (a reload aborts it), so the
 * last unsaved change is also put in localStorage, synchronously. loadWork prefers it, then moves
 * it into IndexedDB.
 */
const UNLOAD_PREFIX = 'fluorolens-unsaved:';

export function saveWorkBeforeUnload(runIdentity: string, json: string): void {
  try {
    localStorage.setItem(UNLOAD_PREFIX + runIdentity, json);
  } catch {
    // Full or unavailable: the IndexedDB copy (at most one debounce old) is what remains.
  }
}

function takeUnloadCopy(runIdentity: string): string | undefined {
  try {
    const json = localStorage.getItem(UNLOAD_PREFIX + runIdentity) ?? undefined;
    localStorage.removeItem(UNLOAD_PREFIX + runIdentity);
    return json;
  } catch {
    return undefined;
  }
}

export async function loadWork(runIdentity: string): Promise<string | undefined> {
  const unloadCopy = typeof localStorage !== 'undefined' ? takeUnloadCopy(runIdentity) : undefined;
  if (unloadCopy !== undefined) {
    await saveWork(runIdentity, unloadCopy);
    return unloadCopy;
  }
  return store ? get<string>(runIdentity, store) : undefined;
}

/** The identities of every run with work saved in this browser (IndexedDB and unload copies). */
export async function savedWorkIdentities(): Promise<string[]> {
  const found = new Set<string>();
  if (store) for (const key of await keys(store)) if (typeof key === 'string') found.add(key);
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(UNLOAD_PREFIX)) found.add(key.slice(UNLOAD_PREFIX.length));
    }
  } catch {
    // No localStorage: IndexedDB's keys are all there is.
  }
  return [...found];
}
