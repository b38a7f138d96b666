import { JobName } from './queue-names.js';

/** The payload of every job, by name. Payloads hold ids only, never signer data. */
export interface JobPayloads {
  /** No payload: the handler reads what is due from the database. */
  [JobName.CloseDuePetitions]: Record<string, never>;
  [JobName.SweepSignatures]: Record<string, never>;
  [JobName.ExpireUnconfirmed]: Record<string, never>;
  [JobName.ReconcileCounts]: Record<string, never>;
  [JobName.SnapshotCounts]: Record<string, never>;
  [JobName.DetectTrending]: Record<string, never>;
  [JobName.EraseExpiredPersonalData]: Record<string, never>;
  [JobName.RewrapDataKeys]: Record<string, never>;
  /** The worker reads the address and the token (encrypted) from the link's row. */
  [JobName.SendSignInMail]: { linkId: string };
  /** The worker reads the address and the token (both encrypted) from the invitation's row. */
  [JobName.SendInvitationMail]: { invitationId: string };
  /** The mail worker reads the address and the token (both encrypted) from the row. */
  [JobName.SendSignerMail]: { signatureId: string };
  /** The worker re-reads the signature and does nothing unless it is still `pending`. */
  [JobName.VerifySignature]: { signatureId: string };
  /** The version is informational: the job always checks against the register's current one. */
  [JobName.RecheckRegister]: { registerId: string; version: number };
  [JobName.RunInvalidation]: { invalidationId: string };
  /** Signatures of one work batch; the worker skips those since handed to jobs of their own. */
  [JobName.SendSignerMails]: WorkBatch;
  [JobName.VerifySignatures]: WorkBatch;
  /** Imported signatures of one work batch (see ImportService). */
  [JobName.SendImportReceipts]: WorkBatch;
}

/** Signatures written by one sign statement, which share its jobs (see `signatures.work_batch`). */
export interface WorkBatch {
  batchId: string;
  signatureIds: string[];
}

export type JobPayload<N extends JobName> = JobPayloads[N];
