import { plainToInstance } from 'class-transformer';
import { IsIn, validateSync } from 'class-validator';
import { IS_REQUIRED, Required } from './required.decorator.js';
import { Trim } from './trim.decorator.js';

class Form {
  @Trim()
  @Required()
  name!: string;
}

class Decision {
  @IsIn(['approve', 'reject'])
  decision!: string;

  @Required({ validateIf: (form: Decision) => form.decision === 'reject' })
  reason?: string;
}

const failures = (type: new () => object, plain: object) =>
  validateSync(plainToInstance(type, plain), { validationError: { target: false } }).map((e) => ({
    property: e.property,
    constraints: e.constraints,
  }));

describe('Required', () => {
  it.each([
    ['missing', {}],
    ['null', { name: null }],
    ['empty', { name: '' }],
    ['blank', { name: '  ' }],
  ])('fails as isRequired with "<field> is required" when %s', (_what, plain) => {
    expect(failures(Form, plain)).toEqual([
      { property: 'name', constraints: { [IS_REQUIRED]: 'name is required' } },
    ]);
  });

  it('is named isRequired, the name the pages rely on', () => {
    expect(IS_REQUIRED).toBe('isRequired');
  });

  it('passes any other value, falsy ones included', () => {
    for (const name of ['Anna', 0, false, []]) expect(failures(Form, { name })).toEqual([]);
  });

  it('can be made conditional on the rest of the object', () => {
    expect(failures(Decision, { decision: 'approve' })).toEqual([]);
    expect(failures(Decision, { decision: 'reject' })).toEqual([
      { property: 'reason', constraints: { isRequired: 'reason is required' } },
    ]);
  });
});
