'use strict';
// Runs the example. Production needs PAYSTAR_API_KEY and PAYSTAR_WEBHOOK_SECRETS (comma-separated,
// the new one first while rotating), and refuses to start without them. Development
// (PAYSTAR_DEV=1 or NODE_ENV=development) may lack them: without a key the embedded mock gateway
// plays Paystar, without a secret a random one is made for this run (never a published one); it
// says so. REDIS_URL makes the webhook dedupe store shared by every process (npm install redis).
const crypto = require('node:crypto');
const paystar = require('../..');
const { createApp } = require('./app');

const dev = process.env.PAYSTAR_DEV === '1' || process.env.NODE_ENV === 'development';
const missing = ['PAYSTAR_API_KEY', 'PAYSTAR_WEBHOOK_SECRETS'].filter((name) => !process.env[name]);
if (missing.length && !dev) {
  console.error(`express example: ${missing.join(', ')} not set; refusing to start (set them, or PAYSTAR_DEV=1 for local development on the mock)`);
  process.exit(1);
}

async function main() {
  // It listens on loopback unless HOST says otherwise (put it behind your TLS proxy), and the
  // URL customers come back to is PUBLIC_URL, never taken from a request.
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
  // What this account's webhooks carry (Paystar documents no scheme: docs/webhooks.md). A
  // timestamped scheme: a captured delivery replayed after 5 minutes is refused.
  const secrets = (process.env.PAYSTAR_WEBHOOK_SECRETS || crypto.randomBytes(16).toString('hex')).split(',');
  const webhook = { scheme: 'hmac_sha256', secrets, header: 'X-Paystar-Signature', timestampHeader: 'X-Paystar-Timestamp' };
  let client;
  if (process.env.PAYSTAR_API_KEY) {
    client = new paystar.Client();
  } else {
    const mock = new paystar.MockGateway();
    // Its session page's Pay button delivers the signed webhook here.
    mock.setWebhook({ url: `${publicUrl}/paystar/webhook`, scheme: webhook.scheme, secret: secrets[0], header: webhook.header, timestampHeader: webhook.timestampHeader });
    client = mock.client();
    console.error(`development mode, no PAYSTAR_API_KEY: the embedded mock gateway at ${mock.url} plays Paystar`);
  }
  let store;
  if (process.env.REDIS_URL) {
    const { createClient } = require('redis');
    const redis = await createClient({ url: process.env.REDIS_URL }).connect();
    store = paystar.webhooks.redisStore(redis);
  }
  createApp({ client, publicUrl, webhook, store, businessUnit: process.env.PAYSTAR_BUSINESS_UNIT }).listen(port, host, () => {
    console.log(`${publicUrl}/pay (${client.baseUrl})`);
  });
}

main().catch((e) => {
  console.error(`express example: ${e.message}`);
  process.exit(1);
});
