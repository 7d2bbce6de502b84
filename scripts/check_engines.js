// `make node` runs this after `npm ci --engine-strict` (which refuses any dependency whose
// `engines` this Node does not satisfy): the running Node satisfies package.json's own
// `engines`, and the README's requirement line names the same lowest version.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const root = path.resolve(__dirname, '..');
const { engines } = require(path.join(root, 'package.json'));
const lowest = semver.minVersion(engines.node);
const problems = [];
if (!semver.satisfies(process.version, engines.node)) {
  problems.push(`Node ${process.version} does not satisfy package.json engines.node ${engines.node}`);
}
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
if (!readme.includes(`Node ≥ ${lowest.major}`)) {
  problems.push(`README.md does not say "Node ≥ ${lowest.major}" (package.json engines.node is ${engines.node})`);
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`engines: Node ${process.version} satisfies ${engines.node}; the README says Node ≥ ${lowest.major}`);
