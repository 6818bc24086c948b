import { PanelPlugin } from '@grafana/data';
import { WaterfallPanel } from './WaterfallPanel';

export const plugin = new PanelPlugin(WaterfallPanel);
