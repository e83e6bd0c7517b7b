/**
 * Issue 12, "image first": how the screen is shared, measured from the elements' boxes in the built
 * app. The image area (the viewport elements) against the window, at a laptop's 1280×800 and a
 * desktop's 1920×1080, with one pane and side by side; nothing over the overlay text; a viewport
 * that keeps its size from start-up to the first frame; one toolbar acting on the active pane;
 * panels that fold and remember it; full screen (F) and presentation mode; pen and touch on the
 * tools (Chromium's touch emulation through CDP); and an axe-core WCAG 2.1 A/AA scan.
 */
import { createRequire } from 'node:module';
import type { CDPSession, FileChooser, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { launchApp, launchOnSamples, sampleFile, type App, type PaneNumber } from './driver';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Each overlay text line and the share of its box that lies over the picture: the pane's pixels
 * with the overlay hidden (Shift+O), lit (any channel above 30) where the collimated picture is
 * and black where the screen is dark.
 */
async function textOverPicture(app: App): Promise<Array<{ line: string; share: number }>> {
  const { page } = app;
  const overlay = app.pane(1).getByTestId('viewport-overlay');
  await page.keyboard.press('Shift+O');
  await overlay.waitFor({ state: 'detached' });
  const viewport = app.pane(1).getByTestId('viewport');
  const pixels = await app.pixelsOf(viewport);
  const origin = (await viewport.boundingBox())!;
  await page.keyboard.press('Shift+O');
  await overlay.waitFor();
  // A line's own text box (a Range), not its block, which spans the corner's width.
  const lines = await overlay.evaluate((el) =>
    [...el.querySelectorAll('.overlay-corner div, .overlay-corner span')]
      .filter((d) => [...d.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()))
      .map((d) => {
        const range = document.createRange();
        range.selectNodeContents(d);
        const r = range.getBoundingClientRect();
        return { line: d.textContent!, x: r.x, y: r.y, width: r.width, height: r.height };
      }),
  );
  return lines.map(({ line, x, y, width, height }) => {
    let lit = 0;
    let all = 0;
    for (let py = Math.floor(y - origin.y); py < y - origin.y + height; py++)
      for (let px = Math.floor(x - origin.x); px < x - origin.x + width; px++) {
        if (px < 0 || py < 0 || px >= pixels.width || py >= pixels.height) continue;
        const i = (py * pixels.width + px) * 4;
        all++;
        if (Math.max(pixels.rgba[i], pixels.rgba[i + 1], pixels.rgba[i + 2]) > 30) lit++;
      }
    return { line, share: all ? lit / all : 0 };
  });
}

/** Records the first viewport element's box from its first appearance, on every resize and at every User Timing mark. */
function watchViewportBox(): void {
  const boxes: Array<{ at: number; why: string; x: number; y: number; width: number; height: number }> = [];
  (window as unknown as { __viewportBoxes: typeof boxes }).__viewportBoxes = boxes;
  const start = (element: Element) => {
    const record = (why: string) => {
      const r = element.getBoundingClientRect();
      boxes.push({ at: performance.now(), why, x: r.x, y: r.y, width: r.width, height: r.height });
    };
    record('appeared');
    new ResizeObserver(() => record('resize')).observe(element);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => record(e.name))).observe({ type: 'mark' });
  };
  const seek = new MutationObserver(() => {
    const element = document.querySelector('[data-testid="viewport"]');
    if (!element) return;
    seek.disconnect();
    start(element);
  });
  seek.observe(document, { childList: true, subtree: true });
}

async function viewportBoxes(page: Page): Promise<Array<Box & { at: number; why: string }>> {
  return page.evaluate(() => (window as unknown as { __viewportBoxes: Array<Box & { at: number; why: string }> }).__viewportBoxes);
}

/** The viewports' share of the window, from their boxes (clipped to the window). */
async function imageShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const h = window.innerHeight;
    let area = 0;
    for (const el of document.querySelectorAll('[data-testid="viewport"]')) {
      const r = el.getBoundingClientRect();
      const width = Math.max(0, Math.min(r.right, w) - Math.max(r.left, 0));
      const height = Math.max(0, Math.min(r.bottom, h) - Math.max(r.top, 0));
      area += width * height;
    }
    return area / (w * h);
  });
}

/**
 * Every overlay text block (corner) against every other visible element outside its viewport frame,
 * and against the other corners: the pairs whose boxes intersect, named. Empty when nothing overlaps.
 */
