import React, { useCallback, useEffect, useState } from 'react';
import { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, Stack } from '@grafana/ui';
import { describeBackendError, saveAppSettings, updateCachedMeta } from '../../grafana';
import type { AppJsonData } from '../../types';
import { testIds } from '../testIds';
import { ChecksStep } from './ChecksStep';
import { DataSourceStep } from './DataSourceStep';
import { DoneStep } from './DoneStep';
import { EndpointsStep, SaveBar } from './EndpointsStep';
import { StepList, STEPS } from './StepList';
import { useEndpointsForm, type SavedSettings } from './endpointsForm';

export { parseKeyLines, validateUrl } from './endpointsForm';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppJsonData>> {}

export const UNSAVED_LEAVE_PROMPT = 'Step 1 (Endpoints) has changes that are not saved. Leave the page and lose them?';

/**
 * While step 1 has unsaved changes, leaving asks first: Grafana's own navigation through its history's `block`
 * (which asks with window.confirm), a reload or closing the tab through `beforeunload` (the browser's own question).
 */
function usePromptOnLeave(dirty: boolean) {
  useEffect(() => {
    if (!dirty) {
      return;
    }
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    let unblock: (() => void) | undefined;
    try {
      unblock = locationService.getHistory().block(UNSAVED_LEAVE_PROMPT);
    } catch {
      // A history without block(): the page still asks on reload and close.
    }
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      unblock?.();
    };
  }, [dirty]);
}

/**
 * The app's configuration page, a setup wizard: 1) endpoints and auth, 2) checks of the path from the Collector to
 * Tempo to Grafana, 3) the Tempo data source, 4) where to go next. Saving never reloads the page: the page keeps
 * what Grafana holds in `saved`.
 */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { id, enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [saved, setSaved] = useState<SavedSettings>(() => ({
    // jsonData as provisioned: any JSON, whatever AppJsonData says.
    jsonData: jsonData && typeof jsonData === 'object' && !Array.isArray(jsonData) ? { ...jsonData } : {},
    secureJsonFields: { ...(secureJsonFields ?? {}) },
  }));
  const [step, setStep] = useState(0);
  const [useError, setUseError] = useState<string>();
  const meta = plugin.meta;
  const onSaved = useCallback(
    (next: SavedSettings) => {
      setSaved(next);
      updateCachedMeta(meta, next);
    },
    [meta]
  );
  const form = useEndpointsForm(id, { enabled, pinned }, saved, onSaved);
  usePromptOnLeave(form.dirty);

  const useDataSource = useCallback(
    async (uid: string) => {
      const next = { ...saved.jsonData, tempoDatasourceUid: uid };
      try {
        // No secureJsonData: the stored secrets stay as they are.
        await saveAppSettings(id, { enabled, pinned, jsonData: next as AppJsonData });
        onSaved({ ...saved, jsonData: next });
        form.setSetting('tempoDatasourceUid', uid);
        setUseError(undefined);
      } catch (e) {
        setUseError(describeBackendError(e, 'Unknown error while saving the plugin settings.'));
      }
    },
    [enabled, form, id, onSaved, pinned, saved]
  );

  return (
    <div data-testid={testIds.appConfig.container}>
      <StepList current={step} onSelect={setStep} />
      {step === 0 && (
        <Stack direction="column" gap={2}>
          <EndpointsStep form={form} />
          <SaveBar form={form} />
        </Stack>
      )}
      {step === 1 && (
        <ChecksStep
          jsonData={saved.jsonData}
          dirty={form.dirty}
          saveDisabled={form.hasErrors || form.saving}
          onSave={form.save}
        />
      )}
      {step === 1 && form.outcome && !form.outcome.ok && (
        <Alert title="Settings were not saved" severity="error">
          {form.outcome.error} Fix it in step 1.
        </Alert>
      )}
      {step === 2 && (
        <>
          {useError && (
            <Alert title="Traceway's Tempo data source was not set" severity="error">
              {useError}
            </Alert>
          )}
          <DataSourceStep
            jsonData={saved.jsonData}
            secureJsonFields={saved.secureJsonFields}
            onUseDataSource={useDataSource}
          />
        </>
      )}
      {step === 3 && <DoneStep />}
      <Stack direction="row" gap={1} justifyContent="space-between">
        <div />
        {step < STEPS.length - 1 && (
          <Button
            variant="secondary"
            icon="arrow-right"
            onClick={() => setStep(step + 1)}
            data-testid={testIds.appConfig.next}
          >
            Next: {STEPS[step + 1]}
          </Button>
        )}
      </Stack>
    </div>
  );
};

export default AppConfig;
