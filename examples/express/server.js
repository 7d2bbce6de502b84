'use strict';
// Runs the example: PAYSTAR_API_KEY (+ PAYSTAR_ENVIRONMENT, default development) from the
// environment; without a key it starts an embedded MockGateway so the page works offline.
const paystar = require('../..');
const { createApp } = require('./app');

// It listens on loopback unless HOST says otherwise (put it behind your TLS proxy), and the URL
// customers come back to is PUBLIC_URL, never taken from a request.
const mock = process.env.PAYSTAR_API_KEY ? null : new paystar.MockGateway();
const client = mock ? mock.client() : new paystar.Client();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
// What this account's webhooks carry (Paystar documents no scheme: see the README).
const webhook = {
  scheme: process.env.PAYSTAR_WEBHOOK_SCHEME ?? 'hmac_sha256',
  secrets: (process.env.PAYSTAR_WEBHOOK_SECRETS ?? 'whsk_dev_only_not_a_secret').split(','),
};
// On the mock, its session page's Pay button delivers the webhook here.
mock?.setWebhook({ url: `${publicUrl}/paystar/webhook`, scheme: webhook.scheme, secret: webhook.secrets[0] });
createApp({ client, publicUrl, webhook, businessUnit: process.env.PAYSTAR_BUSINESS_UNIT }).listen(port, host, () => {
  console.log(`${publicUrl}/pay (${mock ? `mock gateway ${mock.url}` : client.baseUrl})`);
});
