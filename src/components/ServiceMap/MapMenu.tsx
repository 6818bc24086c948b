import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { IconName, Menu } from '@grafana/ui';
import { ServiceMapEdge, ServiceMapNode, USER_NODE } from '../../trace';
import { DataText } from '../DataText/DataText';
import { testIds } from '../testIds';
import { MapUnit, figureLines } from './format';
import { ServiceMapStyles } from './styles';
import { ServiceMapLink, safeLink } from './view';

export type MenuSubject = { kind: 'node'; node: ServiceMapNode } | { kind: 'edge'; edge: ServiceMapEdge };

interface Props {
  styles: ServiceMapStyles;
  subject: MenuSubject;
  unit: MapUnit;
  links: ServiceMapLink[];
  /** where it opens, in the stage's CSS pixels; kept inside the stage */
  x: number;
  y: number;
  stage: { width: number; height: number };
  onClose: () => void;
  onFocus?: () => void;
}

const CONNECTION: Record<string, string> = {
  database: 'database call',
  messaging_system: 'messaging',
  virtual_node: 'call to an uninstrumented peer',
};

/** What kind of call an edge is; a call from `user` is a request from outside, not a call to a peer. */
function connectionText(edge: ServiceMapEdge): string | undefined {
  if (edge.source === USER_NODE) {
    return 'requests entering at this service';
  }
  return CONNECTION[edge.connectionType];
}

/** The figures and links of a clicked node or edge; Escape or a click elsewhere closes it. */
export function MapMenu({ styles, subject, unit, links, x, y, stage, onClose, onFocus }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Keyboard users land in the menu; its first link is a Tab away.
    ref.current?.focus();
  }, [subject]);
  const figures = figureLines(subject.kind === 'node' ? subject.node : subject.edge, unit);
  const header =
    subject.kind === 'node' ? (
      <div className={styles.menuHeader}>
        <div className={styles.menuTitle}>
          <DataText>{subject.node.id}</DataText>
        </div>
        <ul className={styles.menuFigures}>
          {subject.node.virtual && <li>virtual node: a database, an uninstrumented peer or the caller outside</li>}
          {subject.node.namespace && (
            <li>
              namespace <DataText>{subject.node.namespace}</DataText>
            </li>
          )}
          {figures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </div>
    ) : (
      <div className={styles.menuHeader}>
        <div className={styles.menuTitle}>
          <DataText>{subject.edge.source}</DataText> → <DataText>{subject.edge.target}</DataText>
        </div>
        <ul className={styles.menuFigures}>
          {connectionText(subject.edge) && <li>{connectionText(subject.edge)}</li>}
          {figures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </div>
    );
  const safe = links.flatMap((l) => {
    const href = safeLink(l.href);
    return href ? [{ ...l, href }] : [];
  });
  const width = Math.min(280, stage.width - 16);
  // Beside the point, on the side with room; measured once rendered, then moved to fit (scrolls if taller).
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    setHeight(ref.current?.scrollHeight ?? 0);
  }, [subject, links.length]);
  const left = x + 24 + width <= stage.width - 8 ? x + 24 : Math.max(8, x - 24 - width);
  const fits = (top: number) => top >= 8 && top + height <= stage.height - 8;
  const top = fits(y + 8)
    ? y + 8
    : fits(y - 8 - height)
      ? y - 8 - height
      : Math.max(8, Math.min(y - height / 2, stage.height - height - 8));
  const style: React.CSSProperties = { left, top, maxHeight: stage.height - 16 };
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className={styles.menu}
      style={style}
      role="dialog"
      aria-label={
        subject.kind === 'node'
          ? `Service ${subject.node.id}`
          : `Calls from ${subject.edge.source} to ${subject.edge.target}`
      }
      data-testid={testIds.serviceMap.menu}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <Menu header={header} onClose={onClose}>
        {safe.map((l) => (
          <Menu.Item key={`${l.label}|${l.href}`} label={l.label} url={l.href} icon={l.icon as IconName | undefined} />
        ))}
        {onFocus && <Menu.Item label="Focus on this service" icon="sitemap" onClick={onFocus} />}
        <Menu.Item label="Close" icon="times" onClick={onClose} />
      </Menu>
    </div>
  );
}