async function overlayOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // checkVisibility: also false inside a closed <details> (its content is skipped, yet has boxes).
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    };
    const intersects = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}.${[...el.classList].join('.')}`;
    const found: string[] = [];
    const corners = [...document.querySelectorAll('.overlay-corner')].filter((c) => visible(c) && (c.textContent ?? '') !== '');
    // Leaves and controls outside the viewport frames: what could cover the text.
    const others = [...document.querySelectorAll('body *')].filter(
      (el) =>
        !el.closest('.viewport-frame') &&
        visible(el) &&
        (el.children.length === 0 || el.matches('button, select, input, output, [role], label, summary')),
    );
    for (const corner of corners) {
      const box = corner.getBoundingClientRect();
      const frame = corner.closest('.viewport-frame')!.getBoundingClientRect();
      if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5)
        found.push(`${describe(corner)} leaves its viewport`);
      for (const other of corners)
        if (other !== corner && intersects(box, other.getBoundingClientRect())) found.push(`${describe(corner)} × ${describe(other)}`);
      for (const other of others)
        if (intersects(box, other.getBoundingClientRect())) found.push(`${describe(corner)} × ${describe(other)}`);
    }
    return [...new Set(found)];
  });
}

/** axe-core's WCAG 2.1 A/AA rules (and the name-contains-visible-text rule) on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** Unfolds the runs list and the right-hand panel, where they are folded. */
async function unfoldPanels(app: App): Promise<void> {
  for (const [show, hide] of [
    ['Runs', 'Hide runs'],
    ['Show measurements and case record', 'Hide measurements and case record'],
  ]) {
    const hideButton = app.page.getByRole('button', { name: hide, exact: true });
    if (!(await hideButton.isVisible())) await app.page.getByRole('button', { name: show, exact: true }).click();
    await expect.poll(() => hideButton.isVisible()).toBe(true);
  }
}

async function openSideBySide(app: App): Promise<void> {
  await app.clearMarks('fluorolens:first-frame');
  await app.page.getByRole('button', { name: 'Side by side' }).click();
  await app.pane(2).getByTestId('viewport-overlay').waitFor();
  await app.waitForMark('fluorolens:first-frame');
}

/** The overlay text lines (their own boxes) that the pane's unplaced caption covers; "no caption" if none is drawn. */
async function overlayUnderCaption(app: App, pane: PaneNumber): Promise<string[]> {
  return app.pane(pane).evaluate((el) => {
    const caption = el.querySelector('[data-fluorolens-kind="caption"]');
    if (!caption) return ['no caption'];
    const c = caption.getBoundingClientRect();
    const covered: string[] = [];
    const walker = document.createTreeWalker(el.querySelector('[data-testid="viewport-overlay"]')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const t = range.getBoundingClientRect();
      if (c.left < t.right && t.left < c.right && c.top < t.bottom && t.top < c.bottom) covered.push(node.textContent);
    }
    return covered;
  });
}

/**
 * Focuses Viewer n and records each state the toolbar is seen in (every DOM change, as a
 * MutationObserver sees it) for 300 ms: which pane it acts on and whether Invert shows pressed.
 */
async function toolbarStatesWhileFocusing(app: App, n: PaneNumber): Promise<Array<{ pane?: string; invertPressed: string | null }>> {
  const pane = await app.pane(n).elementHandle();
  const toolbar = await app.toolbar().elementHandle();
  return app.page.evaluate(
    async ([pane, toolbar]) => {
      const invert = () => [...toolbar.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Invert');
      const states: Array<{ pane?: string; invertPressed: string | null }> = [];
      const record = () =>
        states.push({ pane: (toolbar as HTMLElement).dataset.pane, invertPressed: invert()?.getAttribute('aria-pressed') ?? null });
      const observer = new MutationObserver(record);
      observer.observe(toolbar, { attributes: true, subtree: true, childList: true });
      (pane as HTMLElement).focus();
      await new Promise((resolve) => setTimeout(resolve, 300));
      observer.disconnect();
      record();
      return states;
    },
    [pane!, toolbar!] as const,
  );
}

const TARGETS = [
  { width: 1280, height: 800, single: 0.6, sideBySide: 0.55 },
  { width: 1920, height: 1080, single: 0.7, sideBySide: 0.65 },
];

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('the picture gets the screen', () => {
  it.each(TARGETS)('at $width×$height: a caption without a place of its own is not drawn over the overlay text', async (target) => {
    app = await launchOnSamples({ viewport: { width: target.width, height: target.height }, panels: 'default' });
    // Added on the timeline, not by a click on the image: it has no position and takes its default place.
    await app.addTrack('Caption');
    await app.pane(1).locator('[data-fluorolens-kind="caption"]').waitFor();
    expect(await overlayUnderCaption(app, 1), 'one pane').toEqual([]);
    await openSideBySide(app);
    await app.pane(1).locator('[data-fluorolens-kind="caption"]').waitFor();
    expect(await overlayUnderCaption(app, 1), 'side by side').toEqual([]);
    await app.screenshot(`layout-${target.width}x${target.height}-unplaced-caption`);
  });

  it.each(TARGETS)('at $width×$height: the image area, a stable viewport from start-up, nothing over the overlay', async (target) => {
    const size = `${target.width}x${target.height}`;
    app = await launchOnSamples({
      viewport: { width: target.width, height: target.height },
      panels: 'default',
      initScript: watchViewportBox,
    });
    const { page } = app;
    await page.waitForTimeout(300);
    await app.screenshot(`layout-${size}-single`);

    // Issue 8.1: the viewport's box at start-up is the box the first frame is drawn into.
    const boxes = await viewportBoxes(page);
    const firstFrame = boxes.findIndex((b) => b.why === 'fluorolens:first-frame');
    expect(firstFrame, 'the box was read when the first frame was drawn').toBeGreaterThan(0);
    expect(boxes[0].why).toBe('appeared');
    const moved = boxes.filter((b) =>
      ['x', 'y', 'width', 'height'].some((k) => Math.abs(b[k as keyof Box] - boxes[0][k as keyof Box]) > 0.5),
    );
    expect(moved, `viewport box from start-up (${JSON.stringify(boxes[0])}) to after the first frame`).toEqual([]);

    const single = await imageShare(page);
    expect(await overlayOverlaps(page)).toEqual([]);

    await openSideBySide(app);
    const sideBySide = await imageShare(page);
    expect(await overlayOverlaps(page)).toEqual([]);
    await app.screenshot(`layout-${size}-side-by-side`);
    // Each pane's timeline buttons keep to one line: a wrapped line takes a lane's height from the fixed-height timeline.
    for (const n of [1, 2] as PaneNumber[]) {
      const row = app.pane(n).locator('.timeline-toolbar');
      const rowHeight = (await row.boundingBox())!.height;
      const buttonHeight = (await row.getByRole('button', { name: 'Add track' }).boundingBox())!.height;
      expect(rowHeight, `Viewer ${n}'s timeline buttons on one line at ${size}`).toBeLessThan(1.5 * buttonHeight);
    }

    console.log(`image share at ${size}: single ${(single * 100).toFixed(1)} %, side by side ${(sideBySide * 100).toFixed(1)} %`);
    expect(single).toBeGreaterThanOrEqual(target.single);
    expect(sideBySide).toBeGreaterThanOrEqual(target.sideBySide);

    // A caption's form (text, frames, Here, Set caption) is one line in a side-by-side pane
    // too: it had two, and the lanes under it scrolled with one of them in sight.
    await app.chooseTool('Caption', 1);
    await app.clickImage({ x: 100, y: 400 }, 1);
    const form = app.pane(1).getByRole('form', { name: 'Caption' });
    await form.waitFor();
    // The row that holds the form and everything beside it (the Here buttons were beside it, and wrapped).
    const formHeight = (await form.locator('xpath=..').boundingBox())!.height;
    const setHeight = (await form.getByRole('button', { name: 'Set caption' }).boundingBox())!.height;
    expect(formHeight, `the caption form on one line at ${size}`).toBeLessThan(1.5 * setHeight);
    expect((await form.getByRole('textbox', { name: 'Caption text' }).boundingBox())!.width).toBeGreaterThan(80);
    await app.screenshot(`layout-${size}-side-by-side-caption`, app.pane(1).getByRole('group', { name: 'Timeline' }));
  });
});

