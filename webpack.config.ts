import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import VirtualModulesPlugin from 'webpack-virtual-modules';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// The scaffold sets each entry's public path to the folder of its own module.js. A nested panel's module.js is in
// panels/<name>/, but every chunk is emitted at the plugin's root, so its chunks (the service map's layout worker)
// would be fetched from panels/<name>/ and 404. Same rule, with panels/<name>/ taken off.
const PUBLIC_PATH_MODULE = 'node_modules/traceway-public-path.js';
const publicPath = new VirtualModulesPlugin({
  [PUBLIC_PATH_MODULE]: `
import amdMetaModule from 'amd-module';

__webpack_public_path__ =
  amdMetaModule && amdMetaModule.uri
    ? amdMetaModule.uri.slice(0, amdMetaModule.uri.lastIndexOf('/') + 1).replace(/panels\\/[^/]+\\/$/, '')
    : 'public/plugins/traceway-explorer-app/';
`,
});

// The scaffold copies only the root plugin's logos; nested panels need theirs next to their plugin.json.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    module: {
      rules: [
        {
          // Pure modules: where only useLayout is used, d3-force and dagre stay out of module.js (they are in the
          // worker's chunk, and in a chunk the main thread loads only if the worker cannot run).
          test: /components[\\/]ServiceMap[\\/]layout[\\/](index|computeLayout|force|layered)\.ts$/,
          sideEffects: false,
        },
      ],
      parser: {
        javascript: {
          // The service map's layout worker is started through LayoutWorker (it handles plugins served from a
          // CDN), so webpack must know it as a worker constructor to bundle `new LayoutWorker(new URL(...))`.
          worker: ['LayoutWorker from ./startWorker', '...'],
        },
      },
    },
    optimization: {
      splitChunks: {
        // The layout worker loads as one file: a chunk split off it would be fetched from inside the worker,
        // where the plugin's public path (set at runtime for module.js) is not known. Otherwise as the default
        // ('async': entries such as module.js are never split, Grafana loads one file per plugin).
        chunks: (chunk) => !chunk.canBeInitial() && chunk.name !== 'servicemap-layout-worker',
      },
    },
    // VirtualModulesPlugin paths are relative to the compiler's context (src/), resolved as a bare module name.
    resolve: { alias: { 'grafana-public-path$': 'traceway-public-path' } },
    plugins: [publicPath, new CopyWebpackPlugin({ patterns: [{ from: 'panels/*/img/*', to: '[path][name][ext]' }] })],
  });
};

export default config;
