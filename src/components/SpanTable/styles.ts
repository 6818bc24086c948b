import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { gridRowStyles, rightShadeStyles } from '../VirtualGrid/VirtualGrid';

export const ROW_HEIGHT = 28;
export const HEADER_HEIGHT = 30;
/** The Service column's width: the Name column sticks right after it. */
export const SERVICE_WIDTH = 150;

/** All of the table's styles come from the theme (as the waterfall's), so light and dark both work. */
export function getSpanTableStyles(theme: GrafanaTheme2) {
  const rowLook = gridRowStyles(theme, ROW_HEIGHT);
  return {
    root: css({
      display: 'flex',
      flexDirection: 'column',
      minHeight: 0,
      background: theme.colors.background.primary,
      color: theme.colors.text.primary,
      fontSize: theme.typography.bodySmall.fontSize,
      position: 'relative',
    }),
    toolbar: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(0.5, 0, 1),
    }),
    count: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }),
    pickerWrap: css({ position: 'relative' }),
    picker: css({
      position: 'absolute',
      top: '100%',
      left: 0,
      zIndex: theme.zIndex.dropdown,
      marginTop: theme.spacing(0.5),
      width: 360,
      padding: theme.spacing(1),
      background: theme.colors.background.elevated,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      boxShadow: theme.shadows.z3,
    }),
    pickerList: css({
      listStyle: 'none',
      margin: theme.spacing(1, 0, 0),
      padding: 0,
      maxHeight: 320,
      overflowY: 'auto',
    }),
    pickerItem: css({
      all: 'unset',
      boxSizing: 'border-box',
      display: 'flex',
      width: '100%',
      gap: theme.spacing(1),
      alignItems: 'baseline',
      padding: theme.spacing(0.5, 1),
      borderRadius: theme.shape.radius.default,
      cursor: 'pointer',
      '&:hover': { background: theme.colors.action.hover },
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
    }),
    pickerKey: css({ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
    muted: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
    pickerFooter: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'space-between',
      gap: theme.spacing(1),
      marginTop: theme.spacing(1),
      paddingTop: theme.spacing(1),
      borderTop: `1px solid ${theme.colors.border.weak}`,
    }),
    pickerNote: css({ color: theme.colors.text.secondary, padding: theme.spacing(0.5, 1) }),
    body: css({ position: 'relative', flex: 1, minHeight: 0, borderTop: `1px solid ${theme.colors.border.weak}` }),
    scroll: css({
      position: 'absolute',
      inset: 0,
      overflow: 'auto',
      outline: 'none',
      overscrollBehavior: 'contain',
      '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.border}` },
    }),
    rows: css({ position: 'relative', width: '100%' }),
    grid: css({ display: 'grid', alignItems: 'stretch' }),
    header: css({
      position: 'sticky',
      top: 0,
      zIndex: 2,
      height: HEADER_HEIGHT,
      background: theme.colors.background.secondary,
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
    }),
    headerCell: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(0.25),
      minWidth: 0,
      padding: theme.spacing(0, 1),
      borderRight: `1px solid ${theme.colors.border.weak}`,
    }),
    removeColumn: css({
      all: 'unset',
      cursor: 'pointer',
      flexShrink: 0,
      width: 16,
      height: 16,
      lineHeight: '16px',
      textAlign: 'center',
      borderRadius: theme.shape.radius.default,
      color: theme.colors.text.secondary,
      '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
    }),
    row: css({ ...rowLook.row, boxSizing: 'border-box' }),
    // Service and Name stay in view when the grid scrolls sideways: opaque, with the row's hover and active
    // colours laid over the page's background (the row's own background is behind them).
    stickyCell: css({
      position: 'sticky',
      zIndex: 1,
      background: theme.colors.background.primary,
      '[role="row"]:hover > &': { backgroundImage: layer(theme.colors.action.hover) },
      '[role="row"][aria-selected="true"] > &': { backgroundImage: layer(theme.colors.action.selected) },
    }),
    stickyService: css({ left: 0 }),
    stickyName: css({
      left: SERVICE_WIDTH,
      // scrolled sideways: a shadow where the other columns pass under Name
      '[data-scrolled-x="true"] &': {
        boxShadow: `4px 0 6px -2px ${theme.isDark ? 'rgba(0, 0, 0, 0.6)' : 'rgba(0, 0, 0, 0.18)'}`,
        borderRight: `1px solid ${theme.colors.border.medium}`,
      },
    }),
    // the row's error and active bars, which the opaque Service cell would cover
    stickyError: css({ boxShadow: `inset 3px 0 0 ${theme.colors.error.main}` }),
    stickyActive: css({ boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}` }),
    headerSticky: css({ position: 'sticky', zIndex: 1, background: theme.colors.background.secondary }),
    // columns hidden at the right: a shade at the rows' right edge (left of a classic scrollbar)
    moreRight: css({ ...rightShadeStyles(theme), top: 0, bottom: 0, zIndex: 3 }),
    moreColumns: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
    rowActive: css(rowLook.rowActive),
    rowError: css({ boxShadow: `inset 3px 0 0 ${theme.colors.error.main}` }),
    cell: css({
      display: 'flex',
      alignItems: 'center',
      minWidth: 0,
      padding: theme.spacing(0, 1),
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      '& > bdi': { overflow: 'hidden', textOverflow: 'ellipsis' },
    }),
    numeric: css({ justifyContent: 'flex-end', fontVariantNumeric: 'tabular-nums' }),
    swatch: css({ flexShrink: 0, width: 4, alignSelf: 'stretch', margin: '5px 6px 5px 0', borderRadius: 1 }),
    secondary: css({ color: theme.colors.text.secondary }),
    errorMark: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      padding: '0 6px',
      lineHeight: '16px',
      borderRadius: theme.shape.radius.default,
      background: theme.colors.error.main,
      color: theme.colors.error.contrastText,
      fontWeight: theme.typography.fontWeightMedium,
    }),
    noValue: css({ color: theme.colors.text.disabled }),
    empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  };
}

/** A colour laid over a background colour: as a one-colour gradient image. */
const layer = (color: string) => `linear-gradient(${color}, ${color})`;

export type SpanTableStyles = ReturnType<typeof getSpanTableStyles>;
