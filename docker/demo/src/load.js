// Keeps traffic flowing through harbor-ui like a browser would (untraced, no request ID:
// harbor-ui is the edge that creates both).
import { setTimeout as sleep } from 'node:timers/promises';
import { artifactPath } from './harbor.js';

const ok = (project_name, repository_name, reference) => ({ project_name, repository_name, reference });

// Twelve-step cycle: every 4th request fails with a 500, one in twelve is a 404 and two
// read a big blob slowly.
export const SCENARIOS = [
  ok('library', 'nginx', '1.27'),
  ok('ml', 'big-model', 'v3'),
  ok('library', 'redis', '7.4'),
  ok('library', 'nginx', 'corrupt'),
  ok('library', 'postgres', '17'),
  ok('library', 'alpine', 'missing'),
  ok('goharbor', 'harbor-core', 'v2.13.1'),
  ok('library', 'redis', 'corrupt'),
  ok('ml', 'big-model', 'v4'),
  ok('library', 'alpine', '3.22'),
  ok('goharbor', 'registry-photon', 'v2.13.1'),
  ok('library', 'postgres', 'corrupt'),
];

export function scenarioPath(scenario) {
  return artifactPath('/harbor', scenario);
}

export function startLoadGenerator({ baseUrl, intervalMs }) {
  const stop = new AbortController();
  const counts = {};
  let sent = 0;

  const loop = (async () => {
    while (!stop.signal.aborted) {
      const scenario = SCENARIOS[sent % SCENARIOS.length];
      sent += 1;
      try {
        const res = await fetch(`${baseUrl}${scenarioPath(scenario)}`, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        counts[res.status] = (counts[res.status] ?? 0) + 1;
      } catch (err) {
        counts.failed = (counts.failed ?? 0) + 1;
        console.error(`[load] request failed: ${err.message}`);
      }
      if (sent % 100 === 0) {
        console.log(`[load] ${sent} requests, by status: ${JSON.stringify(counts)}`);
      }
      await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => {});
    }
  })();

  return {
    stop: async () => {
      stop.abort();
      await loop;
    },
  };
}