/** The share of the pane's image-frame edge pixels (1 px in from each side) shown in the accent colour. */
async function accentEdgeShare(app: App, pane: PaneNumber): Promise<number> {
  const { width, height, rgba } = await app.pixelsOf(app.pane(pane).locator('.viewport-frame'));
  const accent = (x: number, y: number) => {
    const o = (y * width + x) * 4;
    return Math.abs(rgba[o] - 0xf5) + Math.abs(rgba[o + 1] - 0xc5) + Math.abs(rgba[o + 2] - 0x42) < 60;
  };
  const edge: Array<[number, number]> = [];
  for (let x = 0; x < width; x += 4) edge.push([x, 1], [x, height - 2]);
  for (let y = 0; y < height; y += 4) edge.push([1, y], [width - 2, y]);
  return edge.filter(([x, y]) => accent(x, y)).length / edge.length;
}

describe('one toolbar, acting on the active pane', () => {
  it('the tools are in the toolbar once, with icons and their names; a click or Tab chooses the pane they act on', async () => {
    app = await launchOnSamples({ panels: 'default' });
    const { page } = app;
    await openSideBySide(app);
    expect(await page.getByRole('toolbar').count()).toBe(1);
    for (const n of [1, 2] as PaneNumber[]) {
      for (const name of ['Invert', 'Needle tip', 'Undo', 'Export annotations', 'Window/level'])
        expect(await app.pane(n).getByRole('button', { name, exact: true }).count(), `${name} in Viewer ${n}`).toBe(0);
      // One row under each pane: Play, the Frame slider with its readout, speed, mode, in and out.
      const row = app.pane(n).locator('.pane-controls');
      const rowBox = (await row.boundingBox())!;
      for (const control of [
        app.pane(n).getByRole('button', { name: 'Play', exact: true }),
        app.pane(n).getByRole('slider', { name: 'Frame' }),
        app.pane(n).getByLabel('Frame readout'),
        app.pane(n).getByRole('combobox', { name: 'Playback speed' }),
        app.pane(n).getByRole('combobox', { name: 'Playback mode' }),
        app.pane(n).getByRole('button', { name: 'Set in point' }),
        app.pane(n).getByRole('button', { name: 'Set out point' }),
      ]) {
        const box = (await control.boundingBox())!;
        expect(box.y, 'in the row').toBeGreaterThanOrEqual(rowBox.y - 0.5);
        expect(box.y + box.height, 'in the row').toBeLessThanOrEqual(rowBox.y + rowBox.height + 0.5);
        expect(box.x + box.width, 'not cut off').toBeLessThanOrEqual(rowBox.x + rowBox.width + 0.5);
      }
    }
    const tools = app.toolbar();
    for (const name of [
      'Window/level',
      'Pan',
      'Zoom',
      'Needle tip',
      'Target',
      'Contrast spread',
      'Invert',
      'Fit',
      'Undo',
      'Redo',
      'Export annotations',
    ]) {
      const button = tools.getByRole('button', { name, exact: true });
      expect(await button.locator('svg.icon').count(), `${name} shows an icon`).toBe(1);
      expect(await button.getAttribute('title'), `${name}'s tooltip`).toMatch(new RegExp(`^(${name.replace('/', '\\/')}|Nothing to)`));
    }

    // A click in Viewer 2 (on its play row, not the image) makes it the active pane: outlined, and the toolbar acts on it.
    await app.pane(2).getByLabel('Frame readout').click();
    await expect.poll(() => tools.getAttribute('data-pane')).toBe('second');
    expect(await app.pane(2).evaluate((el) => el.classList.contains('active'))).toBe(true);
    // The outline is seen over the picture: the accent (#f5c542) along Viewer 2's frame, not Viewer 1's.
    expect(await accentEdgeShare(app, 2)).toBeGreaterThan(0.9);
    expect(await accentEdgeShare(app, 1)).toBeLessThan(0.1);
    await tools.getByRole('button', { name: 'Invert', exact: true }).click();
    await expect.poll(() => tools.getByRole('button', { name: 'Invert', exact: true }).getAttribute('aria-pressed')).toBe('true');
    // Tab onto Viewer 1: the toolbar now shows (and acts on) its state, which Invert did not touch.
    await app.pane(2).focus();
    await page.keyboard.press('Shift+Tab');
    let steps = 0;
    while (!(await app.pane(1).evaluate((el) => el === document.activeElement)) && steps++ < 60) await page.keyboard.press('Shift+Tab');
    await expect.poll(() => tools.getAttribute('data-pane')).toBe('main');
    expect(await tools.getByRole('button', { name: 'Invert', exact: true }).getAttribute('aria-pressed')).toBe('false');
    // Back to Viewer 2: every state the toolbar passes through shows Viewer 2 with its own Invert, never
    // Viewer 1's for a moment (it did, for a task or two, and CI's reads landed there).
    const states = await toolbarStatesWhileFocusing(app, 2);
    expect(states.at(-1)).toEqual({ pane: 'second', invertPressed: 'true' });
    expect(states.filter((s) => s.pane === 'second' && s.invertPressed !== 'true')).toEqual([]);
  });

  it('side by side with both panels open, each pane’s row still shows the frame numbers whole and reaches every control', async () => {
    // 1280 wide with the runs list and the right-hand panel open: panes of ~330 CSS px, narrower than the row.
    app = await launchOnSamples({ viewport: { width: 1280, height: 900 } });
    await openSideBySide(app);
    await unfoldPanels(app);
    expect((await app.pane(1).boundingBox())!.width).toBeLessThan(420);
    for (const n of [1, 2] as PaneNumber[]) {
      const readout = app.pane(n).getByLabel('Frame readout');
      const { shown, whole } = await readout.evaluate((el) => ({ shown: el.clientWidth, whole: el.scrollWidth }));
      expect(whole, `Viewer ${n}'s frame readout is not squeezed under its neighbours`).toBeLessThanOrEqual(shown + 1);
      expect(await readout.innerText()).toMatch(/^(Frame )?1 \/ \d+/);
      // The last controls of the row are reached as a keyboard user reaches them: focused, the row scrolls to them.
      const row = app.pane(n).locator('.pane-controls');
      for (const name of ['Set in point', 'Set out point']) {
        const button = app.pane(n).getByRole('button', { name });
        await button.focus();
        const [box, rowBox] = [(await button.boundingBox())!, (await row.boundingBox())!];
        expect(box.x, `${name} in Viewer ${n}`).toBeGreaterThanOrEqual(rowBox.x - 0.5);
        expect(box.x + box.width, `${name} in Viewer ${n}`).toBeLessThanOrEqual(rowBox.x + rowBox.width + 0.5);
      }
    }
  });
});

