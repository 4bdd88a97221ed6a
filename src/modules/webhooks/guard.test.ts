import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress, urlFormProblem } from './guard.js';

describe('isPublicAddress', () => {
  it('refuses private, loopback, link-local, metadata, multicast, unique-local and embedded addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.200',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '[::1]',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '2002:7f00:1::',
      '64:ff9b::a00:1',
      'not-an-address',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('accepts ordinary public addresses', () => {
    for (const a of [
      '93.184.215.14',
      '8.8.8.8',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      '::ffff:8.8.8.8',
    ]) {
      expect(isPublicAddress(a), a).toBe(true);
    }
  });
});

describe('checkWebhookUrl', () => {
  it('takes only http and https', () => {
    expect(urlFormProblem('ftp://example.com/x')?.kind).toBe('invalid');
    expect(urlFormProblem('file:///etc/passwd')?.kind).toBe('invalid');
    expect(urlFormProblem('no url')?.kind).toBe('invalid');
    expect(urlFormProblem('https://hooks.example.com/in')).toBeNull();
  });

  it('refuses literal and named private hosts unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://10.0.0.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://localhost/x',
    ]) {
      expect((await checkWebhookUrl(url, false))?.kind, url).toBe('blocked');
      expect(await checkWebhookUrl(url, true), url).toBeNull();
    }
  });
});
