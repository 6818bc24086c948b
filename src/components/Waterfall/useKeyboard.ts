import React, { RefObject } from 'react';
import { Trace } from '../../trace';
import { HEADER_HEIGHT } from './styles';
import { CollapseState } from './useCollapse';
import { FindState } from './useFind';
import { SelectionState } from './useSelection';

interface Args {
  trace: Trace;
  rowHeight: number;
  listRef: RefObject<HTMLDivElement>;
  findRef: RefObject<HTMLInputElement>;
  find: FindState;
  view: CollapseState;
  selection: SelectionState;
  /** under a timeline filter, 1 at each row with a child on screen (the rows draw arrows only there) */
  shownChildren: Uint8Array | null;
}

/**
 * The waterfall's keys, on its root element: `/` goes to find, Enter and Shift+Enter step through
 * matches, Escape leaves find or closes the details, and on the list the keys of a tree (arrows,
 * Page Up/Down, Home/End, Enter to open the details).
 */
export function useKeyboard({ trace, rowHeight, listRef, findRef, find, view, selection, shownChildren }: Args) {
  const { rows, rowOf, collapsed, toggle } = view;
  const { selected, detailsOpen, setDetailsOpen, moveTo } = selection;

  const moveToRow = (row: number) => {
    if (rows.length > 0) {
      moveTo(rows[Math.min(rows.length - 1, Math.max(0, row))]);
    }
  };

  return (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target === findRef.current) {
      if (e.key === 'Enter') {
        e.preventDefault();
        find.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        find.setQuery('');
        listRef.current?.focus();
      }
      return;
    }
    const typing =
      (target instanceof HTMLInputElement && target.type !== 'checkbox') || target instanceof HTMLTextAreaElement;
    if (typing || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      findRef.current?.focus();
      return;
    }
    if (e.key === 'Escape') {
      if (detailsOpen) {
        e.preventDefault();
        setDetailsOpen(false);
        listRef.current?.focus();
      }
      return;
    }
    const list = listRef.current;
    if (!list || !list.contains(target)) {
      return;
    }
    const row = selected >= 0 ? rowOf[selected] : -1;
    const page = Math.max(1, Math.floor((list.clientHeight - HEADER_HEIGHT) / rowHeight) - 1);
    const hasChildren =
      selected >= 0 && (shownChildren ? shownChildren[selected] === 1 : trace.subtreeSize[selected] > 1);
    switch (e.key) {
      case 'ArrowDown':
        moveToRow(row < 0 ? 0 : row + 1);
        break;
      case 'ArrowUp':
        moveToRow(row < 0 ? rows.length - 1 : row - 1);
        break;
      case 'PageDown':
        moveToRow(row + page);
        break;
      case 'PageUp':
        moveToRow(row - page);
        break;
      case 'Home':
        moveToRow(0);
        break;
      case 'End':
        moveToRow(rows.length - 1);
        break;
      case 'ArrowLeft':
        if (hasChildren && collapsed[selected] !== 1) {
          toggle(selected);
        } else if (selected >= 0 && trace.parent[selected] >= 0 && rowOf[trace.parent[selected]] >= 0) {
          moveToRow(rowOf[trace.parent[selected]]);
        }
        break;
      case 'ArrowRight':
        if (hasChildren && collapsed[selected] === 1) {
          toggle(selected);
        } else if (hasChildren) {
          moveToRow(row + 1);
        }
        break;
      case 'Enter':
        if (selected >= 0) {
          setDetailsOpen(true);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  };
}
