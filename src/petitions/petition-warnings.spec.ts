import { PETITION_WARNINGS, petitionWarnings } from './petition-warnings.js';

describe('petitionWarnings', () => {
  it('warns when signatures need no email confirmation', () => {
    expect(petitionWarnings({ requireEmailConfirmation: false })).toEqual([
      'no_email_confirmation',
    ]);
    expect(PETITION_WARNINGS.no_email_confirmation).toContain('watching the counts');
  });

  it('says nothing for the default, confirmed signatures', () => {
    expect(petitionWarnings({ requireEmailConfirmation: true })).toEqual([]);
  });
});
