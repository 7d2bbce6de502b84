'use strict';
// Runs the example: PAYSTAR_API_KEY (+ PAYSTAR_ENVIRONMENT, default development) from the
// environment; without a key it starts an embedded MockGateway so the page works offline.
const paystar = require('../..');
const { createApp } = require('./app');

const mock = process.env.PAYSTAR_API_KEY ? null : new paystar.MockGateway();
const client = mock ? mock.client() : new paystar.Client();
const port = Number(process.env.PORT ?? 3000);
createApp({ client, businessUnit: process.env.PAYSTAR_BUSINESS_UNIT }).listen(port, () => {
  console.log(`http://localhost:${port}/pay (${mock ? `mock gateway ${mock.url}` : client.baseUrl})`);
});
