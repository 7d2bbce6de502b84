'use strict';
// An Express app whose /pay route creates a Paystar payment session for the user and serves a
// page that opens it with Paystar's loader script.
const express = require('express');
const paystar = require('../..');

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body, head = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>${head}</head><body>${body}</body></html>`;
}

/**
 * @param {{ client: paystar.Client, businessUnit?: string, log?: (msg: string) => void }} deps
 */
function createApp({ client, businessUnit = 'acme-utilities', log = console.error }) {
  const app = express();

  app.get('/pay', async (req, res, next) => {
    try {
      const amount = req.query.amount === undefined ? 15000 : Number(req.query.amount);
      const session = await client.createPaymentSession(
        {
          businessUnitSlug: businessUnit,
          channel: 'QuickPay',
          charges: [{ amount, description: 'Your bill', clientAccount: { accountNumber: 'ACC-12345', name: 'Jane Doe' } }],
          clientUser: { emailAddress: req.get('x-user-email') ?? 'jane.doe@example.com' },
          successUrl: `${req.protocol}://${req.get('host')}/paid`,
          returnUrl: `${req.protocol}://${req.get('host')}/pay`,
        },
        { signal: AbortSignal.timeout(20_000) },
      );
      const loader = client.loaderUrl;
      const open = loader
        ? `<script>Paystar.${session.loaderCall}(document.getElementById('paystar-session').dataset.sessionUrl);</script>`
        : `<p>Mock gateway: <a href="${escape(session.url)}">open the session</a>.</p>`;
      res.type('html').send(page(
        'Pay your bill',
        `<h1>Pay your bill</h1><div id="paystar-session" data-session-url="${escape(session.url)}" data-expires-at="${session.expiresAt.toISOString()}"></div>${open}`,
        loader ? `<script src="${escape(loader)}"></script>` : '',
      ));
    } catch (e) {
      next(e);
    }
  });

  // Friendly errors: the reasons for bad input, "try again" for outages, a generic message
  // (and a log line with the code and request id, never the key) for the rest.
  app.use((err, _req, res, next) => {
    if (!(err instanceof paystar.PaystarError)) return next(err);
    if (err instanceof paystar.ValidationError) {
      log(`payment request refused: ${err.message}`);
      const reasons = err.fieldErrors.map((f) => escape(f.message)).join('; ');
      return res.status(400).type('html').send(page('Cannot prepare payment', `<p class="message">We could not prepare this payment: ${reasons}</p>`));
    }
    if (err.retryable) { // an outage, not a mistake: core says which codes these are
      log(`Paystar is unavailable: ${err.code} after ${err.attempts} attempts`);
      return res.status(503).type('html').send(page('Payments unavailable', '<p class="message">Online payments are briefly unavailable. Please try again in a minute.</p>'));
    }
    log(`Paystar refused the session: ${err.code} (request id ${err.requestId ?? '-'})`);
    return res.status(502).type('html').send(page('Payments unavailable', '<p class="message">Online payments are unavailable right now. Our team has been told.</p>'));
  });
  return app;
}

module.exports = { createApp };
