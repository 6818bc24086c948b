#!/usr/bin/env node
// Launcher for the traceway CLI: the CLI itself is bundled from src/cli by `npm run build`.
'use strict';
const path = require('path');
const fs = require('fs');

const built = path.join(__dirname, '..', 'build', 'cli', 'traceway.js');
if (!fs.existsSync(built)) {
  process.stderr.write(`traceway: ${built} is missing; run \`npm run build\` (or \`npm run build:cli\`) first\n`);
  process.exit(1);
}
require(built);
