// Types for chromium.mjs (imported by the browser-test driver and the bench).
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: string[];
