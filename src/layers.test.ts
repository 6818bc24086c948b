/** @jest-environment node */
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import tsPlugin from '@typescript-eslint/eslint-plugin';

// The same rule blocks that eslint.config.mjs spreads into `npm run lint`.
const layers = require('../eslint.layers.cjs') as Linter.Config[];

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tsParser as unknown as Linter.Parser },
    plugins: { '@typescript-eslint': tsPlugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
  },
  ...layers,
];

/** The layer errors ESLint reports for `code` placed at `file` (nothing is written). */
function layerErrors(file: string, code: string): string[] {
  return linter
    .verify(code, config, { filename: file })
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.fatal)
    .map((m) => m.message);
}

describe('the layers of src/, as npm run lint enforces them', () => {
  it('keeps the model free of React and of every other layer', () => {
    expect(
      layerErrors('src/trace/probe.ts', "import React from 'react';\nimport { joinUrl } from '../http';\n")
    ).toEqual([
      expect.stringContaining("'react' import is restricted"),
      expect.stringContaining("'../http' import is restricted"),
    ]);
    expect(layerErrors('src/trace/probe.ts', "import type { DataFrame } from '@grafana/data';\n")).toEqual([]);
    expect(layerErrors('src/trace/probe.ts', "import { dateTime } from '@grafana/data';\n")).toEqual([
      expect.stringContaining('Only type imports of @grafana/data'),
    ]);
  });

  it("keeps clients off Grafana's runtime and the UI", () => {
    expect(
      layerErrors(
        'src/tempo/probe.ts',
        "import { getBackendSrv } from '@grafana/runtime';\nimport { x } from '../grafana';\n"
      )
    ).toEqual([
      expect.stringContaining("'@grafana/runtime' import is restricted"),
      expect.stringContaining("'../grafana' import is restricted"),
    ]);
    expect(
      layerErrors('src/setup/checks/probe.ts', "import { Page } from '../../pages/search/SearchPage';\n")
    ).toHaveLength(1);
    expect(
      layerErrors('src/tempo/probe.ts', "import { joinUrl } from '../http';\nimport { parseTrace } from '../trace';\n")
    ).toEqual([]);
  });

  it('lets only src/grafana and the UI use the runtime, and only the UI use React', () => {
    expect(layerErrors('src/grafana/probe.ts', "import { getBackendSrv } from '@grafana/runtime';\n")).toEqual([]);
    expect(layerErrors('src/grafana/probe.ts', "import React from 'react';\n")).toHaveLength(1);
    expect(layerErrors('src/cli/probe.ts', "import { config } from '@grafana/runtime';\n")).toHaveLength(1);
    expect(layerErrors('src/pages/trace/probe.tsx', "import { getBackendSrv } from '@grafana/runtime';\n")).toEqual([]);
  });

  it('points UI arrows one way: app -> pages -> components, panels -> components', () => {
    expect(layerErrors('src/components/Probe/probe.ts', "import P from '../../pages/search/SearchPage';\n")).toEqual([
      expect.stringContaining('Components are used by pages and panels'),
    ]);
    expect(layerErrors('src/pages/search/probe.ts', "import App from '../../app/App';\n")).toHaveLength(1);
    expect(layerErrors('src/app/probe.ts', "import P from '../pages/search/SearchPage';\n")).toEqual([]);
  });

  it('keeps the preloaded extension links off the UI, the runtime and the transport', () => {
    expect(
      layerErrors(
        'src/extensions/probe.ts',
        "import { Button } from '@grafana/ui';\nimport { grafanaTransport } from '../grafana';\nimport { Waterfall } from '../components/Waterfall';\n"
      )
    ).toEqual([
      expect.stringContaining("'@grafana/ui' import is restricted"),
      expect.stringContaining('preloaded on every Grafana page'),
      expect.stringContaining('preloaded on every Grafana page'),
    ]);
    expect(
      layerErrors(
        'src/extensions/probe.ts',
        "import { tracePagePath } from '../routes';\nimport { normalizeTraceId } from '../tempo/traceId';\n"
      )
    ).toEqual([]);
    expect(layerErrors('src/tempo/probe.ts', "import { addedLinks } from '../extensions/register';\n")).toHaveLength(1);
  });

  it('keeps test-only code out of runtime modules, but not out of tests', () => {
    expect(layerErrors('src/tempo/probe.ts', "import { recorded } from '../testing/replayServer';\n")).toEqual([
      expect.stringContaining('src/testing is for tests only'),
    ]);
    expect(layerErrors('src/tempo/probe.test.ts', "import { recorded } from '../testing/replayServer';\n")).toEqual([]);
  });
});
