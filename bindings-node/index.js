'use strict';
// The `paystar` npm package: the JavaScript half of the Node front door. It maps core's values
// (sessions, errors, log events, webhook answers: `paystar::bridge`) onto classes and wires
// AbortSignal, the logger and Express; every Paystar rule, option, attribute and log text is in
// the Rust core. One file per concern under lib/: errors, json, client, mock, webhooks.

const errors = require('./lib/errors.js');
const { Client } = require('./lib/client.js');
const { MockGateway } = require('./lib/mock.js');
const { webhooks } = require('./lib/webhooks.js');

const constants = errors.native.constants();

module.exports = {
  Client,
  MockGateway,
  PaystarError: errors.PaystarError,
  ValidationError: errors.ValidationError,
  ConfigurationError: errors.ConfigurationError,
  AuthenticationError: errors.AuthenticationError,
  ApiError: errors.ApiError,
  RateLimitedError: errors.RateLimitedError,
  ServerError: errors.ServerError,
  TimeoutError: errors.TimeoutError,
  ConnectionError: errors.ConnectionError,
  DecodeError: errors.DecodeError,
  InternalError: errors.InternalError,
  WebhookError: errors.WebhookError,
  webhooks,
  ERROR_CODES: Object.freeze(constants.errorCodes),
  RULES: Object.freeze(constants.rules),
  OPERATIONS: Object.freeze(constants.operations),
  errorClasses: Object.freeze({ ...errors.classes }),
  version: require('../package.json').version,
};
