import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import { Attribute, valueToString } from '../../trace';
import { testIds } from '../testIds';
import { safeHttpUrl } from './links';

/*
 * Attribute tables of the span details. Values are trace data: rendered as text, and linked only
 * when they are http(s) URLs (see links.ts).
 */

export function Attributes({ title, scope, attributes }: { title: string; scope: string; attributes: Attribute[] }) {
  const styles = useStyles2(getStyles);
  return (
    <>
      <h5 className={styles.section}>
        {title} ({attributes.length})
      </h5>
      <AttributeList scope={scope} attributes={attributes} />
    </>
  );
}

export function AttributeList({ scope, attributes }: { scope: string; attributes: Attribute[] }) {
  const styles = useStyles2(getStyles);
  if (attributes.length === 0) {
    return null;
  }
  return (
    <table className={styles.attrs}>
      <tbody>
        {attributes.map((a, i) => {
          const value = valueToString(a);
          const url = a.type === 'string' ? safeHttpUrl(a.value) : null;
          return (
            <tr key={`${a.key}\u0000${i}`} data-testid={testIds.waterfall.attribute(scope, a.key)}>
              <th scope="row">{a.key}</th>
              <td>
                {url ? (
                  <a href={url} target="_blank" rel="noopener noreferrer" className={styles.link}>
                    {value}
                  </a>
                ) : (
                  <span className={styles.value}>{value}</span>
                )}
              </td>
              <td className={styles.copyCell}>
                <ClipboardButton
                  size="sm"
                  fill="text"
                  variant="secondary"
                  icon="copy"
                  getText={() => value}
                  aria-label={`Copy ${a.key}`}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ margin: theme.spacing(1.5, 0, 0.5), fontSize: theme.typography.h6.fontSize }),
  attrs: css({
    width: '100%',
    borderCollapse: 'collapse',
    tableLayout: 'fixed',
    th: {
      width: '40%',
      textAlign: 'left',
      fontWeight: theme.typography.fontWeightRegular,
      color: theme.colors.text.secondary,
      verticalAlign: 'top',
      padding: theme.spacing(0.25, 1, 0.25, 0),
      wordBreak: 'break-word',
    },
    td: { verticalAlign: 'top', padding: theme.spacing(0.25, 0), wordBreak: 'break-word' },
    tr: { borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  value: css({ whiteSpace: 'pre-wrap', fontFamily: theme.typography.fontFamilyMonospace }),
  copyCell: css({ width: 32, textAlign: 'right' }),
  link: css({ color: theme.colors.text.link, wordBreak: 'break-all', '&:hover': { textDecoration: 'underline' } }),
});
