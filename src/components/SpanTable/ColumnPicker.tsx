import React, { useEffect, useRef, useState } from 'react';
import { Button, Input } from '@grafana/ui';
import { AttributeKeyCount, Trace, attributeKeys } from '../../trace';
import { DataText } from '../DataText/DataText';
import { testIds } from '../testIds';
import { SpanTableStyles } from './styles';

const ids = testIds.spanTable;

/** Keys listed at once; typing narrows a longer list. */
const SHOWN_KEYS = 200;

interface Props {
  trace: Trace;
  styles: SpanTableStyles;
  /** keys that already have a column */
  added: string[];
  onAdd: (key: string) => void;
}

/**
 * "Add column": the attribute keys of the trace (span and resource), the most common first, narrowed by typing.
 * The list is computed the first time the picker opens, then kept for the trace. It stays open after an add, so
 * that several columns take one opening; Escape, Done, the button or a click outside close it.
 */
export function ColumnPicker({ trace, styles, added, onAdd }: Props) {
  const [open, setOpen] = useState(false);
  const [find, setFind] = useState('');
  // computed on the first opening; the table is keyed by trace, so this is once per trace
  const [keys, setKeys] = useState<AttributeKeyCount[] | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const findRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    const onDown = (e: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const needle = find.trim().toLowerCase();
  const matching = keys ? keys.filter((k) => !added.includes(k.key) && k.key.toLowerCase().includes(needle)) : [];

  // The added key leaves the list (its button with the focus): the focus goes back to the find box, emptied.
  const add = (key: string) => {
    onAdd(key);
    setFind('');
    findRef.current?.focus();
  };

  const close = () => {
    setOpen(false);
    setFind('');
    buttonRef.current?.focus();
  };

  return (
    <div
      ref={wrapRef}
      className={styles.pickerWrap}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <Button
        ref={buttonRef}
        size="sm"
        variant="secondary"
        icon="plus"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => {
          if (open) {
            close();
          } else {
            setKeys((k) => k ?? attributeKeys(trace));
            setOpen(true);
          }
        }}
        data-testid={ids.addColumn}
      >
        Add column
      </Button>
      {open && (
        <div className={styles.picker} role="dialog" aria-label="Add an attribute column" data-testid={ids.picker}>
          <Input
            ref={findRef}
            autoFocus
            placeholder="Find an attribute key"
            aria-label="Find an attribute key"
            value={find}
            onChange={(e) => setFind(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matching.length > 0) {
                e.preventDefault();
                add(matching[0].key);
              }
            }}
            data-testid={ids.pickerFind}
          />
          <ul className={styles.pickerList} aria-label="Attribute keys, the most common first">
            {matching.slice(0, SHOWN_KEYS).map((k) => (
              <li key={k.key}>
                <button
                  type="button"
                  className={styles.pickerItem}
                  onClick={() => add(k.key)}
                  data-testid={ids.pickerKey(k.key)}
                >
                  <DataText className={styles.pickerKey}>{k.key}</DataText>
                  <span className={styles.muted}>
                    {k.spans.toLocaleString('en-US')} {k.spans === 1 ? 'span' : 'spans'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {matching.length === 0 && (
            <div className={styles.pickerNote}>
              {needle === '' ? 'Every attribute key already has a column.' : 'No attribute key contains this text.'}
            </div>
          )}
          {matching.length > SHOWN_KEYS && (
            <div className={styles.pickerNote}>
              {SHOWN_KEYS} of {matching.length.toLocaleString('en-US')} keys shown: type to narrow.
            </div>
          )}
          <div className={styles.pickerFooter}>
            <span className={styles.muted}>
              {added.length === 0 ? 'Pick one or more keys' : `${added.length} added, at the right of the table`}
            </span>
            <Button size="sm" variant="secondary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
