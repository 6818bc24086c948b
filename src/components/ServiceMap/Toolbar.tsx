import React, { useId, useState } from 'react';
import { InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
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
  label: String(i + 1),
  description: i === 0 ? '1 hop away' : `up to ${i + 1} hops away`,
}));

/** Find a service, focus on one with its neighbours, hide virtual nodes, group by namespace. */
export function Toolbar({ styles, map, view, onViewChange, target, found, onFind, namespaces }: Props) {
  const listId = useId();
  const switchId = useId();
  const [text, setText] = useState(found ?? '');
  // A service found elsewhere (cleared by Escape) shows in the box: adjusted while rendering, as React advises.
  const [shownFound, setShownFound] = useState(found);
  if (found !== shownFound) {
    setShownFound(found);
    setText(found ?? '');
  }
  // An exact name finds at once (picked from the suggestions); Enter takes the first name containing the text.
  const find = (value: string, loose: boolean) => {
    if (map.nodes.some((n) => n.id === value)) {
      onFind(value);
      return;
    }
    const q = value.trim().toLowerCase();
    const hit = loose && q ? map.nodes.find((n) => n.id.toLowerCase().includes(q)) : undefined;
    if (hit) {
      onFind(hit.id);
    } else if (!q) {
      onFind(undefined);
    }
  };
  const focusOn = view.focus !== undefined;
  const focusable = focusOn || target !== undefined;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Service map">
      {/* A native list of suggestions: it scales to thousands of names without a custom popup. */}
      <Input
        width={30}
        placeholder="Find a service"
        aria-label="Find a service"
        list={listId}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          find(e.currentTarget.value, false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(text, true);
          }
        }}
        data-testid={testIds.serviceMap.find}
      />
      <datalist id={listId}>
        {map.nodes.map((n) => (
          <option key={n.id} value={n.id} />
        ))}
      </datalist>
      <span className={styles.group}>
        <InlineSwitch
          label={focusOn ? `Focus on ${view.focus}` : target ? `Focus on ${target}` : 'Focus (find or click a service)'}
          showLabel
          transparent
          disabled={!focusable}
          value={focusOn}
          onChange={() => onViewChange({ ...view, focus: focusOn ? undefined : target })}
          id={`${switchId}-focus`}
          data-testid={testIds.serviceMap.focus}
        />
        {/* Hops and direction shape a focused view only: without a focus they would change nothing. */}
        <span
          role="group"
          aria-label="Hops from the focused service"
          data-testid={testIds.serviceMap.hops}
          title={focusOn ? 'Calls away from the focused service' : 'Focus on a service to choose how far to look'}
        >
          <RadioButtonGroup
            size="sm"
            options={HOPS}
            value={view.hops}
            disabled={!focusOn}
            onChange={(hops) => onViewChange({ ...view, hops })}
          />
        </span>
        <span role="group" aria-label="Direction" data-testid={testIds.serviceMap.direction}>
          <RadioButtonGroup
            size="sm"
            options={DIRECTIONS}
            value={view.direction}
            disabled={!focusOn}
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
        id={`${switchId}-hideVirtual`}
        data-testid={testIds.serviceMap.hideVirtual}
      />
      {namespaces && (
        <InlineSwitch
          label="Group by namespace"
          showLabel
          transparent
          value={view.groupByNamespace}
          onChange={() => onViewChange({ ...view, groupByNamespace: !view.groupByNamespace })}
          id={`${switchId}-groupByNamespace`}
          data-testid={testIds.serviceMap.groupByNamespace}
        />
      )}
    </div>
  );
}
