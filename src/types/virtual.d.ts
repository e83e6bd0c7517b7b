declare module 'virtual:sample-runs' {
  const files: Array<{ url: string; path: string; size: number }>;
  export default files;
}
