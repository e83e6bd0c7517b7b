import { useEffect } from 'react';
import { handleKeyDown } from './keymap';

/** The app's one keydown listener (keymap.ts), for as long as the app is on the page. */
export function useKeymap(): void {
  useEffect(() => {
    window.addEventListener('keydown', handleKeyDown);
    return () => window.removeEventListener('keydown', handleKeyDown);
  }, []);
}
