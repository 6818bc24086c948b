import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

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
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: 'panels/*/img/*', to: '[path][name][ext]' }] })],
  });
};

export default config;
