/*
 * The sandbox's hosts: which Grafana packages and React a host page is built from. A plugin's react,
 * react-dom, react-router and @grafana/* come from Grafana at run time, so one dist/ is tested on each line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export const HOST_NAMES = ['grafana12', 'grafana13'] as const;
export type HostName = (typeof HOST_NAMES)[number];

export interface HostDef {
  name: HostName;
  /** The folder whose node_modules hold the host's packages. */
  packages: string;
  /** Its lock file: a change rebuilds the cached host bundle. */
  lockFile: string;
  /** React's development build logs its warnings as console errors, which fail the browser tests. */
  reactBuild: 'production' | 'development';
  /** How to install the packages when they are missing. */
  install: string;
}

export const HOSTS: Record<HostName, HostDef> = {
  // Grafana 12.4 with React 18: the versions the plugin is built against, from the repository's own install.
  grafana12: {
    name: 'grafana12',
    packages: ROOT,
    lockFile: path.join(ROOT, 'package-lock.json'),
    reactBuild: 'production',
    install: 'npm ci',
  },
  // Grafana 13 with React 19, installed on their own: sandbox/hosts/grafana13/package.json.
  grafana13: {
    name: 'grafana13',
    packages: path.join(__dirname, 'hosts', 'grafana13'),
    lockFile: path.join(__dirname, 'hosts', 'grafana13', 'package-lock.json'),
    reactBuild: 'development',
    install: 'npm run sandbox:install',
  },
};

/** Accepts grafana12, 12, grafana13 or 13. */
export function hostByName(name: string): HostDef {
  const key = (/^\d+$/.test(name) ? `grafana${name}` : name) as HostName;
  const host = HOSTS[key];
  if (!host) {
    throw new Error(`--grafana must be one of 12, 13 (${HOST_NAMES.join(', ')}), not "${name}"`);
  }
  return host;
}

/** The folder of a package as the host's @grafana/ui resolves it: one copy, shared, as in Grafana. */
export function hostPackageDir(host: HostDef, name: string): string {
  const fromUi = path.join(host.packages, 'node_modules', '@grafana', 'ui', 'node_modules', name);
  return existsSync(path.join(fromUi, 'package.json')) ? fromUi : path.join(host.packages, 'node_modules', name);
}

export interface HostVersions {
  host: HostName;
  grafana: string;
  packages: Record<string, string>;
  react: string;
  reactBuild: HostDef['reactBuild'];
}

const VERSIONED = ['@grafana/data', '@grafana/ui', '@grafana/runtime', 'react', 'react-dom'];

/** The versions a host is built from, read from its installed packages; throws when they are not installed. */
export function hostVersions(host: HostDef): HostVersions {
  const packages: Record<string, string> = {};
  for (const name of VERSIONED) {
    const file = path.join(hostPackageDir(host, name), 'package.json');
    if (!existsSync(file)) {
      throw new Error(
        `the ${host.name} host needs ${name} in ${path.relative(ROOT, host.packages) || '.'}/node_modules: run ${host.install}`
      );
    }
    packages[name] = JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return {
    host: host.name,
    // Grafana publishes @grafana/runtime with each release; its version is the Grafana version.
    grafana: packages['@grafana/runtime'],
    packages,
    react: packages.react,
    reactBuild: host.reactBuild,
  };
}
