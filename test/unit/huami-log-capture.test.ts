// The log-capture helper must actually catch a leak, or every "no secret" check is hollow.
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../support/log-capture.js';

describe('captureLogs', () => {
  it('finds a secret logged under an unredacted key, also URL-encoded', () => {
    const cap = captureLogs();
    cap.logger.info({ url: '/x?t=a%2Bb%2Fsecret' }, 'oops');
    cap.logger.info({ note: 'AT_leaky_token' }, 'oops');
    expect(cap.leaked(['AT_leaky_token', 'a+b/secret', 'never-logged'])).toEqual(['AT_leaky_token', 'a+b/secret']);
    expect(() => cap.assertNoSecrets(['AT_leaky_token'])).toThrow(/1 secret\(s\) leaked.*<SECRET>/);
  });

  it('passes when the logger redacts the secret paths', () => {
    const cap = captureLogs();
    cap.logger.info({ appToken: 'AT_secret_value', account: { password: 'pw-secret' } }, 'tokens');
    expect(cap.records()[0]).toMatchObject({ appToken: '[redacted]', account: { password: '[redacted]' } });
    expect(() => cap.assertNoSecrets(['AT_secret_value', 'pw-secret'])).not.toThrow();
  });
});
