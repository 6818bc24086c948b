import React from 'react';
import { of, throwError } from 'rxjs';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppPluginMeta, PluginType } from '@grafana/data';
import { BackendSrv, setBackendSrv } from '@grafana/runtime';
import AppConfig, { AppConfigProps, parseKeyLines, validateUrl } from './AppConfig';
import { testIds } from '../testIds';
import { AppJsonData } from '../../types';

function renderConfig(meta: Partial<AppPluginMeta<AppJsonData>>) {
  const props = {
    plugin: {
      meta: {
        id: 'traceway-explorer-app',
        name: 'Traceway',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData: {},
        ...meta,
      },
    },
    query: {},
  } as unknown as AppConfigProps;
  return render(<AppConfig {...props} />);
}

describe('validateUrl', () => {
  it.each([
    ['', undefined],
    ['http://tempo:3200', undefined],
    ['https://tempo.example.com/prefix', undefined],
    ['tempo:3200', 'Only http and https URLs are allowed, not tempo:'],
    ['javascript:alert(1)', 'Only http and https URLs are allowed, not javascript:'],
    ['not a url', '"not a url" is not a URL. Write it in full, e.g. http://tempo:3200'],
  ])('%p -> %p', (input, expected) => {
    expect(validateUrl(input)).toBe(expected);
  });
});

describe('parseKeyLines', () => {
  it('reads one key a line, trimmed, without blank lines or repeats', () => {
    expect(parseKeyLines(' request_id \n\n  \nx-request-id\r\nrequest_id\n')).toEqual(['request_id', 'x-request-id']);
    expect(parseKeyLines('')).toEqual([]);
  });
});

