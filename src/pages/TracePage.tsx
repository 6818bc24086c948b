import React from 'react';
import { useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { testIds } from '../components/testIds';
import { NoData } from '../components/NoData/NoData';

function TracePage() {
  const { traceId = '' } = useParams();
  return (
    <PluginPage pageNav={{ text: `Trace ${traceId}` }}>
      <div data-testid={testIds.tracePage.container}>
        <NoData title="The trace view is not built yet">
          Trace <span data-testid={testIds.tracePage.traceId}>{traceId}</span> will open here in the waterfall.
        </NoData>
      </div>
    </PluginPage>
  );
}

export default TracePage;