describe('panels that fold', () => {
  it('start folded to a strip, unfold with a click or a key, and the choice is remembered', async () => {
    app = await launchOnSamples({ panels: 'default' });
    const { page } = app;
    const runsStrip = page.getByRole('button', { name: 'Runs', exact: true });
    const panelStrip = page.getByRole('button', { name: 'Show measurements and case record' });
    expect(await runsStrip.getAttribute('aria-expanded')).toBe('false');
    expect(await panelStrip.getAttribute('aria-expanded')).toBe('false');
    expect((await runsStrip.boundingBox())!.width).toBeLessThanOrEqual(32);
    expect(await page.getByRole('list', { name: 'Runs', exact: true }).isVisible()).toBe(false);
    const folded = await imageShare(page);

    await runsStrip.click();
    await page.getByRole('list', { name: 'Runs', exact: true }).waitFor();
    await page.locator('body').press(']');
    await page.getByRole('heading', { name: 'Case record' }).waitFor();
    expect(await imageShare(page)).toBeLessThan(folded);
    // The viewport redraws at its new size on the next frame after the resize.
    await page.waitForTimeout(500);
    await app.screenshot('layout-panels-open');

    // Remembered: a reload opens them as they were left.
    await page.reload();
    await app.waitForMark('fluorolens:first-frame');
    await page.getByRole('list', { name: 'Runs', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Case record' }).waitFor();
    // Side by side has its own choice: folded until unfolded there.
    await openSideBySide(app);
    expect(await page.getByRole('button', { name: 'Runs', exact: true }).isVisible()).toBe(true);
    await page.locator('body').press('[');
    await page.getByRole('list', { name: 'Runs', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Hide runs' }).click();
    expect(await page.getByRole('list', { name: 'Runs', exact: true }).isVisible()).toBe(false);

    // The keys are in the Keys help.
    await page.getByText('Keys', { exact: true }).click();
    // Frames and playback first, what a reader looks for (Subtraction came first, in the key map's matching order).
    const sections = await page.locator('.keys-help-panel h3').allTextContents();
    expect(sections.slice(0, 3)).toEqual(['Frames', 'Playback', 'Review']);
    expect(sections).toContain('Subtraction');
    const screenKeys = page.getByRole('region', { name: 'Screen keys' });
    for (const key of ['F', 'P', '[', ']']) expect(await screenKeys.getByText(key, { exact: true }).count(), key).toBe(1);
    // It closes as a popover does: Escape (focus back on Keys), or a press anywhere outside it,
    // here on the picture, where the press also goes on to the tool. It stayed open over the panes.
    const keysPanel = page.locator('.keys-help-panel');
    const keysSummary = page.getByText('Keys', { exact: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => keysPanel.isVisible()).toBe(false);
    expect(await keysSummary.evaluate((el) => el === document.activeElement)).toBe(true);
    await keysSummary.click();
    await expect.poll(() => keysPanel.isVisible()).toBe(true);
    const box = (await app.pane(1).getByTestId('viewport').boundingBox())!;
    await page.mouse.click(box.x + 20, box.y + box.height / 2);
    await expect.poll(() => keysPanel.isVisible()).toBe(false);
    // The timeline's own "?" help does the same.
    const timelineHelp = app.pane(1).getByLabel('Timeline keys');
    await timelineHelp.click();
    const timelineKeys = app.pane(1).locator('.timeline-help dl');
    await expect.poll(() => timelineKeys.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => timelineKeys.isVisible()).toBe(false);
  });
});

describe('a pane that changes shape', () => {
  /** Where the image's corners are on the page, against the viewport's box. */
  async function imageBox(app: App, pane: 'main' | 'second', columns: number, rows: number) {
    const [a, b] = await app.page.evaluate(
      ([id, c, r]) => [window.__fluorolens!.imagePointOnPage(id, 0, 0)!, window.__fluorolens!.imagePointOnPage(id, c, r)!],
      [pane, columns, rows] as const,
    );
    const viewport = (await app
      .pane(pane === 'main' ? 1 : 2)
      .getByTestId('viewport')
      .boundingBox())!;
    return { left: Math.min(a.x, b.x), right: Math.max(a.x, b.x), top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y), viewport };
  }

  // Side by side on a portrait screen, each pane is narrower than tall: the first pane kept the
  // single pane's visible height and cut both sides of the image off (zoom 1.4× in a pane that fits 0.68×).
  it('refits the image when its pane becomes narrower than the image (side by side on a 768×1024 portrait screen), keeping rotation; the header and the frame ruler fit too', async () => {
    app = await launchOnSamples({ panels: 'default', viewport: { width: 768, height: 1024 } });
    // A track, so the timeline has its ruler.
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 200, y: 200 });
    const rotate = app.toolbar().getByRole('button', { name: 'Rotate 90°' });
    await rotate.click();
    await openSideBySide(app);
    await expect
      .poll(async () => {
        const box = await imageBox(app!, 'main', 512, 512);
        return [box.left >= box.viewport.x - 1, box.right <= box.viewport.x + box.viewport.width + 1, Math.round(box.right - box.left)];
      })
      .toEqual([true, true, Math.round((await app.pane(1).getByTestId('viewport').boundingBox())!.width)]);
    // Still turned: image row 0 runs down the right-hand side after a quarter turn clockwise.
    const [origin, along] = await app.page.evaluate(() => [
      window.__fluorolens!.imagePointOnPage('main', 0, 0)!,
      window.__fluorolens!.imagePointOnPage('main', 100, 0)!,
    ]);
    expect(Math.abs(along.x - origin.x)).toBeLessThan(1);
    expect(along.y).toBeGreaterThan(origin.y);
    // The header takes a second row instead of breaking its labels over three lines.
    const header = app.page.getByRole('banner');
    for (const name of ['Open DICOM files', 'Side by side', 'Export teaching case']) {
      const lineHeight = await header
        .getByRole('button', { name, exact: true })
        .evaluate((b) => parseFloat(getComputedStyle(b).lineHeight) || parseFloat(getComputedStyle(b).fontSize) * 1.2);
      const box = (await header.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(box.height, `${name} on one line`).toBeLessThan(2 * lineHeight);
      expect(box.y, `${name} inside the header`).toBeGreaterThanOrEqual((await header.boundingBox())!.y);
    }
    // The narrow pane's frame ruler labels fewer frames rather than running them into each other.
    const ticks = await app
      .pane(1)
      .locator('.ruler-tick')
      .evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    expect(ticks.length).toBeGreaterThan(2);
    for (let i = 1; i < ticks.length; i++)
      expect(ticks[i].left, `tick ${i} clear of tick ${i - 1}`).toBeGreaterThan(ticks[i - 1].right + 2);
    await app.screenshot('layout-768x1024-side-by-side');
  });
});

describe('full screen and presentation', () => {
  it('F puts the active pane full screen and back', async () => {
    app = await launchOnSamples({ panels: 'default' });
    const { page } = app;
    const before = (await app.pane(1).getByTestId('viewport').boundingBox())!;
    await page.locator('body').press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('aria-label') ?? null)).toBe('Viewer 1');
    await expect.poll(async () => (await app!.pane(1).getByTestId('viewport').boundingBox())!.height).toBeGreaterThan(before.height);
    await page.locator('body').press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
    await expect.poll(async () => (await app!.pane(1).getByTestId('viewport').boundingBox())!.height).toBeCloseTo(before.height, 0);
  });

  it('presentation shows the picture, a slim play bar and the annotations, large text and no patient text', async () => {
    app = await launchOnSamples({ panels: 'default' });
    const { page } = app;
    const overlay = app.pane(1).getByTestId('viewport-overlay');
    const patientText = (await overlay.locator('.top-left').textContent()) ?? '';
    expect(patientText).toContain('FL-SAMPLE-001');
    const smallText = await overlay.locator('.bottom-left').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    // An annotation to keep on screen.
    const runKey = (await app.runs())[0].key;
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 200, y: 200 });
    await expect.poll(async () => (await app!.savedDoc(runKey)).tracks.length).toBe(1);

    await page.getByRole('button', { name: 'Presentation' }).click();
    await expect.poll(() => page.getByRole('banner').isVisible()).toBe(false);
    expect(await app.toolbar().isVisible()).toBe(false);
    expect(await app.timeline().isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Run browser' }).isVisible()).toBe(false);
    expect(await app.pane().getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);
    expect(await app.frameSlider().isVisible()).toBe(true);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('FL-SAMPLE-001');
    // The top corners now hold the run's own lines, never the patient's.
    expect(await overlay.locator('.top-left').textContent()).toBe('L4 TFESI AP (synthetic)Series 1 · Instance 1');
    const largeText = await overlay.locator('.bottom-left').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(largeText).toBeGreaterThanOrEqual(Math.max(22, 1.8 * smallText));
    expect(await page.getByTestId('viewport').locator('svg circle, svg path, svg line').count(), 'the needle tip is drawn').toBeGreaterThan(
      0,
    );
    const share = await imageShare(page);
    console.log(`image share in presentation at 1280x800: ${(share * 100).toFixed(1)} %`);
    expect(share).toBeGreaterThanOrEqual(0.9);
    expect(await overlayOverlaps(page)).toEqual([]);
    await app.screenshot('layout-1280x800-presentation');
    // The play bar plays.
    await app.pane().getByRole('button', { name: 'Play', exact: true }).click();
    await app.pane().getByRole('button', { name: 'Pause', exact: true }).click();

    await page.locator('body').press('p');
    await expect.poll(() => page.getByRole('banner').isVisible()).toBe(true);
    expect(await overlay.locator('.top-left').textContent()).toBe(patientText);
  });

  // Two tall blocks at the bottom reached over the collimated picture at 1024 and 1366 wide (up to
  // 32 % of a line's box over the anatomy); spread over the four dark corners, none does.
  for (const viewport of [
    { width: 1024, height: 700 },
    { width: 1366, height: 768 },
  ])
    it(`presentation keeps its large text off the picture at ${viewport.width}×${viewport.height}`, async () => {
      app = await launchOnSamples({ panels: 'default', viewport });
      await app.page.getByRole('button', { name: 'Presentation' }).click();
      await expect.poll(() => app!.page.getByRole('banner').isVisible()).toBe(false);
      const lines = await textOverPicture(app);
      expect(lines.map((l) => l.line)).toEqual(
        expect.arrayContaining(['L4 TFESI AP (synthetic)', 'Frame 1 / 60', '78 kVp · 12 mA', 'AP CRAN 8°']),
      );
      const over = lines.filter((l) => l.share > 0.02).map((l) => `${l.line}: ${(l.share * 100).toFixed(1)} %`);
      expect(over, 'text lines over the picture').toEqual([]);
      await app.screenshot(`layout-${viewport.width}x${viewport.height}-presentation`);
    });
});

