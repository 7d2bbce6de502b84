'use strict';
// Hostile input (RELIABILITY.md): each row is a typed error naming the field, nothing is sent,
// and the process lives on.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const paystar = require('../..');

const MB = 'x'.repeat(1_000_000);
const charge = (over = {}) => ({ amount: 15000, description: 'Bill', ...over });
const payment = (over = {}) => ({ businessUnitSlug: 'acme-utilities', channel: 'QuickPay', charges: [charge()], ...over });
function cyclic() {
  const o = {};
  o.d = o;
  return o;
}
function deep(n) {
  const root = {};
  let node = root;
  for (let i = 0; i < n; i++) node = node.d = {};
  return root;
}

// [name, overrides of a valid payment, the path named, the rule]
const ROWS = [
  ['amount as text', () => ({ charges: [charge({ amount: '150' })] }), 'Charges[0].Amount', 'integer'],
  ['amount fractional', () => ({ charges: [charge({ amount: 150.5 })] }), 'Charges[0].Amount', 'integer'],
  ['amount NaN', () => ({ charges: [charge({ amount: NaN })] }), 'Charges[0].Amount', 'type'],
  ['amount Infinity', () => ({ charges: [charge({ amount: Infinity })] }), 'Charges[0].Amount', 'type'],
  ['amount boolean', () => ({ charges: [charge({ amount: true })] }), 'Charges[0].Amount', 'integer'],
  ['amount 2**53', () => ({ charges: [charge({ amount: 2 ** 53 })] }), 'Charges[0].Amount', 'max_value'],
  ['amount huge BigInt', () => ({ charges: [charge({ amount: 2n ** 60n })] }), 'Charges[0].Amount', 'max_value'],
  ['amount negative', () => ({ charges: [charge({ amount: -1 })] }), 'Charges[0].Amount', 'positive_integer'],
  ['null where required', () => ({ businessUnitSlug: null }), 'BusinessUnitSlug', 'required'],
  ['undefined where required', () => ({ channel: undefined }), 'Channel', 'required'],
  ['unknown key', () => ({ amout: 1 }), 'amout', 'unknown_field'],
  ['1 MB description', () => ({ charges: [charge({ description: MB })] }), 'Charges[0].Description', 'max_length'],
  ['1 MB extra value', () => ({ extra: { Blob: MB } }), 'Extra.Blob', 'max_length'],
  ['lone surrogate', () => ({ charges: [charge({ description: 'a\ud800b' })] }), 'Charges[0].Description', 'type'],
  ['control character', () => ({ clientReference: 'INV\u0000-1' }), 'ClientReference', 'control_characters'],
  ['bidi override', () => ({ clientReference: 'INV\u202e1-VNI' }), 'ClientReference', 'control_characters'],
  ['10,000 charges', () => ({ charges: Array.from({ length: 10_000 }, () => charge()) }), 'Charges', 'max_items'],
  ['cyclic extra', () => ({ extra: { Deep: cyclic() } }), 'Extra.Deep', 'max_depth'],
  ['100k-deep extra', () => ({ extra: { Deep: deep(100_000) } }), 'Extra.Deep', 'max_depth'],
  ['javascript: URL', () => ({ successUrl: 'javascript:alert(1)' }), 'SuccessUrl', 'url'],
  ['relative URL', () => ({ returnUrl: '/pay' }), 'ReturnUrl', 'url'],
  ['a function', () => ({ clientReference: () => 'x' }), 'ClientReference', 'type'],
];

for (const [name, overrides, path, rule] of ROWS) {
  test(`hostile input: ${name}`, async () => {
    const gw = new paystar.MockGateway();
    try {
      const client = gw.client();
      const err = await client.createPaymentSession(payment(overrides())).catch((e) => e);
      assert.ok(err instanceof paystar.ValidationError, `${name}: ${err}`);
      // A nesting error names the level where it stopped (Extra.Deep.D.D...): compare its root.
      const found = err.fieldErrors.map((f) => `${f.path.split('.D.')[0].replace(/\.D$/, '')}|${f.rule}`);
      assert.ok(found.includes(`${path}|${rule}`), `${name}: ${JSON.stringify(err.fieldErrors)}`);
      assert.deepEqual(gw.requests, []);
      assert.ok((await client.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } })).url);
    } finally {
      gw.stop();
    }
  });
}
