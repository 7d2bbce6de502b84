'use strict';
// Creates every Paystar session type from Node and prints the session URLs.
// Without PAYSTAR_API_KEY it runs against the embedded mock gateway; with it (and
// PAYSTAR_ENVIRONMENT=development, the default) it talks to Paystar's development gateway.
const paystar = require('../..');

function show(kind, s) {
  const expires = s.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z');
  const plural = s.attempts === 1 ? '' : 's';
  console.log(`  ${kind.padEnd(13)} ${s.url}  (id ${s.id ?? '-'}, status ${s.status ?? '-'}, expires ${expires}, ${s.attempts} attempt${plural})`);
}

async function main() {
  let mock = null;
  let client;
  if (process.env.PAYSTAR_API_KEY) {
    const baseUrl = process.env.PAYSTAR_BASE_URL || undefined;
    if (!baseUrl && (process.env.PAYSTAR_ENVIRONMENT ?? 'development') !== 'development') {
      console.error("the demo only talks to Paystar's development gateway");
      return 2;
    }
    client = new paystar.Client(baseUrl ? { baseUrl } : { environment: 'development' });
    console.log(`Node demo: ${baseUrl ? `custom gateway ${baseUrl}` : 'Paystar development gateway'}`);
  } else {
    mock = new paystar.MockGateway();
    client = mock.client();
    console.log(`Node demo: embedded mock gateway at ${mock.url} (paystar ${paystar.version})`);
  }
  const slug = process.env.PAYSTAR_BUSINESS_UNIT ?? 'acme-utilities';
  const customer = { emailAddress: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' };
  const account = { accountNumber: 'ACC-12345', name: 'Jane Doe', balance: 15000 };
  try {
    show('payment', await client.createPaymentSession({
      businessUnitSlug: slug,
      channel: 'QuickPay',
      charges: [{ amount: 15000, description: 'January Water Bill', clientAccount: account }],
      clientUser: customer,
      successUrl: 'https://yoursite.example/payment-success',
      returnUrl: 'https://yoursite.example/payment-cancelled',
    }));
    show('autopay', await client.createAutopaySession({ businessUnitSlug: slug, clientAccount: account, clientUser: customer, syncAccount: true }));
    show('wallet', await client.createWalletSession({ businessUnitSlug: slug, clientUser: customer }));
    show('paperless', await client.createPaperlessSession({ businessUnitSlug: slug, clientAccount: account, clientUser: customer, syncAccount: true }));
    show('notification', await client.createNotificationSession({ businessUnitSlug: slug, clientUser: customer }));
    if (mock) {
      // The Events API changes a real customer: on the mock only (docs/decisions.md#demo-events).
      const r = await client.updateCustomer({
        businessUnitSlug: slug, accountNumber: account.accountNumber,
        firstName: 'Jane', lastName: 'Smith', emailAddress: customer.emailAddress,
      });
      const now = mock.customer(customer.emailAddress);
      console.log(`  ${'events'.padEnd(13)} ${r.eventType} accepted (HTTP ${r.httpStatus}): the customer is now ${now.FirstName} ${now.LastName}`);
    }
    return 0;
  } catch (e) {
    console.error(`demo failed: ${e.message} [${e.code}]`);
    for (const f of e.fieldErrors ?? []) console.error(`  ${f.path}: ${f.message}`);
    return 1;
  } finally {
    mock?.stop();
  }
}

main().then((code) => {
  process.exitCode = code;
});