describe('accessibility', () => {
  it('opens files from the keyboard: Tab reaches Open DICOM files, Open folder and Import annotations, Enter opens the chooser', async () => {
    app = await launchApp({ samples: false });
    const { page } = app;
    await app.waitForMark('fluorolens:viewport-warm');
    /** Tabs from the top of the page until `name` has the focus; the names passed on the way. */
    const tabTo = async (name: string): Promise<string[]> => {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const passed: string[] = [];
      for (let i = 0; i < 80 && passed.at(-1) !== name; i++) {
        await page.keyboard.press('Tab');
        passed.push(
          await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''),
        );
      }
      return passed;
    };
    const passed = await tabTo('Open DICOM files');
    expect(passed.at(-1), `Tab order: ${passed.join(' → ')}`).toBe('Open DICOM files');
    // Focused, the button-like label shows it.
    const openLabel = page.locator('label.button', { has: page.getByLabel('Open DICOM files') });
    expect(await openLabel.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    // Playwright takes over the browser's file chooser once a listener is on, which takes a round trip:
    // listen before the key is pressed.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    const chooser = choosers[0];
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(sampleFile('l4-tfesi-ap-512.dcm'));
    await app.waitForMark('fluorolens:first-frame');

    expect((await tabTo('Open folder')).at(-1)).toBe('Open folder');
    // With a run shown, Import annotations takes a file the same way.
    expect((await tabTo('Import annotations')).at(-1)).toBe('Import annotations');
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(2);
    expect(choosers[1].isMultiple()).toBe(false);
  });

  it('axe-core finds no WCAG 2.1 A/AA violation: runs open, annotated, side by side, presentation', async () => {
    app = await launchOnSamples();
    const { page } = app;
    expect(await axeViolations(page), 'runs open').toEqual([]);
    const runKey = (await app.runs())[0].key;
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 200, y: 200 });
    await expect.poll(async () => (await app!.savedDoc(runKey)).tracks.length).toBe(1);
    await app.chooseTool('Arrow');
    await app.dragImage([
      { x: 100, y: 300 },
      { x: 180, y: 220 },
    ]);
    await expect.poll(async () => (await app!.savedDoc(runKey)).tracks.length).toBe(2);
    expect(await axeViolations(page), 'annotated, arrow selected').toEqual([]);
    await openSideBySide(app);
    await app.showRunsList();
    expect(await axeViolations(page), 'side by side').toEqual([]);
    await page.getByRole('button', { name: 'Presentation' }).click();
    await expect.poll(() => page.getByRole('banner').isVisible()).toBe(false);
    expect(await axeViolations(page), 'presentation').toEqual([]);
    await app.screenshot('layout-1280x800-presentation-side-by-side');
  });

  // The Keys help scrolled, yet could not take the focus: a keyboard user could not read past its first screen.
  it('axe-core finds no violation with a popover, a dialog or a form open: Keys, Export video, Export teaching case, calibration, subtraction, Add track, a run closed', async () => {
    app = await launchOnSamples();
    const { page } = app;
    await page.locator('summary', { hasText: 'Keys' }).click();
    const keys = page.getByRole('region', { name: 'All keys' });
    await expect.poll(() => keys.isVisible()).toBe(true);
    expect(await keys.evaluate((el) => el.scrollHeight > el.clientHeight), 'the Keys help scrolls here').toBe(true);
    expect(await axeViolations(page), 'Keys help').toEqual([]);
    // Tab reaches the list and the arrow keys scroll it.
    await keys.focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => keys.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => keys.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Export video' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Export video' }).isVisible()).toBe(true);
    expect(await axeViolations(page), 'Export video').toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Export teaching case' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Export teaching case' }).isVisible()).toBe(true);
    expect(await axeViolations(page), 'Export teaching case').toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Calibrate' }).click();
    await app.dragImage([
      { x: 150.5, y: 200.5 },
      { x: 250.5, y: 200.5 },
    ]);
    await expect.poll(() => page.getByRole('form', { name: 'Calibration line' }).isVisible()).toBe(true);
    expect(await axeViolations(page), 'calibration form').toEqual([]);
    await page.keyboard.press('Escape');

    await app.showRunFromList(/^DSA S1/);
    await page.getByRole('switch', { name: 'Subtract' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Subtract' }).getAttribute('aria-checked')).toBe('true');
    expect(await axeViolations(page), 'subtraction').toEqual([]);
    await app.timeline().getByRole('button', { name: 'Add track' }).click();
    await expect.poll(() => app!.timeline().getByRole('menu').isVisible()).toBe(true);
    expect(await axeViolations(page), 'Add track menu').toEqual([]);
    await page.keyboard.press('Escape');
    await app.closeRunFromList(/^DSA S1/);
    await page.getByRole('status', { name: 'Closed runs' }).waitFor();
    expect(await axeViolations(page), 'a run closed, Reopen offered').toEqual([]);
  });
});

