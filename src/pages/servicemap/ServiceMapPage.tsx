import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import { NoData } from '../../components/NoData/NoData';
import { useAppSettings } from '../../components/AppSettingsContext';

function ServiceMapPage() {
  const { prometheusDatasourceUid } = useAppSettings();
  return (
    <PluginPage>
      <div data-testid={testIds.serviceMapPage.container}>
        <NoData title="The service map is not built yet">
          Services and their calls will show here from Tempo&apos;s service-graph metrics
          {prometheusDatasourceUid ? ` in the Prometheus data source "${prometheusDatasourceUid}"` : ''}.
        </NoData>
      </div>
    </PluginPage>
  );
}

export default ServiceMapPage;
