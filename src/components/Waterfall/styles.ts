import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

export const INDENT = 14;
export const HEADER_HEIGHT = 28;

/**
 * The name column is the chosen percentage of the list, but never under 200 px (deep rows need
 * room for indentation and a name) unless that is more than half the list: cells take the
 * percentage as width and this as min-width, positions along the column's edge `nameColumnEdge`.
 */
export const NAME_MIN_WIDTH = 'min(200px, 50%)';

export function nameColumnEdge(percent: number): string {
  return `max(${percent}%, ${NAME_MIN_WIDTH})`;
}

/** All of the waterfall's styles come from the theme, so light and dark both work. */
export function getWaterfallStyles(theme: GrafanaTheme2) {
  const guide = theme.colors.border.weak;
  return {
    root: css({
      display: 'flex',
      flexDirection: 'column',
      minHeight: 0,
      background: theme.colors.background.primary,
      color: theme.colors.text.primary,
      fontSize: theme.typography.bodySmall.fontSize,
      position: 'relative',
      '&:focus-within': { outline: 'none' },
    }),
    toolbar: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(0.5, 0, 1),
    }),
    findCount: css({ color: theme.colors.text.secondary, minWidth: 72, whiteSpace: 'nowrap' }),
    body: css({ display: 'flex', flex: 1, minHeight: 0, borderTop: `1px solid ${theme.colors.border.weak}` }),
    listWrap: css({ position: 'relative', flex: 1, minWidth: 0, minHeight: 0 }),
    list: css({
      position: 'absolute',
      inset: 0,
      overflow: 'auto',
      outline: 'none',
      overscrollBehavior: 'contain',
      '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.border}` },
    }),
    header: css({
      position: 'sticky',
      top: 0,
      zIndex: 2,
      display: 'flex',
      height: HEADER_HEIGHT,
      background: theme.colors.background.secondary,
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      color: theme.colors.text.secondary,
    }),
    headerName: css({
      display: 'flex',
      alignItems: 'center',
      padding: theme.spacing(0, 1),
      borderRight: `1px solid ${theme.colors.border.weak}`,
      flexShrink: 0,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
    }),
    axis: css({ position: 'relative', flex: 1, overflow: 'hidden' }),
    tick: css({
      position: 'absolute',
      top: 0,
      bottom: 0,
      borderLeft: `1px solid ${theme.colors.border.medium}`,
      paddingLeft: 3,
      lineHeight: `${HEADER_HEIGHT}px`,
      whiteSpace: 'nowrap',
      fontVariantNumeric: 'tabular-nums',
    }),
    gridLines: css({ position: 'absolute', top: HEADER_HEIGHT, bottom: 0, right: 0, pointerEvents: 'none' }),
    gridLine: css({ position: 'absolute', top: 0, bottom: 0, borderLeft: `1px dashed ${theme.colors.border.weak}` }),
    rows: css({ position: 'relative', width: '100%' }),
    row: css({
      position: 'absolute',
      top: 0,
      left: 0,
      width: '100%',
      display: 'flex',
      alignItems: 'stretch',
      cursor: 'pointer',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      '&:hover': { background: theme.colors.action.hover },
    }),
    rowSelected: css({
      background: theme.colors.action.selected,
      boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}`,
      '&:hover': { background: theme.colors.action.selected },
    }),
    rowMatch: css({ background: theme.colors.warning.transparent }),
    // A filter's ancestor row: kept so the tree reads, faded so the filter's own spans stand out.
    rowDimmed: css({ '& > *': { opacity: 0.5 } }),
    nameCell: css({
      display: 'flex',
      alignItems: 'center',
      flexShrink: 0,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      paddingRight: theme.spacing(1),
      borderRight: `1px solid ${theme.colors.border.weak}`,
    }),
    indent: css({
      flexShrink: 0,
      alignSelf: 'stretch',
      backgroundImage: `linear-gradient(to right, ${guide} 1px, transparent 1px)`,
      backgroundSize: `${INDENT}px 100%`,
      backgroundPosition: `${INDENT / 2 + 4}px 0`,
      marginLeft: 4,
    }),
    toggle: css({
      flexShrink: 0,
      width: 16,
      padding: 0,
      border: 'none',
      background: 'none',
      color: theme.colors.text.secondary,
      cursor: 'pointer',
      fontSize: 12,
      lineHeight: 1,
      '&:hover': { color: theme.colors.text.primary },
    }),
    toggleSpacer: css({ flexShrink: 0, width: 16 }),
    swatch: css({
      flexShrink: 0,
      width: 4,
      alignSelf: 'stretch',
      margin: '4px 6px 4px 2px',
      borderRadius: 1,
    }),
    // The span name keeps its room; the service after it shrinks first (a much larger flex-shrink)
    // and is cut with an ellipsis, down to nothing in a very narrow column.
    spanName: css({ flex: '0 1 auto', minWidth: 24, overflow: 'hidden', textOverflow: 'ellipsis' }),
    noName: css({ color: theme.colors.text.secondary, fontStyle: 'italic', paddingRight: 2 }),
    service: css({
      flex: '0 1000 auto',
      minWidth: 0,
      marginLeft: theme.spacing(0.75),
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      color: theme.colors.text.secondary,
    }),
    skewMark: css({
      marginLeft: theme.spacing(0.5),
      flexShrink: 0,
      padding: '0 4px',
      lineHeight: '14px',
      borderRadius: theme.shape.radius.default,
      border: `1px solid ${theme.colors.warning.border}`,
      color: theme.colors.warning.text,
      fontSize: 10,
      textTransform: 'uppercase',
      letterSpacing: 0.3,
    }),
    hiddenCount: css({
      marginLeft: theme.spacing(0.5),
      padding: '0 4px',
      borderRadius: theme.shape.radius.pill,
      background: theme.colors.background.secondary,
      color: theme.colors.text.secondary,
      flexShrink: 0,
    }),
    errorMark: css({
      marginLeft: theme.spacing(0.5),
      flexShrink: 0,
      width: 14,
      height: 14,
      lineHeight: '14px',
      textAlign: 'center',
      borderRadius: '50%',
      fontWeight: theme.typography.fontWeightBold,
      background: theme.colors.error.main,
      color: theme.colors.error.contrastText,
    }),
    barCell: css({ position: 'relative', flex: 1, overflow: 'hidden' }),
    bar: css({
      position: 'absolute',
      top: '25%',
      height: '50%',
      minWidth: 2,
      borderRadius: 2,
      overflow: 'hidden',
    }),
    barError: css({ outline: `2px solid ${theme.colors.error.main}`, outlineOffset: -1 }),
    // The critical part of a bar: a stripe through its middle in the theme's strongest contrast
    // (white on dark, black on light) with an outline in the background's colour, so that it shows
    // on light, dark and saturated bars alike.
    criticalSection: css({
      position: 'absolute',
      top: '50%',
      height: 4,
      marginTop: -2,
      minWidth: 2,
      borderRadius: 1,
      background: theme.colors.text.maxContrast,
      boxShadow: `0 0 0 1px ${theme.colors.background.primary}`,
    }),
    criticalControl: css({ display: 'inline-flex', alignItems: 'center' }),
    criticalLegend: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      marginLeft: theme.spacing(0.5),
      padding: theme.spacing(0, 0.5),
      borderRadius: theme.shape.radius.default,
      color: theme.colors.text.secondary,
      cursor: 'help',
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
    }),
    criticalSample: css({
      position: 'relative',
      display: 'inline-block',
      width: 28,
      height: 12,
      borderRadius: 2,
      overflow: 'hidden',
      background: theme.colors.text.secondary,
    }),
    duration: css({
      position: 'absolute',
      top: 0,
      bottom: 0,
      display: 'flex',
      alignItems: 'center',
      padding: theme.spacing(0, 0.5),
      color: theme.colors.text.secondary,
      whiteSpace: 'nowrap',
      pointerEvents: 'none',
      fontVariantNumeric: 'tabular-nums',
    }),
    durationOver: css({
      marginLeft: theme.spacing(0.5),
      span: {
        padding: '0 4px',
        borderRadius: theme.shape.radius.default,
        background: theme.colors.background.primary,
        color: theme.colors.text.primary,
        opacity: 0.9,
      },
    }),
    notices: css({ flexShrink: 0 }),
    details: css({
      position: 'relative',
      flexShrink: 0,
      width: '34%',
      minWidth: 260,
      maxWidth: 560,
      borderLeft: `1px solid ${theme.colors.border.medium}`,
      background: theme.colors.background.primary,
    }),
    detailsScroll: css({ position: 'absolute', inset: 0, overflow: 'auto', padding: theme.spacing(1, 1.5) }),
    empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  };
}

export type WaterfallStyles = ReturnType<typeof getWaterfallStyles>;
