import { useSyncExternalStore } from 'react';
import type { Store } from '../../state/createStore';
import { session, type SessionState } from '../../state/session';

export function useStore<T extends object, S>(store: Store<T>, select: (state: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

export function useSession<S>(select: (state: SessionState) => S): S {
  return useStore(session, select);
}
