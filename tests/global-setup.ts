import { mkdirSync, writeFileSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';

/**
 * Prints which host each sandbox is (Grafana, @grafana/ui and React versions, React build), from its
 * /sandbox/info, and keeps the list in test-results/hosts.json for the CI summary.
 */
export default async function globalSetup(config: FullConfig) {
  const servers = new Map<string, string>();
  for (const project of config.projects) {
    const { host, baseURL } = project.use as { host?: string; baseURL?: string };
    if (host && baseURL) {
      servers.set(host, baseURL);
    }
  }
  const hosts = [];
  for (const [host, baseURL] of servers) {
    const info = await (await fetch(`${baseURL}/sandbox/info`)).json();
    const v = info.host;
    if (v?.host !== host) {
      throw new Error(
        `${baseURL} serves the ${v?.host ?? 'unknown'} host, not ${host}: is it a sandbox this run started?`
      );
    }
    console.log(
      `Sandbox host ${host} at ${baseURL}: Grafana ${v.grafana} (@grafana/data ${v.packages['@grafana/data']}, ` +
        `@grafana/ui ${v.packages['@grafana/ui']}, @grafana/runtime ${v.packages['@grafana/runtime']}), ` +
        `React ${v.react} ${v.reactBuild} build`
    );
    hosts.push({ ...v, baseURL });
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/hosts.json', JSON.stringify(hosts, null, 2) + '\n');
}
