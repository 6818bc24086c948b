import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import { Attribute, valueToString } from '../../trace';
import { testIds } from '../testIds';
import { linkTarget } from './links';
import { DataText } from '../DataText/DataText';

/*
 * Attribute tables of the span details. Keys and values are trace data: rendered as isolated text
 * (DataText), and linked only when they are http(s) URLs (see links.ts). A link whose text does not
 * plainly start with where it goes (`https://good.example@evil.example/`, look-alike letters, reversed
 * text) is followed by the host it really goes to.
 */

export function Attributes({
  title,
  scope,
  attributes,
}: {
  title: React.ReactNode;
  scope: string;
  attributes: Attribute[];
}) {
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
          const link = a.type === 'string' ? linkTarget(a.value) : null;
          return (
            <tr key={`${a.key}\u0000${i}`} data-testid={testIds.waterfall.attribute(scope, a.key)}>
              <th scope="row">
                <DataText breakAtPunctuation>{a.key}</DataText>
              </th>
              <td>
                {link ? (
                  <>
                    <a
                      href={link.href}
                      target="_blank"
                      rel="noopener noreferrer"
                      className={styles.link}
                      title={`Opens ${link.href}`}
                    >
                      <DataText>{value}</DataText>
                    </a>
                    {!link.textShowsHost && (
                      <span className={styles.host} title={`The link goes to ${link.host}`}>
                        {' '}
                        (<DataText>{link.host}</DataText>)
                      </span>
                    )}
                  </>
                ) : (
                  <DataText className={styles.value}>{value}</DataText>
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
  host: css({
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    wordBreak: 'break-all',
  }),
});
