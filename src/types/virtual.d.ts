declare module 'virtual:sample-runs' {
  const files: Array<{ url: string; path: string; size: number }>;
  export default files;
}

interface ImportMetaEnv {
  /** 'on' in builds for the browser tests (Vite mode browser-test, .env.browser-test): adds the document-changing test hooks. */
  readonly VITE_FLUOROLENS_TEST_HOOKS?: string;
}
