// Types for orthanc.mjs (imported by tests/support/orthanc.ts).
import type { ChildProcess } from 'node:child_process';

export interface OrthancAuth {
  user: string;
  password: string;
}

export interface RunningOrthanc {
  process: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port>/dicom-web */
  dicomWebUrl: string;
  logPath: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export declare const ORTHANC_BINARY: string;
export declare const BASE_CONFIG_PATH: string;
export declare const DEFAULT_PORT: number;
export declare function orthancMissing(): string | null;
export declare function freePort(): Promise<number>;
export declare function writeEffectiveConfig(options: { dir: string; port?: number; auth?: OrthancAuth | null }): string;
export declare function basicAuthorization(auth: OrthancAuth): string;
export declare function startOrthanc(options: { dir: string; port?: number; auth?: OrthancAuth | null }): Promise<RunningOrthanc>;
export declare function uploadToOrthanc(url: string, files: Array<string | Uint8Array>, auth?: OrthancAuth | null): Promise<unknown[]>;
