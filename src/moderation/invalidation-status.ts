/**
 * An invalidation's life: `preview` (a dry run, which changes nothing), `awaiting_approval`
 * (above INVALIDATION_APPROVAL_THRESHOLD, until a second moderator approves), `running`, then
 * `completed`; any but the last two may be `cancelled`.
 */
export type InvalidationStatus =
  'preview' | 'awaiting_approval' | 'running' | 'completed' | 'cancelled';

export const INVALIDATION_STATUSES: readonly InvalidationStatus[] = [
  'preview',
  'awaiting_approval',
  'running',
  'completed',
  'cancelled',
];
