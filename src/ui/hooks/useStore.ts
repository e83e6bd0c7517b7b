import { useSyncExternalStore } from 'react';
import type { Store } from '../../state/createStore';
import { session, type SessionState } from '../../state/session';
import { notifyChrome } from '../../state/viewports';

/** One subscribe function per store (React resubscribes when its identity changes). */
const chromeSubscribers = new WeakMap<Store<object>, (listener: () => void) => () => void>();

function subscribeOf<T extends object>(store: Store<T>): (listener: () => void) => () => void {
  let subscribe = chromeSubscribers.get(store as Store<object>);
  if (!subscribe) {
    subscribe = (listener) => store.subscribe(() => notifyChrome(listener));
    chromeSubscribers.set(store as Store<object>, subscribe);
  }
  return subscribe;
}

export function useStore<T extends object, S>(store: Store<T>, select: (state: T) => S): S {
  return useSyncExternalStore(subscribeOf(store), () => select(store.getState()));
}

export function useSession<S>(select: (state: SessionState) => S): S {
  return useStore(session, select);
}
