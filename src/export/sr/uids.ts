/**
 * UIDs under the 2.25 root (PS3.5 B.2): a UUID written as one decimal integer. newUid is random;
 * stableUid derives the same UID from the same text (SHA-256, first 128 bits), so a track keeps
 * its Tracking UID and a run its report series across saves.
 */

function uidFromBytes(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString()}`;
}

export function newUid(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return uidFromBytes(bytes);
}

export async function stableUid(seed: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed)));
  return uidFromBytes(digest);
}
