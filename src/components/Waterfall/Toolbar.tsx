import React, { RefObject, useMemo } from 'react';
import { Button, Dropdown, InlineSwitch, Input, Menu, Tooltip } from '@grafana/ui';
import { testIds } from '../testIds';
import { WaterfallStyles } from './styles';
import { CollapseState } from './useCollapse';
import { FIND_HELP, FindState } from './useFind';

interface Props {
  styles: WaterfallStyles;
  find: FindState;
  findRef: RefObject<HTMLInputElement>;
  view: CollapseState;
  maxDepth: number;
  criticalOn: boolean;
  onCriticalChange: (on: boolean) => void;
  zoomed: boolean;
  onResetZoom: () => void;
}

export const CRITICAL_PATH_HELP =
  'The critical path is the chain of work that decided how long the trace took: at each moment, the ' +
  'span the request was waiting on. The outlined stripe marks the part of each bar on it. Work off ' +
  'the path, and async children, ran in parallel: making them faster does not make the request faster.';

/** Find, the row filters and collapse controls, and "Show whole trace" when zoomed. */
export function Toolbar({
  styles,
  find,
  findRef,
  view,
  maxDepth,
  criticalOn,
  onCriticalChange,
  zoomed,
  onResetZoom,
}: Props) {
  const depthOptions = useMemo(
    () =>
      Array.from({ length: Math.min(maxDepth, 20) }, (_, d) => ({
        depth: d,
        label: d === 0 ? 'Roots only' : `Depth ${d}`,
      })),
    [maxDepth]
  );
  const noHits = find.hits.length === 0;
  return (
    <div className={styles.toolbar}>
      <Input
        ref={findRef}
        width={32}
        placeholder="Find in trace ( / )"
        aria-label="Find in trace"
        title={FIND_HELP}
        value={find.query}
        onChange={(e) => find.setQuery(e.currentTarget.value)}
        data-testid={testIds.waterfall.find}
      />
      <span className={styles.findCount} data-testid={testIds.waterfall.findCount} aria-live="polite">
        {find.status}
      </span>
      {/* Text buttons, not icons: they read the same everywhere, including where icons fail to load. */}
      <Button
        size="sm"
        variant="secondary"
        fill="outline"
        tooltip="Previous match (Shift+Enter)"
        disabled={noHits}
        onClick={() => find.step(-1)}
        data-testid={testIds.waterfall.findPrev}
      >
        Prev
      </Button>
      <Button
        size="sm"
        variant="secondary"
        fill="outline"
        tooltip="Next match (Enter)"
        disabled={noHits}
        onClick={() => find.step(1)}
        data-testid={testIds.waterfall.findNext}
      >
        Next
      </Button>
      <InlineSwitch
        label="Errors only"
        showLabel
        transparent
        value={view.errorsOnly}
        onChange={() => view.setErrorsOnly(!view.errorsOnly)}
        data-testid={testIds.waterfall.errorsOnly}
      />
      <span className={styles.criticalControl}>
        <InlineSwitch
          label="Critical path"
          showLabel
          transparent
          value={criticalOn}
          onChange={() => onCriticalChange(!criticalOn)}
          data-testid={testIds.waterfall.criticalPath}
        />
        <Tooltip content={CRITICAL_PATH_HELP} placement="bottom">
          {/* The legend: a sample bar with the stripe, explained on hover or focus. */}
          <span
            className={styles.criticalLegend}
            tabIndex={0}
            role="img"
            aria-label={`Critical path legend. ${CRITICAL_PATH_HELP}`}
            data-testid={testIds.waterfall.criticalLegend}
          >
            <span className={styles.criticalSample}>
              <span className={styles.criticalSection} style={{ left: '30%', width: '70%' }} />
            </span>
            ?
          </span>
        </Tooltip>
      </span>
      <Button size="sm" variant="secondary" onClick={view.collapseAll} data-testid={testIds.waterfall.collapseAll}>
        Collapse all
      </Button>
      <Button size="sm" variant="secondary" onClick={view.expandAll} data-testid={testIds.waterfall.expandAll}>
        Expand all
      </Button>
      {depthOptions.length > 1 && (
        <Dropdown
          overlay={
            <Menu>
              {depthOptions.map((o) => (
                <Menu.Item key={o.depth} label={o.label} onClick={() => view.collapseToDepth(o.depth)} />
              ))}
            </Menu>
          }
        >
          <Button size="sm" variant="secondary" data-testid={testIds.waterfall.collapseToDepth}>
            Collapse to depth ▾
          </Button>
        </Dropdown>
      )}
      {zoomed && (
        <Button
          size="sm"
          variant="secondary"
          fill="text"
          onClick={onResetZoom}
          data-testid={testIds.waterfall.resetZoom}
        >
          Show whole trace
        </Button>
      )}
    </div>
  );
}
