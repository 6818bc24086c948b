import { PanelPlugin } from '@grafana/data';
import { WaterfallPanel, WaterfallPanelOptions } from './WaterfallPanel';
import { defaultWaterfallOptions as d } from '../../components/Waterfall';

export const plugin = new PanelPlugin<WaterfallPanelOptions>(WaterfallPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'defaultView',
      name: 'Default view',
      description: 'The view the panel opens on; a switch is kept in the dashboard URL per panel',
      defaultValue: 'timeline',
      settings: {
        options: [
          { value: 'timeline', label: 'Timeline' },
          { value: 'stats', label: 'Statistics' },
          { value: 'flame', label: 'Flame graph' },
          { value: 'table', label: 'Span table' },
        ],
      },
    })
    .addBooleanSwitch({ path: 'showMinimap', name: 'Minimap', defaultValue: d.showMinimap })
    .addBooleanSwitch({
      path: 'criticalPath',
      name: 'Critical path',
      description: 'Highlight the critical path when the trace opens',
      defaultValue: d.criticalPath,
    })
    .addRadio({
      path: 'rowSize',
      name: 'Rows',
      defaultValue: d.rowSize,
      settings: {
        options: [
          { value: 'normal', label: 'Normal' },
          { value: 'compact', label: 'Compact' },
        ],
      },
    })
    .addSliderInput({
      path: 'nameColumnWidth',
      name: 'Name column width (%)',
      description: 'Width the name column starts with; drag its edge (or focus it and use the arrow keys) to resize',
      defaultValue: d.nameColumnWidth,
      settings: { min: 10, max: 80, step: 5 },
    })
    .addRadio({
      path: 'colorBy',
      name: 'Colour by',
      defaultValue: d.colorBy,
      settings: {
        options: [
          { value: 'service', label: 'Service' },
          { value: 'kind', label: 'Kind' },
          { value: 'status', label: 'Status' },
        ],
      },
    })
    .addNumberInput({
      path: 'spanLimit',
      name: 'Large trace warning',
      description: 'Above this many spans, warn and start with the critical path off',
      defaultValue: d.spanLimit,
      settings: { min: 1, integer: true },
    })
);
