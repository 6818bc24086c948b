import React, { useEffect, useState } from 'react';
import { Card, Icon, Stack, Text } from '@grafana/ui';
import { dashboardExists } from '../../grafana/dashboards';
import { DEMO_DASHBOARD_UID, ROUTES, demoDashboardUrl, prefixRoute } from '../../routes';
import { testIds } from '../testIds';

const LINKS = [
  {
    name: 'search',
    title: 'Search traces',
    href: prefixRoute(ROUTES.Search),
    description: 'Find traces by service, span name, duration, status or request ID.',
    icon: 'search' as const,
  },
  {
    name: 'service-map',
    title: 'Service map',
    href: prefixRoute(ROUTES.ServiceMap),
    description: "Which services call which, from Tempo's service-graph metrics or a sample of traces.",
    icon: 'sitemap' as const,
  },
];

const DEMO = {
  name: 'dashboard',
  title: 'Demo dashboard',
  href: demoDashboardUrl(),
  description: "Traceway's panels on the demo stack's traces (provisioned with the compose stack).",
  icon: 'apps' as const,
};

interface Props {
  /** For tests: whether a dashboard exists (default: Grafana's dashboard API). */
  exists?: (uid: string) => Promise<boolean>;
}

/** Step 4: where to go next; the demo dashboard only where it is provisioned (the compose stack). */
export function DoneStep({ exists = dashboardExists }: Props) {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    let live = true;
    void exists(DEMO_DASHBOARD_UID).then((found) => live && setDemo(found));
    return () => {
      live = false;
    };
  }, [exists]);
  const links = demo ? [...LINKS, DEMO] : LINKS;
  return (
    <Stack direction="column" gap={2}>
      <Text color="secondary">
        With the checks green and a Tempo data source in place, the app&apos;s pages have what they need. Where to next:
      </Text>
      <Stack direction="column" gap={1} maxWidth={100}>
        {links.map((link) => (
          <Card key={link.name} href={link.href} data-testid={testIds.appConfig.doneLink(link.name)}>
            <Card.Heading>{link.title}</Card.Heading>
            <Card.Description>{link.description}</Card.Description>
            <Card.Figure>
              <Icon name={link.icon} size="xl" />
            </Card.Figure>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
