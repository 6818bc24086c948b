import React, { useMemo } from 'react';
import { Combobox, ComboboxOption, InlineSwitch, RadioButtonGroup } from '@grafana/ui';
import { FocusDirection, ServiceMap } from '../../trace';
import { testIds } from '../testIds';
import { ServiceMapStyles } from './styles';
import { MAX_HOPS, ServiceMapView } from './view';

interface Props {
  styles: ServiceMapStyles;
  map: ServiceMap;
  view: ServiceMapView;
  onViewChange: (view: ServiceMapView) => void;
  /** the service found or clicked last: what "Focus" focuses */
  target?: string;
  found?: string;
  onFind: (id: string | undefined) => void;
  namespaces: boolean;
}

const DIRECTIONS: Array<{ value: FocusDirection; label: string; description: string }> = [
  { value: 'upstream', label: 'Callers', description: 'The services that call it, and theirs' },
  { value: 'both', label: 'Both', description: 'Callers and callees' },
  { value: 'downstream', label: 'Callees', description: 'The services it calls, and theirs' },
];

const HOPS = Array.from({ length: MAX_HOPS }, (_, i) => ({
  value: i + 1,
  label: i === 0 ? '1 hop' : `${i + 1} hops`,
}));

/** Find a service, focus on one with its neighbours, hide virtual nodes, group by namespace. */
export function Toolbar({ styles, map, view, onViewChange, target, found, onFind, namespaces }: Props) {
  const options = useMemo<Array<ComboboxOption<string>>>(
    () =>
      map.nodes.map((n) => ({
        value: n.id,
        label: n.id,
        description: n.virtual ? 'virtual node' : n.namespace,
      })),
    [map.nodes]
  );
  const focusOn = view.focus !== undefined;
  const focusable = focusOn || target !== undefined;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Service map">
      <div data-testid={testIds.serviceMap.find}>
        <Combobox
          options={options}
          value={found ?? null}
          onChange={(o) => onFind(o?.value)}
          isClearable
          width={32}
          placeholder="Find a service"
          aria-label="Find a service"
        />
      </div>
      <span className={styles.group}>
        <InlineSwitch
          label={focusOn ? `Focus on ${view.focus}` : target ? `Focus on ${target}` : 'Focus (find or click a service)'}
          showLabel
          transparent
          disabled={!focusable}
          value={focusOn}
          onChange={() => onViewChange({ ...view, focus: focusOn ? undefined : target })}
          data-testid={testIds.serviceMap.focus}
        />
        <span data-testid={testIds.serviceMap.hops}>
          <Combobox<number>
            aria-label="Hops from the focused service"
            width={12}
            options={HOPS}
            value={view.hops}
            onChange={(o) => onViewChange({ ...view, hops: o.value })}
          />
        </span>
        <span data-testid={testIds.serviceMap.direction}>
          <RadioButtonGroup
            size="sm"
            options={DIRECTIONS}
            value={view.direction}
            onChange={(direction) => onViewChange({ ...view, direction })}
          />
        </span>
      </span>
      <InlineSwitch
        label="Hide virtual nodes"
        showLabel
        transparent
        value={view.hideVirtual}
        onChange={() => onViewChange({ ...view, hideVirtual: !view.hideVirtual })}
        data-testid={testIds.serviceMap.hideVirtual}
      />
      {namespaces && (
        <InlineSwitch
          label="Group by namespace"
          showLabel
          transparent
          value={view.groupByNamespace}
          onChange={() => onViewChange({ ...view, groupByNamespace: !view.groupByNamespace })}
          data-testid={testIds.serviceMap.groupByNamespace}
        />
      )}
    </div>
  );
}
