import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVault, fileVault, keyIdOf, loadKeyring, writeKeyring } from './vault.js';

const oldKey = Buffer.alloc(32, 7);
const newKey = Buffer.alloc(32, 9);

/** A value sealed as the vault did before key ids (`v1.<iv|tag|body>`). */
function legacySeal(secret: Buffer, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/encrypt/v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

describe('the keyring vault', () => {
  it('seals under the first key with its id, and opens what any key of the ring sealed', () => {
    const ring = createVault([newKey, oldKey]);
    const sealed = ring.encrypt('Анна');
    expect(sealed.startsWith(`v2.${keyIdOf(newKey)}.`)).toBe(true);
    expect(ring.isCurrent(sealed)).toBe(true);
    const old = createVault(oldKey).encrypt('Борис');
    expect(ring.isCurrent(old)).toBe(false);
    expect(ring.decrypt(old)).toBe('Борис');
    expect(ring.decrypt(legacySeal(oldKey, 'Вера'))).toBe('Вера');
    // The old key alone cannot open the new key's values, and says why.
    expect(() => createVault(oldKey).decrypt(sealed)).toThrow(/not in the keyring/);
    expect(() => createVault(newKey).decrypt(legacySeal(oldKey, 'x'))).toThrow();
  });

  it("gives every key's blind index, the current key's first", () => {
    const ring = createVault([newKey, oldKey]);
    expect(ring.blindIndexes('email', 'A@x.ru')).toEqual([
      createVault(newKey).blindIndex('email', 'a@x.ru'),
      createVault(oldKey).blindIndex('email', 'a@x.ru'),
    ]);
  });

  it('opens every value sealed under either key, whatever the text', () => {
    const a = createVault([oldKey]);
    const b = createVault([newKey, oldKey]);
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(b.decrypt(a.encrypt(text))).toBe(text);
        expect(b.decrypt(b.encrypt(text))).toBe(text);
      }),
    );
  });

  it('reads and writes the keyring file, and a server follows it when it changes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sarafan-keys-')), 'secret.key');
    writeFileSync(file, oldKey.toString('base64'));
    let now = 0;
    const vault = fileVault(file, () => now);
    const before = vault.encrypt('x');
    writeKeyring(file, [newKey, oldKey]);
    expect(loadKeyring(file)).toEqual([newKey, oldKey]);
    expect(readFileSync(file, 'utf8')).toContain('# previous key');
    // Checked at most once a second.
    expect(vault.keyId()).toBe(keyIdOf(oldKey));
    now = 1500;
    expect(vault.keyId()).toBe(keyIdOf(newKey));
    expect(vault.decrypt(before)).toBe('x');
  });
});
