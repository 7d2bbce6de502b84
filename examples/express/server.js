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
createApp({ client, publicUrl, businessUnit: process.env.PAYSTAR_BUSINESS_UNIT }).listen(port, host, () => {
  console.log(`${publicUrl}/pay (${mock ? `mock gateway ${mock.url}` : client.baseUrl})`);
});
