/**
 * Encoders an export streams its frames into, one frame at a time: MP4 (H.264) and WebM (VP9)
 * through WebCodecs, muxed by mediabunny into an in-memory file; GIF through gifenc. Each can be
 * aborted at any point, which closes the codec and drops what was written.
 *
 * Memory: the file grows as packets come (MP4 reserves its index at the start, so no packet is
 * held back for a fast-start file) and at most MAX_ENCODE_QUEUE frames wait for the encoder. The
 * rest is the browser's encoder itself, whatever the run's length (bench:video measures it alone
 * in Chromium: H.264 about 6 MB at 512² and 21 MB at 1024², VP9 about 33 MB and 100 MB).
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { bitrateFor, codecCandidates, keyFrameInterval, muxerCodec } from './format';
import { I420_COLOR_SPACE } from './yuv';

export interface FrameEncoder {
  /** What the file holds, e.g. "H.264 avc1.640028". */
  readonly description: string;
  /** Encodes the canvas as the next frame; resolves when the encoder can take another. */
  add(canvas: OffscreenCanvas, timing: { timestampUs: number; durationUs: number }): Promise<void>;
  /** The same for a frame already in I420 (yuv.ts); the buffer may be reused once this resolves. */
  addI420?(planes: Uint8Array, timing: { timestampUs: number; durationUs: number }): Promise<void>;
  /** Flushes and closes; the finished file. */
  finish(): Promise<Uint8Array>;
  /** Closes without a file. Safe to call more than once, and after finish. */
  abort(): Promise<void>;
}

/** The browser cannot make the asked format at this size; the message says what to do instead. */
export class UnsupportedCaptureError extends Error {
  override readonly name = 'UnsupportedCaptureError';
}

/**
 * How many frames may wait in the encoder: enough to keep it busy, few enough to bound memory
 * (each is a copy of the frame). 2 saved one frame's copy (1.5 MB at 1024²) but exported the 512²
 * cine more slowly on a busy machine, so 3.
 */
export const MAX_ENCODE_QUEUE = 3;

/**
 * Configs the browser said it takes, by format, size and rate: asking costs a trial encoder
 * (most of a second for VP9 at 1024² here), and the answer does not change within a session.
 */
const supportedConfigs = new Map<string, VideoEncoderConfig>();

/** The first codec string the browser's encoder takes for this size, as a full encoder config. */
export async function videoEncoderConfig(format: 'mp4' | 'webm', width: number, height: number, fps: number): Promise<VideoEncoderConfig> {
  const key = `${format} ${width}x${height} ${fps}`;
  const known = supportedConfigs.get(key);
  if (known) return known;
  const config = await findVideoEncoderConfig(format, width, height, fps);
  supportedConfigs.set(key, config);
  return config;
}

async function findVideoEncoderConfig(format: 'mp4' | 'webm', width: number, height: number, fps: number): Promise<VideoEncoderConfig> {
  if (typeof VideoEncoder === 'undefined') {
    throw new UnsupportedCaptureError('This browser has no video encoder (WebCodecs): export a GIF or PNG instead.');
  }
  const tried: string[] = [];
  for (const codec of codecCandidates(format, width, height)) {
    const config: VideoEncoderConfig = {
      codec,
      width,
      height,
      bitrate: bitrateFor(width, height, fps),
      framerate: fps,
      // Realtime: the encoder's faster settings; at this bitrate the picture stays clean.
      latencyMode: 'realtime',
      ...(format === 'mp4' ? { avc: { format: 'avc' as const } } : {}),
    };
    tried.push(codec);
    try {
      const support = await VideoEncoder.isConfigSupported(config);
      if (support.supported) return support.config ?? config;
    } catch {
      // A codec string the browser does not parse counts as unsupported.
    }
  }
  const name = format === 'mp4' ? 'MP4 (H.264)' : 'WebM (VP9)';
  const other = format === 'mp4' ? 'WebM' : 'MP4';
  throw new UnsupportedCaptureError(
    `This browser cannot encode ${name} at ${width}×${height} (tried ${tried.join(', ')}): choose ${other} or GIF instead.`,
  );
}

/**
 * MP4 or WebM: WebCodecs encodes, mediabunny muxes into memory. `frameCount` is how many frames
 * the export will add (an MP4 reserves room for their index at the start of the file).
 */
