import { AccountRole } from './account-role.js';
import { forbiddenRoleMessage } from './auth.guard.js';

describe('forbiddenRoleMessage', () => {
  it('names every role allowed, admin last, since admin may do everything', () => {
    expect(forbiddenRoleMessage([AccountRole.Organiser, AccountRole.Moderator])).toBe(
      'This endpoint is for: organiser, moderator or admin',
    );
    expect(forbiddenRoleMessage([AccountRole.Moderator])).toBe(
      'This endpoint is for: moderator or admin',
    );
  });

  it('names admin once when it is listed already', () => {
    expect(forbiddenRoleMessage([AccountRole.Admin])).toBe('This endpoint is for: admin');
    expect(forbiddenRoleMessage([AccountRole.Admin, AccountRole.Moderator])).toBe(
      'This endpoint is for: moderator or admin',
    );
  });
});
