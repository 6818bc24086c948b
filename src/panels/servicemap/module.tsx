import { PanelPlugin } from '@grafana/data';
import { ServiceMapPanel } from './ServiceMapPanel';

export const plugin = new PanelPlugin(ServiceMapPanel);
