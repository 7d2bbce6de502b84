// Uses every operation as an Express backend would; `tsc --strict` must pass on it.
import {
  Client, MockGateway, PaystarError, ValidationError, WebhookError, webhooks,
  type Session, type ClientAccount, type WebhookEvent, type Completion, type EventReceipt,
  type DedupeStore, type MemoryStore, type RedisLike,
} from '../index';

export async function everyOperation(client: Client): Promise<string[]> {
  const user = { emailAddress: 'jane@example.com', firstName: 'Jane' };
  const account: ClientAccount = { accountNumber: 'ACC-12345', balance: -500, dueDate: '2026-12-01T17:00:00Z' };
  const slug = 'acme-utilities';
  const sessions: Session[] = [
    await client.createPaymentSession(
      { businessUnitSlug: slug, channel: 'QuickPay', charges: [{ amount: 15000, clientAccount: account }], clientUser: user },
      { timeout: 10_000, maxRetries: 1, signal: AbortSignal.timeout(30_000) },
    ),
    await client.createAutopaySession({ businessUnitSlug: slug, clientAccount: account, clientUser: user, syncAccount: true }),
    await client.createWalletSession({ businessUnitSlug: slug, clientUser: user }),
    await client.createPaperlessSession({ businessUnitSlug: slug, clientAccount: account, clientUser: user }),
    await client.createNotificationSession({ businessUnitSlug: slug, clientUser: user }),
  ];
  const expires: Date = sessions[0].expiresAt;
  return [...sessions.map((s) => s.url), expires.toISOString()];
}

export async function events(client: Client): Promise<string[]> {
  const slug = 'acme-utilities';
  const receipts: EventReceipt[] = [
    await client.updateCustomer({
      businessUnitSlug: slug, accountNumber: 'ACC-12345', firstName: 'Jane', lastName: 'Smith',
      emailAddress: 'jane.smith@example.com', originalEmailAddress: 'jane@example.com',
    }),
    await client.sendEvent({ businessUnitSlug: slug, eventType: 'Accounts.UnenrollAutopay', payload: { accountNumber: 'ACC-12345' } }),
  ];
  return [client.eventsBaseUrl, ...receipts.map((r) => `${r.eventType} ${r.httpStatus}`)];
}

export async function handleErrors(client: Client): Promise<string> {
  try {
    return (await client.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'x' } })).url;
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ');
    if (e instanceof PaystarError) return `${e.code} ${e.status ?? '-'} ${e.attempts} ${e.retryAfter ?? '-'}`;
    throw e;
  }
}

export function testing(): Client {
  const gateway = new MockGateway();
  gateway.script([{ kind: 'status', status: 503, retry_after: '0' }, { kind: 'delay', ms: 10 }]);
  return gateway.client({ logger: (level, message) => console.log(level, message) });
}

// @ts-expect-error: a typo is a compile error too
export const typo = (c: Client) => c.createWalletSession({ businessUnitSlug: 'a', clientUsr: { emailAddress: 'x' } });

/** A webhook endpoint's logic, as a framework-free function. */
export function onWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): number {
  const verifier = new webhooks.WebhookVerifier({ scheme: 'hmac_sha256', secrets: ['new', 'old'], timestampHeader: 'X-Ts', tolerance: 60_000 });
  try {
    const event: WebhookEvent = verifier.verify(rawBody, headers);
    const cents: number | null = event.amountCents;
    return cents === null ? 202 : 204;
  } catch (e) {
    if (e instanceof WebhookError) return e.responseStatus;
    throw e;
  }
}

export async function payOnTheMock(gateway: MockGateway, session: Session): Promise<string> {
  gateway.setWebhook({ url: 'http://127.0.0.1:3000/paystar/webhook', scheme: 'standard_webhooks', secret: 'whsec_a2V5', redeliveries: 1 });
  const done: Completion = await gateway.complete(session);
  const headers: Record<string, string> = webhooks.sign(done.body ?? '', { scheme: 'standard_webhooks', secret: 'whsec_a2V5' });
  return `${done.referenceNumber} ${Object.keys(headers).join(',')}`;
}

// @ts-expect-error: an unknown scheme is a compile error
export const badScheme = () => new webhooks.WebhookVerifier({ scheme: 'md5', secrets: 'x' });

/** The whole endpoint, framework-free, on a shared store. */
export async function endpoint(rawBody: Buffer, headers: Record<string, string>, redis: RedisLike): Promise<[number, string]> {
  const verifier = new webhooks.WebhookVerifier({ scheme: 'standard_webhooks', secrets: ['whsec_a2V5'], lease: 30_000, doneTtl: 86_400_000 });
  const store: DedupeStore = process.env.REDIS_URL ? webhooks.redisStore(redis) : webhooks.memoryStore();
  const answer = await verifier.handle(rawBody, headers, store, async (event) => {
    if (event.amountCents === null) return 422;
  });
  const memory: MemoryStore = webhooks.memoryStore();
  memory.advance(61_000);
  return [answer.status, answer.body ?? ''];
}