describe('AppConfig', () => {
  const fetchMock = jest.fn();
  const reload = jest.fn();

  beforeEach(() => {
    fetchMock.mockReset();
    reload.mockReset();
    setBackendSrv({ fetch: fetchMock } as unknown as BackendSrv);
    Object.defineProperty(window, 'location', { value: { ...window.location, reload }, writable: true });
  });

  it('shows the provisioned settings and which secrets are set, never their values', () => {
    renderConfig({
      jsonData: { tempoDatasourceUid: 'tempo', tempoUrl: 'http://tempo:3200' },
      secureJsonFields: { tempoAuthorization: true },
    });
    expect(screen.getByTestId(testIds.appConfig.field('tempoDatasourceUid'))).toHaveValue('tempo');
    expect(screen.getByTestId(testIds.appConfig.field('tempoUrl'))).toHaveValue('http://tempo:3200');
    expect(screen.getByTestId(testIds.appConfig.field('tempoAuthorization'))).toHaveValue('configured');
    expect(screen.getByTestId(testIds.appConfig.field('prometheusAuthorization'))).toHaveValue('');
  });

  it('blocks saving while a URL is invalid', async () => {
    renderConfig({});
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('collectorHealthUrl')), 'otel-collector:13133');
    expect(screen.getByText('Only http and https URLs are allowed, not otel-collector:')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
  });

  it('saves trimmed settings and only the secrets that were typed, then reloads', async () => {
    fetchMock.mockReturnValue(of({ status: 200, data: {} }));
    renderConfig({
      jsonData: { tempoDatasourceUid: 'tempo' },
      secureJsonFields: { prometheusAuthorization: true },
    });
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('tempoUrl')), ' http://tempo:3200 ');
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('tempoAuthorization')), 'Bearer abc');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const request = fetchMock.mock.calls[0][0];
    expect(request.url).toBe('/api/plugins/traceway-explorer-app/settings');
    expect(request.method).toBe('POST');
    expect(request.data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { tempoDatasourceUid: 'tempo', tempoUrl: 'http://tempo:3200' },
      // prometheusAuthorization was set before and untouched: not sent, so it is kept.
      secureJsonData: { tempoAuthorization: 'Bearer abc' },
    });
    expect(reload).toHaveBeenCalled();
  });

  it('clears a secret the user resets', async () => {
    fetchMock.mockReturnValue(of({ status: 200, data: {} }));
    renderConfig({ secureJsonFields: { collectorAuthorization: true } });
    const resets = screen.getAllByRole('button', { name: 'Reset' });
    expect(resets).toHaveLength(1);
    await userEvent.click(resets[0]);
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(fetchMock.mock.calls[0][0].data.secureJsonData).toEqual({ collectorAuthorization: '' });
  });

  it('refuses a secret of only spaces instead of saving it as configured', async () => {
    fetchMock.mockReturnValue(of({ status: 200, data: {} }));
    renderConfig({});
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('tempoAuthorization')), '   ');
    expect(
      screen.getByText('Only spaces: type the header value, e.g. Bearer <token>, or clear the field.')
    ).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(fetchMock).not.toHaveBeenCalled();

    // A real value, with spaces around it, is sent trimmed.
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('tempoAuthorization')), 'Bearer abc ');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(fetchMock.mock.calls[0][0].data.secureJsonData).toEqual({ tempoAuthorization: 'Bearer abc' });
  });

  it('names a provisioned value that is not text, and saves once it is replaced', async () => {
    fetchMock.mockReturnValue(of({ status: 200, data: {} }));
    renderConfig({
      jsonData: {
        tempoDatasourceUid: 'tempo',
        tempoUrl: 3200,
        prometheusUrl: { url: 'http://prometheus:9090' },
        prometheusDatasourceUid: ['prometheus'],
        collectorHealthUrl: true,
        // A key this page does not edit is kept as it is.
        extra: { kept: 1 },
      } as unknown as AppJsonData,
    });
    expect(
      screen.getByText('jsonData.tempoUrl is the number 3200, not text. Type the value to replace it.')
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'jsonData.prometheusUrl is an object ({"url":"http://prometheus:9090"}), not text. Type the value to replace it.'
      )
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'jsonData.prometheusDatasourceUid is a list (["prometheus"]), not text. Type the value to replace it.'
      )
    ).toBeInTheDocument();
    expect(
      screen.getByText('jsonData.collectorHealthUrl is the boolean true, not text. Type the value to replace it.')
    ).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.field('tempoUrl'))).toHaveValue('');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();

    await userEvent.type(screen.getByTestId(testIds.appConfig.field('tempoUrl')), 'http://tempo:3200');
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('prometheusUrl')), 'http://prometheus:9090');
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('prometheusDatasourceUid')), 'prometheus');
    await userEvent.type(screen.getByTestId(testIds.appConfig.field('collectorHealthUrl')), ' ');
    // Only spaces in a text setting means unset.
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeEnabled();
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(fetchMock.mock.calls[0][0].data.jsonData).toEqual({
      tempoDatasourceUid: 'tempo',
      tempoUrl: 'http://tempo:3200',
      prometheusUrl: 'http://prometheus:9090',
      prometheusDatasourceUid: 'prometheus',
      extra: { kept: 1 },
    });
  });

  it('does not crash on jsonData that is not an object', () => {
    renderConfig({ jsonData: 'tempo' as unknown as AppJsonData });
    expect(screen.getByTestId(testIds.appConfig.field('tempoUrl'))).toHaveValue('');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeEnabled();
  });

  it('says why saving failed and stays on the page', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 403, data: { message: 'Permission denied' } })));
    renderConfig({});
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(await screen.findByTestId(testIds.appConfig.error)).toHaveTextContent('Permission denied (HTTP 403)');
    expect(reload).not.toHaveBeenCalled();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeEnabled();
  });

  describe('request ID keys', () => {
    const DEFAULTS_TEXT = 'request_id\nhttp.request.header.x-request-id\nhttp.request_id\nx-request-id\nrequestId';
    const field = () => screen.getByTestId(testIds.appConfig.field('requestIdKeys'));
    const submit = () => userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    it('shows the defaults when none are set, and saves them as unset', async () => {
      fetchMock.mockReturnValue(of({ status: 200, data: {} }));
      renderConfig({ jsonData: { tempoDatasourceUid: 'tempo' } });
      expect(field()).toHaveValue(DEFAULTS_TEXT);
      expect(screen.getByTestId(testIds.appConfig.requestIdKeysReset)).toBeDisabled();
      await submit();
      expect(fetchMock.mock.calls[0][0].data.jsonData).toEqual({ tempoDatasourceUid: 'tempo' });
    });

    it('saves an edited list, one key a line, with the other settings', async () => {
      fetchMock.mockReturnValue(of({ status: 200, data: {} }));
      renderConfig({ jsonData: { tempoDatasourceUid: 'tempo', requestIdKeys: ['request_id', 'trace.request'] } });
      expect(field()).toHaveValue('request_id\ntrace.request');
      await userEvent.type(field(), '\n  x-correlation-id  \n\nrequest_id');
      await submit();
      expect(fetchMock.mock.calls[0][0].data.jsonData).toEqual({
        tempoDatasourceUid: 'tempo',
        requestIdKeys: ['request_id', 'trace.request', 'x-correlation-id'],
      });
    });

    it('resets to the defaults, which are then saved as unset', async () => {
      fetchMock.mockReturnValue(of({ status: 200, data: {} }));
      renderConfig({ jsonData: { requestIdKeys: ['mine'] } });
      await userEvent.click(screen.getByTestId(testIds.appConfig.requestIdKeysReset));
      expect(field()).toHaveValue(DEFAULTS_TEXT);
      await submit();
      expect(fetchMock.mock.calls[0][0].data.jsonData).toEqual({});
    });

    it('refuses an empty list', async () => {
      renderConfig({});
      await userEvent.clear(field());
      expect(screen.getByText('Type at least one attribute key, or reset to the defaults.')).toBeInTheDocument();
      expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    });

    it.each([
      ['request_id', 'jsonData.requestIdKeys is the text "request_id", not a list of attribute keys'],
      [[], 'jsonData.requestIdKeys is an empty list'],
      [['request_id', 42], 'jsonData.requestIdKeys[1] is the number 42, not an attribute key'],
    ])('names a provisioned value that is not a list of keys (%p), and saves once replaced', async (value, found) => {
      fetchMock.mockReturnValue(of({ status: 200, data: {} }));
      renderConfig({ jsonData: { requestIdKeys: value } as unknown as AppJsonData });
      expect(
        screen.getByText(
          `${found}: the default keys are in use. Type the keys, one per line, or reset to the defaults.`
        )
      ).toBeInTheDocument();
      expect(field()).toHaveValue('');
      expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
      await userEvent.type(field(), 'req');
      await submit();
      expect(fetchMock.mock.calls[0][0].data.jsonData).toEqual({ requestIdKeys: ['req'] });
    });
  });
});
