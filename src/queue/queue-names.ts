/**
 * Queue and job names. Queued jobs refer to these strings, so a value never changes once shipped:
 * add new members instead.
 */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  /** Repeating: closes open petitions whose `closesAt` has passed. */
  CloseDuePetitions = 'close-due-petitions',
}

/** Which queue each job goes to. */
export const JOB_QUEUE = {
  [JobName.CloseDuePetitions]: QueueName.Maintenance,
} as const satisfies Record<JobName, QueueName>;

export const QUEUE_NAMES = Object.values(QueueName);
