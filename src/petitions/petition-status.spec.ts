import { canTransition, PETITION_TRANSITIONS, PetitionStatus } from './petition-status.js';

describe('petition transition table', () => {
  const all = Object.values(PetitionStatus);

  it.each([
    [PetitionStatus.Draft, PetitionStatus.Submitted],
    [PetitionStatus.Submitted, PetitionStatus.Open],
    [PetitionStatus.Submitted, PetitionStatus.Rejected],
    [PetitionStatus.Open, PetitionStatus.Closed],
  ])('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('allows nothing else', () => {
    const allowed = all.flatMap((from) => PETITION_TRANSITIONS[from].map((to) => `${from}->${to}`));
    const refused = all
      .flatMap((from) => all.map((to) => [from, to] as const))
      .filter(([from, to]) => !allowed.includes(`${from}->${to}`));
    expect(refused).toHaveLength(all.length * all.length - 4);
    for (const [from, to] of refused) expect(canTransition(from, to)).toBe(false);
  });

  it('has no way out of rejected or closed', () => {
    expect(PETITION_TRANSITIONS[PetitionStatus.Rejected]).toEqual([]);
    expect(PETITION_TRANSITIONS[PetitionStatus.Closed]).toEqual([]);
  });
});
