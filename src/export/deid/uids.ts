/**
 * Consistent UID replacement (action U): every original UID of a case maps to one new UID, the same
 * in every file, reference and nested sequence. New UIDs are 2.25.<decimal> (PS3.5 B.2), the
 * decimal being a 128-bit UUID whose bits come from HMAC-SHA-256(case secret, original UID), with
 * the version (8, "custom") and variant bits set as RFC 9562 asks. Deterministic per case secret,
 * so the same case exported again with its secret keeps its UIDs; unlinkable without the secret.
 */
import type { CaseKeys } from './caseKeys';

/** UIDs the DICOM Standard itself defines (SOP classes, transfer syntaxes, coding schemes): not identifying. */
export function isStandardUid(uid: string): boolean {
  return uid.startsWith('1.2.840.10008.');
}

export function uidFromDigest(digest: Uint8Array): string {
  if (digest.length < 16) throw new Error('a UID needs 16 bytes of digest');
  const bytes = digest.slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString()}`;
}

export class UidRemapper {
  private readonly byOriginal = new Map<string, string>();

  constructor(private readonly keys: CaseKeys) {}

  /** Computes the new UID of each original one not seen yet (Web Crypto is asynchronous; mapping is not). */
  async prepare(uids: Iterable<string>): Promise<void> {
    for (const uid of uids) {
      if (uid === '' || this.byOriginal.has(uid)) continue;
      this.byOriginal.set(uid, uidFromDigest(await this.keys.digest(`uid:${uid}`)));
    }
  }

  has(uid: string): boolean {
    return this.byOriginal.has(uid);
  }

  /** The new UID; prepare() must have seen the original. */
  replace(uid: string): string {
    const mapped = this.byOriginal.get(uid);
    if (mapped === undefined) throw new Error('internal: a UID was not prepared before mapping');
    return mapped;
  }
}
