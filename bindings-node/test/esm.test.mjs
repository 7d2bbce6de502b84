// The package works from ESM too (named and default imports, same classes as CommonJS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as named from 'paystar';
import paystar, { Client, MockGateway, PaystarError, ERROR_CODES, webhooks } from 'paystar';

test('ESM named and default imports are the CommonJS objects', async () => {
  const cjs = createRequire(import.meta.url)('paystar');
  assert.equal(Client, cjs.Client);
  assert.equal(paystar.MockGateway, MockGateway);
  assert.equal(ERROR_CODES, cjs.ERROR_CODES);
  assert.equal(webhooks, cjs.webhooks);
  // Every CommonJS export is an ESM named export too.
  for (const key of Object.keys(cjs)) assert.equal(named[key], cjs[key], key);
  const gw = new MockGateway();
  try {
    const s = await new Client({ apiKey: gw.apiKey, baseUrl: gw.url }).createWalletSession({
      businessUnitSlug: 'acme-utilities',
      clientUser: { emailAddress: 'jane@example.com' },
    });
    assert.ok(s.url.startsWith(gw.url));
    const e = await gw.client().createWalletSession({}).catch((x) => x);
    assert.ok(e instanceof PaystarError);
  } finally {
    gw.stop();
  }
});
