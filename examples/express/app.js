'use strict';
// An Express app whose /pay route creates a Paystar payment session for the user and serves a
// page that opens it with Paystar's loader script; /paystar/webhook records the payment once
// when Paystar reports it, and /paid shows it.
const express = require('express');
const paystar = require('../..');

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body, head = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>${head}</head><body>${body}</body></html>`;
}

/** Who is signed in: replace with your authentication (a session cookie, a token). */
const demoUser = () => ({ email: 'jane.doe@example.com', name: 'Jane Doe', account: 'ACC-12345' });

/** What this customer owes: replace with your billing data. Never the request's say-so. */
const demoBill = () => ({ amount: 15000, description: 'Your bill' });

/**
 * @param {{
 *   client: paystar.Client,
 *   publicUrl: string,
 *   businessUnit?: string,
 *   currentUser?: (req: import('express').Request) => { email: string, name: string, account: string } | null,
 *   billFor?: (user: { email: string, account: string }) => { amount: number, description: string },
 *   log?: (msg: string) => void,
 *   webhook: paystar.WebhookVerifierOptions,
 *   store?: paystar.DedupeStore,
 *   payments?: Map<string, { sessionId: string, amountCents: number | null, referenceNumber: string | null }>,
 *   recordPayment?: (event: paystar.WebhookEvent) => Promise<void> | void,
 * }} deps
 */
function createApp({
  client,
  publicUrl,
  businessUnit = 'acme-utilities',
  currentUser = demoUser,
  billFor = demoBill,
  log = console.error,
  webhook,
  store = paystar.webhooks.memoryStore(),
  payments = new Map(),
  recordPayment = (event) => {
    payments.set(event.sessionIdentifier, {
      sessionId: event.sessionIdentifier,
      amountCents: event.amountCents,
      referenceNumber: event.referenceNumber,
    });
  },
}) {
  // Where Paystar sends the customer back is configuration, never the request's Host header:
  // a forged Host would turn the page after a payment into an open redirect.
  const base = new URL(publicUrl);
  const app = express();
  const verifier = new paystar.webhooks.WebhookVerifier(webhook);
  const lastSession = new Map(); // user email -> the session /pay created (your session store)

  // Paystar reports payments here. Mounted before any JSON body parser: the signature covers
  // the raw bytes. The middleware verifies and runs the handler once per event (core's
  // endpoint): a 2xx completes the event; an error (500), any other status, or a connection
  // closed before the answer releases it, so Paystar's redelivery is handled. `store` is per
  // process unless given (server.js uses Redis when REDIS_URL is set).
  app.post(
    '/paystar/webhook',
    paystar.webhooks.expressMiddleware(verifier, {
      store,
      onError: (e) => log(e instanceof paystar.WebhookError ? `webhook refused: ${e.reason}` : `webhook store: ${e.message}`),
    }),
    async (req, res, next) => {
      try {
        const event = req.paystarEvent;
        if (event.action === 'Payment.Succeeded' && event.sessionIdentifier) await recordPayment(event);
        res.sendStatus(204);
      } catch (e) {
        next(e); // answered 500: the event is released and redelivered
      }
    },
  );
  app.use(express.json()); // the rest of the app's JSON routes

  app.get('/pay', async (req, res, next) => {
    try {
      // Who pays and how much come from the server's own data, never from the query string
      // or a header a browser (or an attacker) can set.
      const user = currentUser(req);
      if (!user) return res.status(401).type('html').send(page('Sign in', '<p>Sign in to pay your bill.</p>'));
      const bill = billFor(user);
      const session = await client.createPaymentSession(
        {
          businessUnitSlug: businessUnit,
          channel: 'QuickPay',
          charges: [{ amount: bill.amount, description: bill.description, clientAccount: { accountNumber: user.account, name: user.name } }],
          clientUser: { emailAddress: user.email },
          successUrl: new URL('/paid', base).href,
          returnUrl: new URL('/pay', base).href,
        },
        { signal: AbortSignal.timeout(20_000) },
      );
      lastSession.set(user.email, session.id);
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

  // Where Paystar sends the customer after paying: the payment, once the webhook recorded it.
  app.get('/paid', (req, res) => {
    const user = currentUser(req);
    const payment = user && payments.get(lastSession.get(user.email));
    if (!payment) {
      return res.type('html').send(page('Payment pending', '<h1 id="status">Payment pending</h1><p>Paystar has not told us about this payment yet.</p>'));
    }
    const cents = payment.amountCents ?? 0;
    const amount = `$${Math.trunc(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
    return res.type('html').send(page(
      'Thank you',
      `<h1 id="status">Payment received</h1><p>We received <strong id="amount">${escape(amount)}</strong>, reference <strong id="reference">${escape(payment.referenceNumber ?? '')}</strong>.</p>`,
    ));
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
