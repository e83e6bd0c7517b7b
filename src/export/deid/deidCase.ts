/**
 * A de-identification case: the files exported together share one secret, hence one date offset
 * and one UID mapping, and one set of identifying values to check text against.
 */
import { caseKeys, newCaseSecret } from './caseKeys';
import { dateOffsetFor } from './dates';
import type { CaseContext, Pseudonym } from './deidentify';
import { IdentityIndex } from './identity';
import { replaceableUids, type SourceInstance } from './instance';
import { UidRemapper } from './uids';

export interface CaseOptions {
  /** The per-case secret (caseKeys.ts); a new random one when absent. */
  readonly secret?: Uint8Array;
  /** What replaces Patient's Name and Patient ID; defaults "TEACHING^CASE" and "TC-" + 8 hex digits from the secret. */
  readonly pseudonym?: Partial<Pseudonym>;
  /** Written into De-identification Method, e.g. "0.1.0". */
  readonly appVersion: string;
}

export interface DeidCase extends CaseContext {
  readonly secret: Uint8Array;
}

export const DEFAULT_PATIENT_NAME = 'TEACHING^CASE';

export async function createDeidCase(sources: readonly SourceInstance[], options: CaseOptions): Promise<DeidCase> {
  const secret = options.secret ?? newCaseSecret();
  const keys = await caseKeys(secret);
  const identity = new IdentityIndex();
  const uids = new UidRemapper(keys);
  for (const source of sources) {
    identity.addDataset(source.dataset);
    await uids.prepare(replaceableUids(source));
  }
  const caseDigest = await keys.digest('case-id');
  const defaultId = `TC-${[...caseDigest.slice(0, 4)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
  return {
    secret,
    uids,
    identity,
    dateOffset: await dateOffsetFor(keys),
    pseudonym: {
      patientName: options.pseudonym?.patientName?.trim() || DEFAULT_PATIENT_NAME,
      patientId: options.pseudonym?.patientId?.trim() || defaultId,
    },
    appVersion: options.appVersion,
  };
}
