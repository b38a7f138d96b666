import { speech } from '../../i18n/messages.js';
import {
  closingInstant,
  emptyPetitionForm,
  readPetitionForm,
  validatePetitionForm,
} from './petition-form.js';

const en = speech('en');
const ru = speech('ru');
const good = {
  ...emptyPetitionForm('en'),
  title: 'Light the riverside path',
  body: 'Please light it.',
  addressee: 'The Council',
};

describe('the console petition form', () => {
  it('reads the posted fields, an unticked box as no, and names fields it does not have', () => {
    const { values, unknown } = readPetitionForm({
      _csrf: 'x',
      lang: 'en',
      title: ['First', 'second'],
      body: 'Text',
      organiserId: 'someone else',
    });
    expect(values.title).toBe('First');
    expect(values.requireEmailConfirmation).toBe(false);
    expect(unknown).toEqual(['organiserId']);
    expect(
      readPetitionForm({ requireEmailConfirmation: 'true' }).values.requireEmailConfirmation,
    ).toBe(true);
  });

  it('reads a closing time as UTC, and refuses what is not a real date', () => {
    expect(closingInstant('2031-05-01T12:30')).toBe('2031-05-01T12:30:00Z');
    expect(closingInstant('2031-05-01 12:30')).toBe('2031-05-01T12:30:00Z');
    expect(closingInstant('2031-05-01')).toBe('2031-05-01T00:00:00Z');
    expect(closingInstant('2031-05-01T12:30:00+03:00')).toBe('2031-05-01T12:30:00+03:00');
    expect(closingInstant('2031-02-31T12:00')).toBeNull();
    expect(closingInstant('next Tuesday')).toBeNull();
  });

  it('gives the API’s DTO for a good form, an empty goal left out of a new petition', async () => {
    const checked = await validatePetitionForm({ ...good, signatureGoal: ' 1 000 ' }, 'create', en);
    expect(checked.errors).toEqual([]);
    expect(checked.dto).toMatchObject({ title: 'Light the riverside path', signatureGoal: 1000 });
    const plain = await validatePetitionForm(good, 'create', en);
    expect(plain.dto).not.toHaveProperty('signatureGoal');
    const cleared = await validatePetitionForm(good, 'update', en);
    expect(cleared.dto).toMatchObject({ signatureGoal: null, closesAt: null, registerId: null });
  });

  it('words each problem with the API’s rule, in the page’s language, in the form’s order', async () => {
    const bad = {
      ...good,
      title: 'Hi',
      addressee: '',
      signatureGoal: '0',
      closesAt: '2001-01-01T00:00',
      registerId: 'not-a-uuid',
      language: 'de',
    };
    const checked = await validatePetitionForm(bad, 'create', en);
    expect(checked.errors).toEqual([
      { field: 'title', message: 'Title must be at least 5 characters' },
      { field: 'addressee', message: 'Addressed to is required' },
      {
        field: 'signatureGoal',
        message: 'Signature goal must be a whole number from 1 to 100,000,000',
      },
      { field: 'closesAt', message: 'Closing time (UTC) must be in the future' },
      { field: 'registerId', message: 'Eligibility register: choose one of the options' },
      { field: 'language', message: 'Language of the mails to signers: choose one of the options' },
    ]);
    const inRussian = await validatePetitionForm({ ...bad, closesAt: 'soon' }, 'create', ru);
    expect(inRussian.errors.find((e) => e.field === 'closesAt')?.message).toBe(
      'В поле «Время закрытия (UTC)» нужны дата и время, например 2027-03-01 18:00',
    );
  });

  it('refuses the NUL character, which PostgreSQL text cannot hold', async () => {
    const checked = await validatePetitionForm({ ...good, body: 'a\0b' }, 'create', en);
    expect(checked.errors).toEqual([
      { field: 'body', message: 'Text of the petition is not valid' },
    ]);
  });
});
