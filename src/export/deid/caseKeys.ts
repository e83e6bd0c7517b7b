/**
 * The per-case secret and what is derived from it. One secret per teaching case makes the
 * de-identification deterministic within the case (the same original UID always gives the same new
 * UID; every date moves by the same offset) and unlinkable outside it: without the secret, nobody
 * can tell which original UID or date a new one came from. The secret itself is never written
 * into the package. Keep it (e.g. with the case draft) to export the same case again with the same
 * UIDs and dates; drop it and the next export is a different, unlinked pseudonymisation.
 *
 * Uses Web Crypto (HMAC-SHA-256), which browsers and Node 20 both provide as globalThis.crypto.
 */

export const CASE_SECRET_BYTES = 32;

export function newCaseSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(CASE_SECRET_BYTES));
}

export interface CaseKeys {
  /** HMAC-SHA-256 of a label under the case secret: 32 bytes. */
  digest(label: string): Promise<Uint8Array>;
}

export async function caseKeys(secret: Uint8Array): Promise<CaseKeys> {
  if (secret.length < 16) throw new Error(`the case secret must be at least 16 bytes (got ${secret.length})`);
  const key = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  return {
    async digest(label: string): Promise<Uint8Array> {
      return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(label)));
    },
  };
}
