import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, Text, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

interface Props {
  title: string;
  children?: React.ReactNode;
}

/** The empty state shared by panels and pages: says what is missing and what to do about it. */
export function NoData({ title, children }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.container} data-testid={testIds.noData}>
      <Icon name="info-circle" size="xl" className={styles.icon} />
      <Text element="h4">{title}</Text>
      {children && (
        <Text color="secondary" element="p">
          {children}
        </Text>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    height: '100%',
    padding: theme.spacing(2),
    textAlign: 'center',
  }),
  icon: css({
    color: theme.colors.text.secondary,
  }),
});
