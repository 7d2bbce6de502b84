// ESM entry: the same objects as the CommonJS entry (index.js); esm.test.mjs checks that
// every CommonJS export is here.
import paystar from './index.js';

export const {
  Client,
  MockGateway,
  PaystarError,
  ValidationError,
  ConfigurationError,
  AuthenticationError,
  ApiError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  ConnectionError,
  DecodeError,
  InternalError,
  WebhookError,
  webhooks,
  ERROR_CODES,
  RULES,
  OPERATIONS,
  errorClasses,
  version,
} = paystar;
export default paystar;
