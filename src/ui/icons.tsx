/**
 * The toolbar's icons: small inline SVG line drawings (no icon font to download), drawn in the
 * button's text colour. Decorative: the button's accessible name says what it does.
 */
const PATHS = {
  windowLevel: 'M12 3a9 9 0 1 0 0 18z M12 3a9 9 0 0 1 0 18',
  pan: 'M12 2v20 M2 12h20 M12 2l-3 3 M12 2l3 3 M12 22l-3-3 M12 22l3-3 M2 12l3-3 M2 12l3 3 M22 12l-3-3 M22 12l-3 3',
  zoom: 'M10.5 3.5a7 7 0 1 0 0 14a7 7 0 1 0 0-14 M15.5 15.5L21 21 M7.5 10.5h6 M10.5 7.5v6',
  needleTip: 'M3 21L15 9 M15 9l3-6 3 3-6 3 M13 11l-2-2',
  target: 'M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16 M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6 M12 1v4 M12 19v4 M1 12h4 M19 12h4',
  contrastSpread: 'M12 3c-4 0-8 3-8 8 0 3 2 5 4 6 1 2 3 4 5 4 4 0 7-4 7-8 0-6-4-10-8-10z',
  arrow: 'M4 20L19 5 M10 5h9v9',
  caption: 'M4 5h16v11H9l-5 4z M8 9h8 M8 12h5',
  undo: 'M9 14L4 9l5-5 M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5 M20 9H10a6 6 0 0 0 0 12h3',
  invert: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M12 3v18 M12 7h4 M12 11h6 M12 15h5',
  fit: 'M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5 M8 8h8v8H8z',
  actualSize: 'M4 4h16v16H4z M8 9l2-1v8 M15 9l2-1v8 M12.5 11v.5 M12.5 14v.5',
  rotate: 'M20 12a8 8 0 1 1-3-6.2 M20 3v5h-5',
  flipHorizontal: 'M12 2v20 M9 6L3 18h6z M15 6l6 12h-6z',
  flipVertical: 'M2 12h20 M6 9L18 3v6z M6 15l12 6v-6z',
  reset: 'M4 12a8 8 0 1 0 3-6.2 M4 3v5h5 M12 8v4l3 2',
  overlay: 'M3 4h18v16H3z M6 8h5 M6 11h3 M14 16h4 M16 8h2',
  shutters: 'M3 3h18v18H3z M12 6a6 6 0 1 0 0 12a6 6 0 1 0 0-12',
  overlayPlanes: 'M3 3h18v18H3z M6 17l4-5 3 3 4-6 M6 7h4',
  subtract: 'M3 5h11v11H3z M10 8h11v11H10z M14 13.5h4',
  download: 'M12 3v12 M7 10l5 5 5-5 M4 19h16',
  upload: 'M12 15V3 M7 8l5-5 5 5 M4 19h16',
  film: 'M3 5h18v14H3z M7 5v14 M17 5v14 M3 9h4 M3 15h4 M17 9h4 M17 15h4',
  play: 'M7 4l13 8-13 8z',
  pause: 'M7 4h3v16H7z M14 4h3v16h-3z',
  previous: 'M18 5l-9 7 9 7z M6 5v14',
  next: 'M6 5l9 7-9 7z M18 5v14',
  fullScreen: 'M3 9V3h6 M15 3h6v6 M21 15v6h-6 M9 21H3v-6',
  presentation: 'M3 4h18v12H3z M12 16v4 M8 21h8 M10 8l5 2.5-5 2.5z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
