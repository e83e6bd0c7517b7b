import { defineConfig } from 'vite';
import { decodeWorkerTransfer } from '../../vite-plugin-decode-worker-transfer.ts';

/**
 * The floor page's build (scripts/bench/vanillaBuild.mjs gives root, base and output): its decode
 * worker hands decoded pixels back by transfer, as FluoroLens's does (vite.config.ts). A floor
 * that copied them back would not be one. The vanilla page is built without this, as published.
 */
export default defineConfig({ worker: { format: 'es', plugins: () => [decodeWorkerTransfer()] } });
