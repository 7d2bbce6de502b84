'use strict';
// The Events API from Node against a real MockGateway (the wire shape and validation are in
// tests/vectors/events.json, run by vectors.test.js).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const paystar = require('../..');

const slug = 'acme-utilities';

test('updateCustomer changes the names a session cannot, and moves the email', async () => {
  const gw = new paystar.MockGateway();
  try {
    const client = gw.client();
    const jane = { emailAddress: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' };
    await client.createWalletSession({ businessUnitSlug: slug, clientUser: jane });
    await client.createWalletSession({ businessUnitSlug: slug, clientUser: { ...jane, lastName: 'Smith' } });
    assert.equal(gw.customer('jane@example.com').LastName, 'Doe');
    const receipt = await client.updateCustomer({
      businessUnitSlug: slug,
      accountNumber: 'ACC-1',
      firstName: 'Jane',
      lastName: 'Smith',
      emailAddress: 'jane.smith@example.com',
      originalEmailAddress: 'jane@example.com',
    });
    assert.deepEqual(
      [receipt.eventType, receipt.httpStatus, receipt.attempts, receipt.ambiguous],
      ['Accounts.ManageCustomer', 200, 1, false],
    );
    assert.equal(gw.customer('jane.smith@example.com').LastName, 'Smith');
    const body = gw.requests.at(-1).body;
    assert.equal(typeof body.payload, 'string');
    assert.equal(JSON.parse(body.payload).originalEmailAddress, 'jane@example.com');
  } finally {
    gw.stop();
  }
});

test('sendEvent sends the payload as text; bad events reject before sending', async () => {
  const gw = new paystar.MockGateway();
  try {
    const client = gw.client();
    const r = await client.sendEvent({
      businessUnitSlug: slug,
      eventType: 'Accounts.UnenrollAutopay',
      payload: { accountNumber: 'ACC-1', subAccountNumber: '' },
    });
    assert.equal(r.eventType, 'Accounts.UnenrollAutopay');
    assert.equal(gw.requests.at(-1).body.payload, '{"accountNumber":"ACC-1","subAccountNumber":""}');
    const before = gw.requests.length;
    await assert.rejects(
      client.sendEvent({ businessUnitSlug: slug, eventType: 'Accounts.Nope', payload: {} }),
      (e) => e instanceof paystar.ValidationError && e.fieldErrors[0].path === 'EventType',
    );
    await assert.rejects(
      client.updateCustomer({ businessUnitSlug: slug, accountNumber: 'A' }),
      (e) => e instanceof paystar.ValidationError && e.fieldErrors.length === 3,
    );
    assert.equal(gw.requests.length, before);
  } finally {
    gw.stop();
  }
});

test('Events API calls go to the events host in production', () => {
  const prod = new paystar.Client({ apiKey: 'sk_test', environment: 'production' });
  assert.equal(prod.baseUrl, 'https://secure.paystar.io/');
  assert.equal(prod.eventsBaseUrl, 'https://gateway.paystar.io/');
  const custom = new paystar.Client({ apiKey: 'sk_test', baseUrl: 'http://127.0.0.1:9' });
  assert.equal(custom.eventsBaseUrl, custom.baseUrl);
});
