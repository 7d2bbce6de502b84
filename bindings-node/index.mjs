// ESM entry: the same objects as the CommonJS entry (index.js).
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
  ERROR_CODES,
  OPERATIONS,
  errorClasses,
  version,
} = paystar;
export default paystar;
