/*
 * npm run compat: Grafana's levitate, pinned (scripts/levitate/package.json and its lock), checks that what each
 * plugin entry point imports from @grafana/data, @grafana/ui and @grafana/runtime still exists, unchanged, in the
 * Grafana 13 packages. Exports listed in scripts/compat-allowlist.json, each with a reviewed reason, are
 * accepted. Levitate downloads the target packages from the npm registry (cached in the temp folder).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const LEVITATE_DIR = path.join(__dirname, 'levitate');
const LEVITATE = path.join(LEVITATE_DIR, 'node_modules', '.bin', 'levitate');

/** The Grafana 13 packages checked against; @grafana/ui 13.2.3 was never published. */
export const TARGETS = ['@grafana/data@13.2.3', '@grafana/ui@13.2.2', '@grafana/runtime@13.2.3'];
const ENTRY_POINTS = ['src/module.tsx', 'src/panels/waterfall/module.tsx', 'src/panels/servicemap/module.tsx'];

interface AllowEntry {
  package: string;
  export: string;
  kind: 'changes' | 'removals';
  reason: string;
}

function readAllowList(): AllowEntry[] {
  const file = path.join(__dirname, 'compat-allowlist.json');
  const entries: AllowEntry[] = JSON.parse(readFileSync(file, 'utf8')).entries;
  for (const e of entries) {
    if (!e.package || !/^\w+(\.\w+)?$/.test(e.export ?? '') || !['changes', 'removals'].includes(e.kind)) {
      throw new Error(
        `${file}: each entry needs package, export (a name, or Class.member) and kind (changes or removals)`
      );
    }
    if (!e.reason || e.reason.trim().length < 20) {
      throw new Error(`${file}: the entry for ${e.package} ${e.export} needs a reason`);
    }
  }
  return entries;
}

/** The names that non-test files below src/ import from a package, with the files. */
function importsFrom(pkg: string): string[] {
  const found = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        const source = readFileSync(file, 'utf8');
        const pattern = new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+'${pkg}'`, 'g');
        for (const match of source.matchAll(pattern)) {
          for (const name of match[1].split(',').map(
            (n) =>
              n
                .trim()
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)[0]
          )) {
            if (name) {
              found.set(name, (found.get(name) ?? new Set()).add(path.relative(ROOT, file)));
            }
          }
        }
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return [...found].sort().map(([name, files]) => `${name} (${[...files].join(', ')})`);
}

function main() {
  if (!existsSync(LEVITATE)) {
    console.log('compat: installing the pinned levitate (npm ci --prefix scripts/levitate)');
    execFileSync('npm', ['ci', '--prefix', LEVITATE_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  const allow = readAllowList();
  // Levitate reads its ignore list from .levignore.js in its working folder; the allow-list becomes one.
  const work = mkdtempSync(path.join(os.tmpdir(), 'traceway-compat-'));
  const section = (kind: AllowEntry['kind']) =>
    allow
      .filter((e) => e.kind === kind)
      .map((e) => `new RegExp(${JSON.stringify(`^${e.export.replace('.', '\\.')}$`)})`);
  writeFileSync(
    path.join(work, '.levignore.js'),
    `module.exports = { changes: [${section('changes').join(', ')}], removals: [${section('removals').join(', ')}] };\n`
  );
  for (const e of allow) {
    console.log(`compat: allowed ${e.kind.slice(0, -1)} of ${e.package} ${e.export}: ${e.reason}`);
  }
  let failed = false;
  for (const entry of ENTRY_POINTS) {
    const result = spawnSync(
      LEVITATE,
      ['is-compatible', '--path', path.join(ROOT, entry), '--target', TARGETS.join(',')],
      { cwd: work, encoding: 'utf8', env: { ...process.env, LEVITATE_CACHE: 'true', FORCE_COLOR: '0' } }
    );
    const output = `${result.stdout}${result.stderr}`;
    const incompatibilities = [...output.matchAll(/Comparing (\S+) to (\S+)\s+INCOMPATIBILITIES \((\d+)\)/g)];
    const listed = [...output.matchAll(/^\d+\) (Removed|Changed) `([^`]+)` used in `([^`]+)`/gm)];
    // Levitate passes a package it could not download or read; a check that did not run is not a pass.
    const problems = output.split('\n').filter((l) => /Could not process|Skipping package/.test(l));
    if (result.status === 0 && problems.length === 0) {
      console.log(`compat: ${entry} is compatible with ${TARGETS.join(', ')}`);
      continue;
    }
    failed = true;
    console.error(`compat: ${entry} is not compatible with ${TARGETS.join(', ')}`);
    for (const [, from, to, count] of incompatibilities) {
      console.error(`  ${from} -> ${to}: ${count} incompatibilities`);
    }
    for (const [, kind, name, where] of listed) {
      console.error(`  ${kind} ${name}, used in ${path.relative(ROOT, where.split(':')[0])}:${where.split(':')[1]}`);
    }
    for (const line of problems) {
      console.error(`  ${line.trim()}`);
    }
    if (incompatibilities.reduce((n, m) => n + Number(m[3]), 0) > listed.length) {
      // Levitate counts a changed export whose printed diff is empty without naming it: name the candidates.
      for (const [, , to] of incompatibilities) {
        const pkg = to.slice(0, to.lastIndexOf('@'));
        console.error(
          `  levitate did not name every one; what src/ imports from ${pkg}: ${importsFrom(pkg).join(', ')}`
        );
      }
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
