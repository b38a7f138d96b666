import { JobName } from './queue-names.js';

/** The payload of every job, by name. Payloads hold ids only, never signer data. */
export interface JobPayloads {
  /** No payload: the handler reads what is due from the database. */
  [JobName.CloseDuePetitions]: Record<string, never>;
}

export type JobPayload<N extends JobName> = JobPayloads[N];
