import type { OutlinePath } from '../imaging/shutter';

/** Far outside any image: the outer edge of "everything but the shape". */
const FAR = 1e5;

/**
 * An outline shape as SVG path data (also what Path2D takes). With `outside`, a huge square comes
 * first, so that filled with the even-odd rule the path covers everything except the shape.
 */
export function outlineToSvgPath(path: OutlinePath, outside: boolean): string {
  const frame = outside ? `M${-FAR} ${-FAR}H${FAR}V${FAR}H${-FAR}Z` : '';
  switch (path.kind) {
    case 'rect':
      return `${frame}M${path.x} ${path.y}h${path.width}v${path.height}h${-path.width}Z`;
    case 'circle':
      return `${frame}M${path.cx - path.r} ${path.cy}a${path.r} ${path.r} 0 1 0 ${2 * path.r} 0a${path.r} ${path.r} 0 1 0 ${-2 * path.r} 0Z`;
    case 'polygon':
      return `${frame}M${path.points.map((p) => `${p.x} ${p.y}`).join('L')}Z`;
  }
}
