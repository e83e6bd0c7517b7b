/* global document, performance, requestAnimationFrame */
/**
 * What this machine's headless Chromium can show at all, measured before the cases: rAF callbacks
 * per second on an empty page, and with a 1024² canvas repainted every frame (putImageData). No
 * viewer can play faster than the second figure here, so read the cine figures against it.
 */
import { loadavg, cpus } from 'node:os';
import { launch } from './browser.mjs';
import { round } from './summary.mjs';

const SECONDS = 2;

async function rafRate(page, paint) {
  return page.evaluate(
    ([seconds, paintEveryFrame]) =>
      new Promise((done) => {
        const canvas = document.createElement('canvas');
        canvas.width = 1024;
        canvas.height = 1024;
        canvas.style.width = '800px';
        document.body.append(canvas);
        const context = canvas.getContext('2d');
        const image = context.createImageData(1024, 1024);
        let frames = 0;
        const start = performance.now();
        const tick = () => {
          frames++;
          if (paintEveryFrame) {
            image.data.fill(frames & 0xff);
            context.putImageData(image, 0, 0);
          }
          if (performance.now() - start < seconds * 1000) requestAnimationFrame(tick);
          else done(frames / ((performance.now() - start) / 1000));
        };
        requestAnimationFrame(tick);
      }),
    [SECONDS, paint],
  );
}

export async function measureEnvironment() {
  const session = await launch();
  try {
    const version = session.page.context().browser()?.version() ?? null;
    await session.page.setContent('<!doctype html><body style="margin:0;background:#000"></body>');
    const emptyRafFps = await rafRate(session.page, false);
    const canvas1024Fps = await rafRate(session.page, true);
    return {
      case: 'environment',
      chromium: version,
      cpus: cpus().length,
      loadAvg1m: round(loadavg()[0], 2),
      emptyRafFps: round(emptyRafFps),
      canvas1024Fps: round(canvas1024Fps),
      note: 'rAF/s on an empty page and with a 1024² canvas repainted each frame: the ceiling for any cine figure on this machine now',
    };
  } finally {
    await session.close();
  }
}
