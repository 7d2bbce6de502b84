'use strict';
// JavaScript values to JSON for core: only what JSON cannot carry is reported here, in core's
// words; core judges everything else.

const { native, toError } = require('./errors.js');

const { maxDepth } = native.constants();

/**
 * A JSON-safe copy of a request or options object: `Date`s become ISO strings, `undefined`
 * members are dropped, safe `BigInt`s become numbers. What JSON cannot carry (NaN, Infinity,
 * a huge BigInt, a function) and nesting past core's limit (where an object that contains
 * itself ends too) are collected in `problems`, in core's words, at the path core makes of the
 * keys and indices walked (`parts`, kept raw: a path is built only for a problem).
 */
function jsonSafe(value, parts, problems) {
  const problem = (kind, what = '') => {
    problems.push(native.fieldProblem(kind, parts, what));
    return null;
  };
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : problem('not_json', `a non-finite number (${value})`);
    case 'bigint':
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      return problem('too_large');
    case 'string':
      // N-API would send a lone surrogate as U+FFFD, silently changing the text.
      return value.isWellFormed() ? value : problem('not_json', 'text with a lone surrogate');
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? problem('not_json', 'an invalid Date') : value.toISOString();
      }
      if (parts.length >= maxDepth) return problem('too_deep');
      const member = (v, step) => {
        parts.push(step);
        const out = jsonSafe(v, parts, problems);
        parts.pop();
        return out;
      };
      if (Array.isArray(value)) return value.map(member);
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = member(v, k);
      }
      return out;
    }
    case 'undefined':
      return problem('undefined');   // an object's undefined members are dropped before this
    default:
      return problem('not_json', `a ${typeof value}`);
  }
}

/** `value` made JSON-safe, or throws core's error for what it cannot carry. */
function toJson(value, options) {
  const problems = [];
  const out = jsonSafe(value ?? {}, [], problems);
  if (problems.length) throw toError(native.conversionError(problems, options));
  return out;
}

module.exports = {
  jsonRequest: (request) => toJson(request, false),
  jsonOptions: (options) => toJson(options, true),
};
