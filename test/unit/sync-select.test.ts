// `--account` picks an account by its name, its e-mail (any case) or its Huami user id, and an
// unknown one is refused with the ways to name it (the e-mail masked).
import { describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../src/config/accounts.js';
import { selectAccounts } from '../../src/sync/select.js';

const acc = (over: Partial<AccountConfig>): AccountConfig => ({ name: '', email: '', password: '', appToken: '', userId: '', timezone: 'UTC', ...over });
const anna = acc({ name: 'anna', email: 'anna@example.com', password: 'pw' });
const unnamed = acc({ email: 'bert@example.com', password: 'pw' });
const token = acc({ appToken: 'AT', userId: '3000000003' });
const all = [anna, unnamed, token];
const recorded = (a: AccountConfig): string | undefined => (a === unnamed ? '2000000002' : a === anna ? '1000000001' : undefined);

describe('selectAccounts', () => {
  it('takes the name, the e-mail in any case, a configured or a recorded user id', () => {
    expect(selectAccounts(all)).toEqual(all);
    expect(selectAccounts(all, 'anna', recorded)).toEqual([anna]);
    expect(selectAccounts(all, ' BERT@Example.com', recorded)).toEqual([unnamed]);
    expect(selectAccounts(all, '3000000003', recorded)).toEqual([token]);
    expect(selectAccounts(all, '2000000002', recorded)).toEqual([unnamed]);
    expect(selectAccounts(all, '1000000001', recorded)).toEqual([anna]);
  });

  it('refuses an unknown account, listing the others without their full e-mail', () => {
    expect(() => selectAccounts(all, 'nobody', recorded)).toThrow(/no account "nobody": --account takes an account's name, e-mail or Huami user id \(configured: anna \/ a\*\*\*@example\.com \/ 1000000001; b\*\*\*@example\.com \/ 2000000002; 3000000003\)/);
    expect(() => selectAccounts(all, 'nobody', recorded)).not.toThrow(/bert@/);
    expect(() => selectAccounts([], 'anna')).toThrow(/no account is configured/);
  });
});
