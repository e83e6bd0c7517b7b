/**
 * Which viewports owe a `fluorolens:annotation-rendered` mark: set when the document or a draft
 * changes under a tool drag, cleared by the next annotation render. The bench pairs it with
 * `fluorolens:handle-move` to time pointer-to-redraw.
 */
const pending = new Set<string>();

export function expectRedraw(viewportId: string): void {
  pending.add(viewportId);
}

/** Called after each annotation render of a viewport; marks it when a redraw was owed. */
export function redrawn(viewportId: string): void {
  if (pending.delete(viewportId)) performance.mark('fluorolens:annotation-rendered', { detail: { viewport: viewportId } });
}
