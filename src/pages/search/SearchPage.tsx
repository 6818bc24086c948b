import React, { FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Button, Field, Input, Stack, Text } from '@grafana/ui';
import { tracePagePath } from '../../routes';
import { testIds } from '../../components/testIds';
import { useAppSettings } from '../../components/AppSettingsContext';
import { normalizeTraceId } from '../../tempo';

function SearchPage() {
  const navigate = useNavigate();
  const { tempoDatasourceUid } = useAppSettings();
  const [traceId, setTraceId] = useState('');
  const parsed = normalizeTraceId(traceId);
  const error = traceId.trim() !== '' && 'error' in parsed ? parsed.error : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if ('traceId' in parsed) {
      navigate(tracePagePath(parsed.traceId));
    }
  };

  return (
    <PluginPage>
      <div data-testid={testIds.searchPage.container}>
        <Stack direction="column" gap={2}>
          <Text color="secondary">
            Trace search by service, span name, duration, status and request ID comes with the search release.
            {` It will query the Tempo data source "${tempoDatasourceUid}".`}
          </Text>
          <form onSubmit={onSubmit}>
            <Stack direction="row" alignItems="flex-end">
              <Field label="Open a trace by ID" invalid={!!error} error={error}>
                <Input
                  width={48}
                  value={traceId}
                  placeholder="e.g. 4bf92f3577b34da6a3ce929d0e0e4736"
                  onChange={(e) => setTraceId(e.currentTarget.value)}
                  data-testid={testIds.searchPage.traceIdInput}
                />
              </Field>
              <Field>
                <Button type="submit" disabled={!('traceId' in parsed)} data-testid={testIds.searchPage.openTrace}>
                  Open trace
                </Button>
              </Field>
            </Stack>
          </form>
        </Stack>
      </div>
    </PluginPage>
  );
}

export default SearchPage;
