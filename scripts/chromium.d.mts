// Types for chromium.mjs (imported by the browser test harness).
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: string[];