describe('pen and touch', () => {
  async function touchscreen(page: Page): Promise<CDPSession> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    return cdp;
  }
  const touch = (cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<{ x: number; y: number }>) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ ...p, id })) });

  it('a tap places the tip, a drag draws the contour, two fingers pinch to zoom and move to pan', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1280, height: 800 } });
    const runKey = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    const { page } = app;
    const cdp = await touchscreen(page);

    await app.chooseTool('Needle tip');
    const tip = await app.pagePoint({ x: 250, y: 300 });
    await touch(cdp, 'touchStart', [tip]);
    await touch(cdp, 'touchEnd', []);
    await expect.poll(async () => (await app!.savedDoc(runKey)).tracks.find((t) => t.kind === 'needleTip')?.keyframes.length ?? 0).toBe(1);
    const placed = (await app.savedDoc(runKey)).tracks.find((t) => t.kind === 'needleTip')!.keyframes[0];
    expect(placed.frame).toBe(1);
    const at = placed.geometry.tip as { x: number; y: number };
    expect(Math.hypot(at.x - 250.5, at.y - 300.5), 'where the finger touched').toBeLessThan(2);

    await app.chooseTool('Contrast spread');
    const outline = [
      { x: 150, y: 150 },
      { x: 260, y: 140 },
      { x: 280, y: 250 },
      { x: 170, y: 260 },
      { x: 150, y: 160 },
    ];
    const onPage = [];
    for (const p of outline) onPage.push(await app.pagePoint(p));
    await touch(cdp, 'touchStart', [onPage[0]]);
    for (let i = 1; i < onPage.length; i++) {
      for (let s = 1; s <= 6; s++) {
        const a = onPage[i - 1];
        const b = onPage[i];
        await touch(cdp, 'touchMove', [{ x: a.x + ((b.x - a.x) * s) / 6, y: a.y + ((b.y - a.y) * s) / 6 }]);
      }
    }
    await touch(cdp, 'touchEnd', []);
    await expect
      .poll(async () => (await app!.savedDoc(runKey)).tracks.find((t) => t.kind === 'contrastSpread')?.keyframes.length ?? 0)
      .toBe(1);
    const contour = (await app.savedDoc(runKey)).tracks.find((t) => t.kind === 'contrastSpread')!.keyframes[0].geometry.contour as Array<{
      x: number;
      y: number;
    }>;
    const xs = contour.map((p) => p.x);
    const ys = contour.map((p) => p.y);
    expect(Math.min(...xs)).toBeLessThan(160);
    expect(Math.max(...xs)).toBeGreaterThan(270);
    expect(Math.min(...ys)).toBeLessThan(150);
    expect(Math.max(...ys)).toBeGreaterThan(250);

    // Pinch with the contour tool still chosen: a zoom (no new mark), then two fingers moving together pan.
    const zoomReadout = () => app!.toolbar().getByLabel('Zoom readout').textContent();
    const perCss = await app.imagePixelsPerCssPixel(512);
    const centre = await app.pagePoint({ x: 256, y: 256 });
    await touch(cdp, 'touchStart', [{ x: centre.x - 40, y: centre.y }]);
    await touch(cdp, 'touchStart', [
      { x: centre.x - 40, y: centre.y },
      { x: centre.x + 40, y: centre.y },
    ]);
    for (let s = 1; s <= 8; s++)
      await touch(cdp, 'touchMove', [
        { x: centre.x - 40 - 10 * s, y: centre.y },
        { x: centre.x + 40 + 10 * s, y: centre.y },
      ]);
    await touch(cdp, 'touchEnd', []);
    await expect.poll(() => app!.imagePixelsPerCssPixel(512)).toBeLessThan(perCss * 0.8);
    expect(await zoomReadout()).toBeTruthy();
    const doc = await app.savedDoc(runKey);
    expect(
      doc.tracks.map((t) => t.keyframes.length),
      'the pinch drew nothing',
    ).toEqual([1, 1]);

    const before = await app.pagePoint({ x: 256, y: 256 });
    await touch(cdp, 'touchStart', [{ x: centre.x - 40, y: centre.y }]);
    await touch(cdp, 'touchStart', [
      { x: centre.x - 40, y: centre.y },
      { x: centre.x + 40, y: centre.y },
    ]);
    for (let s = 1; s <= 8; s++)
      await touch(cdp, 'touchMove', [
        { x: centre.x - 40 + 8 * s, y: centre.y + 5 * s },
        { x: centre.x + 40 + 8 * s, y: centre.y + 5 * s },
      ]);
    await touch(cdp, 'touchEnd', []);
    const after = await app.pagePoint({ x: 256, y: 256 });
    expect(after.x - before.x, 'two fingers moved right').toBeGreaterThan(30);
    expect(after.y - before.y, 'and down').toBeGreaterThan(15);
    expect((await app.savedDoc(runKey)).tracks.map((t) => t.keyframes.length)).toEqual([1, 1]);
  });
});