export async function createVideoEncoder(
  format: 'mp4' | 'webm',
  width: number,
  height: number,
  fps: number,
  frameCount: number,
): Promise<FrameEncoder> {
  const config = await videoEncoderConfig(format, width, height, fps);
  const target = new BufferTarget();
  const output = new Output({
    // Fast start (index first, so players start before the end) by reserving the index's room:
    // 'in-memory' would keep every packet until the end, a second copy of the file.
    format: format === 'mp4' ? new Mp4OutputFormat({ fastStart: 'reserve' }) : new WebMOutputFormat(),
    target,
  });
  const source = new EncodedVideoPacketSource(muxerCodec(format));
  output.addVideoTrack(source, { maximumPacketCount: Math.max(1, frameCount) });
  await output.start();

  let failure: unknown = null;
  let muxing: Promise<void> = Promise.resolve();
  let closed = false;
  let frames = 0;
  const interval = keyFrameInterval(fps);
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      const packet = EncodedPacket.fromEncodedChunk(chunk);
      muxing = muxing
        .then(() => (failure ? undefined : source.add(packet, meta)))
        .catch((error: unknown) => {
          failure ??= error;
        });
    },
    error: (error) => {
      failure ??= error;
    },
  });
  encoder.configure(config);

  const waitForRoom = async () => {
    while (encoder.encodeQueueSize >= MAX_ENCODE_QUEUE && encoder.state === 'configured' && !failure) {
      await new Promise<void>((resolve) => encoder.addEventListener('dequeue', () => resolve(), { once: true }));
    }
  };
  const abort = async () => {
    if (closed) return;
    closed = true;
    if (encoder.state !== 'closed') encoder.close();
    if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel();
  };

  const encodeFrame = async (frame: VideoFrame) => {
    try {
      encoder.encode(frame, { keyFrame: frames % interval === 0 });
    } finally {
      // The encoder keeps its own reference; ours goes now so no frame outlives its turn.
      frame.close();
    }
    frames++;
    await waitForRoom();
    if (failure) throw failure;
  };

  return {
    description: `${format === 'mp4' ? 'H.264' : 'VP9'} ${config.codec}`,
    async add(canvas, timing) {
      if (failure) throw failure;
      await encodeFrame(new VideoFrame(canvas, { timestamp: timing.timestampUs, duration: timing.durationUs }));
    },
    async addI420(planes, timing) {
      if (failure) throw failure;
      // VideoFrame copies the planes, so the caller's buffer is free again at once.
      const frame = new VideoFrame(planes, {
        format: 'I420',
        codedWidth: width,
        codedHeight: height,
        timestamp: timing.timestampUs,
        duration: timing.durationUs,
        colorSpace: I420_COLOR_SPACE,
      });
      await encodeFrame(frame);
    },
    async finish() {
      await encoder.flush();
      encoder.close();
      await muxing;
      if (failure) throw failure;
      await output.finalize();
      closed = true;
      if (!target.buffer) throw new Error('The muxer finished without a file.');
      return new Uint8Array(target.buffer);
    },
    abort,
  };
}

/**
 * Animated GIF (for slides), looping forever. Each frame gets its own 256-colour palette, so the
 * marks' colours survive beside the greys.
 */
export function createGifEncoder(
  width: number,
  height: number,
): FrameEncoder & { addWithDelay(canvas: OffscreenCanvas, delayMs: number): void } {
  let gif: ReturnType<typeof GIFEncoder> | null = GIFEncoder();
  const addWithDelay = (canvas: OffscreenCanvas, delayMs: number) => {
    if (!gif) throw new Error('The GIF was closed.');
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
    const { data } = ctx.getImageData(0, 0, width, height);
    const palette = quantize(data, 256, { format: 'rgb565' });
    const index = applyPalette(data, palette, 'rgb565');
    gif.writeFrame(index, width, height, { palette, delay: delayMs, repeat: 0 });
  };
  return {
    description: 'GIF (256 colours per frame)',
    addWithDelay,
    async add(canvas, timing) {
      addWithDelay(canvas, Math.round(timing.durationUs / 1000));
    },
    async finish() {
      if (!gif) throw new Error('The GIF was closed.');
      gif.finish();
      const bytes = gif.bytes();
      gif = null;
      return bytes;
    },
    async abort() {
      gif = null;
    },
  };
}

/** The canvas as a PNG file. */
export async function canvasToPng(canvas: OffscreenCanvas): Promise<Uint8Array> {
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}
