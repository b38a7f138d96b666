/**
 * Queue and job names. Queued jobs refer to these strings, so a value never changes once shipped:
 * add new members instead.
 */
export enum QueueName {
  Maintenance = 'maintenance',
  Mail = 'mail',
  Verification = 'verification',
}

export enum JobName {
  /** Repeating: closes open petitions whose `closesAt` has passed. */
  CloseDuePetitions = 'close-due-petitions',
  /** Repeating: re-enqueues signatures whose verification or mail job was lost. */
  SweepSignatures = 'sweep-signatures',
  /** Repeating: unconfirmed signatures past their token's expiry become `expired`. */
  ExpireUnconfirmed = 'expire-unconfirmed',
  /** Repeating: recomputes every live petition's counts from the rows and corrects drift. */
  ReconcileCounts = 'reconcile-counts',
  /** One per signature (jobId = signature id): the signer's confirmation or receipt mail. */
  SendSignerMail = 'send-signer-mail',
  /** One per signature (jobId = signature id): the automated checks and their decision. */
  VerifySignature = 'verify-signature',
  /** After a register's entries change: re-checks the signatures of petitions that use it. */
  RecheckRegister = 'recheck-register',
  /** One per bulk invalidation (jobId = its id): rejects the matches in batches. */
  RunInvalidation = 'run-invalidation',
  /**
   * One per sign statement (jobId = the signatures' `work_batch`): the mails of the signatures
   * it wrote, each sent on its own.
   */
  SendSignerMails = 'send-signer-mails',
  /** One per sign statement (jobId = the signatures' `work_batch`): their checks and decisions. */
  VerifySignatures = 'verify-signatures',
  /** Repeating: records each live petition's counts, when they changed, for its chart. */
  SnapshotCounts = 'snapshot-counts',
  /** One per console sign-in link (jobId = its id): the mail with the link. */
  SendSignInMail = 'send-sign-in-mail',
  /** Repeating: raises alerts for sources and email domains signing a petition in bulk. */
  DetectTrending = 'detect-trending',
  /** One per register invitation (jobId = its id): the mail with its personal link. */
  SendInvitationMail = 'send-invitation-mail',
  /**
   * Repeating: destroys the keys of petitions whose retention has ended and erases their signers'
   * personal data (see RetentionService).
   */
  EraseExpiredPersonalData = 'erase-expired-personal-data',
  /** Repeating: re-wraps keys still under a previous DATA_ENCRYPTION_KEY (see KeyRotationService). */
  RewrapDataKeys = 'rewrap-data-keys',
  /**
   * One per few hundred imported signatures with an email (jobId = their `work_batch`): their
   * receipts, sent a few at a time and behind signers' own mails (see ImportService).
   */
  SendImportReceipts = 'send-import-receipts',
}

/** Which queue each job goes to. */
export const JOB_QUEUE = {
  [JobName.CloseDuePetitions]: QueueName.Maintenance,
  [JobName.SweepSignatures]: QueueName.Maintenance,
  [JobName.ExpireUnconfirmed]: QueueName.Maintenance,
  [JobName.ReconcileCounts]: QueueName.Maintenance,
  [JobName.SendSignerMail]: QueueName.Mail,
  [JobName.VerifySignature]: QueueName.Verification,
  [JobName.RecheckRegister]: QueueName.Verification,
  [JobName.RunInvalidation]: QueueName.Maintenance,
  [JobName.SendSignerMails]: QueueName.Mail,
  [JobName.VerifySignatures]: QueueName.Verification,
  [JobName.SnapshotCounts]: QueueName.Maintenance,
  [JobName.SendSignInMail]: QueueName.Mail,
  [JobName.DetectTrending]: QueueName.Maintenance,
  [JobName.EraseExpiredPersonalData]: QueueName.Maintenance,
  [JobName.RewrapDataKeys]: QueueName.Maintenance,
  [JobName.SendInvitationMail]: QueueName.Mail,
  [JobName.SendImportReceipts]: QueueName.Mail,
} as const satisfies Record<JobName, QueueName>;

export const QUEUE_NAMES = Object.values(QueueName);
