// Prints one closing line for CI from the reports the test runners wrote: "summary: N passed, N failed".
const fs = require('node:fs');

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const jest = read('test-results/jest-report.json');
if (jest) {
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  skipped += jest.numPendingTests;
}
const e2e = read('test-results/e2e-report.json');
if (e2e) {
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky;
  skipped += e2e.stats.skipped;
}
if (!jest || !e2e) {
  console.error(
    `missing report: ${!jest ? 'test-results/jest-report.json ' : ''}${!e2e ? 'test-results/e2e-report.json' : ''}`
  );
  process.exit(1);
}
for (const host of read('test-results/hosts.json') ?? []) {
  console.log(
    `browser tests ran on ${host.host}: Grafana ${host.grafana}, React ${host.react} ${host.reactBuild} build`
  );
}
console.log(`summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
