/**
 * A state machine as data: for each status, the statuses it may move to. Petitions and
 * signatures each declare one; nothing changes status without asking it.
 */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export function allowsTransition<S extends string>(
  table: TransitionTable<S>,
  from: S,
  to: S,
): boolean {
  return table[from].includes(to);
}
