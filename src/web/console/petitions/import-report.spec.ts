import { speech } from '../../i18n/messages.js';
import {
  fileProblemOf,
  ImportReports,
  rowProblems,
  uploadedCsv,
  wordFileProblem,
  wordRowProblem,
} from './import-report.js';

const en = speech('en');
const ru = speech('ru');

describe('import reports', () => {
  it('words each bad row from the service’s own rules, in either language', () => {
    const csv = 'fullName,email\n,a@example.org\nAnna,not-mail\nBoris,b@example.org,extra\n';
    const problems = rowProblems(csv, [
      { row: 1, code: 'validation_failed', message: 'fullName: fullName is required' },
      { row: 2, code: 'validation_failed', message: 'email: email must be an email address' },
      { row: 3, code: 'validation_failed', message: 'the row has more cells than the header' },
      { row: 4, code: 'duplicate_in_upload', message: 'this email appears on an earlier row' },
    ]);
    expect(problems.map((p) => wordRowProblem(p, en))).toEqual([
      'Full name (fullName) is required',
      'Email address (email) must be an email address, like name@example.org',
      'The row has more cells than the header.',
      'This email address is on an earlier row of the same file.',
    ]);
    expect(wordRowProblem(problems[0], ru)).toBe('Поле «Имя (fullName)» нужно заполнить');
  });

  it('refuses a missing, legacy-encoded or empty file before the service reads it', () => {
    expect(uploadedCsv(undefined)).toEqual({ problem: { kind: 'required' } });
    expect(uploadedCsv(Buffer.alloc(0))).toEqual({ problem: { kind: 'required' } });
    expect(uploadedCsv(Buffer.from([0x46, 0xcf, 0xf0]))).toEqual({ problem: { kind: 'notUtf8' } });
    expect(uploadedCsv(Buffer.from('\uFEFF \n'))).toEqual({ problem: { kind: 'empty' } });
    expect(uploadedCsv(Buffer.from('fullName\nAnna\n'))).toEqual({ csv: 'fullName\nAnna\n' });
  });

  it('reads the service’s whole-file refusals (see row-upload.ts)', () => {
    expect(fileProblemOf('unknown CSV column "name"; expected fullName, email')).toEqual({
      kind: 'unknownColumn',
      column: 'name',
    });
    expect(fileProblemOf('the CSV header must name the column "fullName"').kind).toBe(
      'missingColumn',
    );
    expect(fileProblemOf('the CSV is empty: a header row is required').kind).toBe('empty');
    expect(fileProblemOf('at most 10000 rows may be sent at once (got more)').kind).toBe('tooMany');
    expect(wordFileProblem(fileProblemOf('something else'), en)).toContain('could not be read');
  });

  it('gives a report back only to the account that made it, for that petition', () => {
    const reports = new ImportReports();
    const id = reports.keep({ accountId: 'a', petitionId: 'p', accepted: 3, rejected: [] });
    expect(reports.find(id, 'a', 'p')?.accepted).toBe(3);
    expect(reports.find(id, 'b', 'p')).toBeNull();
    expect(reports.find(id, 'a', 'q')).toBeNull();
    expect(reports.find('nope', 'a', 'p')).toBeNull();
  });
});
