import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, Combobox, ComboboxOption, Field, IconButton, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { MAX_SEARCH_LIMIT } from '../../routes';
import {
  AttributeFilter,
  FILTER_OPERATORS,
  FilterOperator,
  FilterScope,
  StatusFilter,
  TraceSearch,
  normalizeDuration,
} from '../../tempo/traceql';

const ids = testIds.searchPage;

/** The fields as typed: the search, and the limit as text so that a half-typed number can be said wrong. */
export interface Draft extends TraceSearch {
  limitText: string;
}

export interface DraftErrors {
  minDuration?: string;
  maxDuration?: string;
  limit?: string;
}

/** What is wrong with the fields as typed, field by field (empty when they can be searched). */
export function draftErrors(draft: Draft): DraftErrors {
  const errors: DraftErrors = {};
  for (const field of ['minDuration', 'maxDuration'] as const) {
    const text = draft[field]?.trim();
    if (text) {
      const d = normalizeDuration(text);
      if ('error' in d) {
        errors[field] = d.error;
      }
    }
  }
  const limit = draft.limitText.trim();
  if (limit !== '' && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= MAX_SEARCH_LIMIT)) {
    errors.limit = `"${limit}" is not a whole number from 1 to ${MAX_SEARCH_LIMIT}`;
  }
  return errors;
}

/** A trace ID pasted where a request ID goes: 16 to 32 hex characters, any case. */
export function traceIdIn(text: string | undefined): string | undefined {
  const t = text?.trim() ?? '';
  return /^[0-9a-fA-F]{16,32}$/.test(t) ? t : undefined;
}

export interface SearchFieldsProps {
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** advanced mode: the TraceQL is edited by hand and the fields only describe the last built query */
  disabled: boolean;
  services: { values: string[]; loading: boolean; error?: string };
  spanNames: { values: string[]; loading: boolean; error?: string };
  onOpenTrace: (traceId: string) => void;
}

const STATUS_OPTIONS: Array<{ label: string; value: StatusFilter; description: string }> = [
  { label: 'Any', value: 'any', description: 'Every trace' },
  { label: 'Error', value: 'error', description: 'Traces with a failed span' },
  { label: 'OK', value: 'ok', description: 'Traces with a span that did not fail' },
];
const SCOPE_OPTIONS: Array<ComboboxOption<FilterScope>> = [
  { label: 'span', value: 'span' },
  { label: 'resource', value: 'resource' },
  { label: 'any', value: 'any', description: 'span or resource' },
];
const OPERATOR_OPTIONS: Array<ComboboxOption<FilterOperator>> = FILTER_OPERATORS.map((o) => ({ label: o, value: o }));

function options(values: string[]): Array<ComboboxOption<string>> {
  return values.map((v) => ({ label: v, value: v }));
}

/** The Search page's fields: service, span name, durations, status, request ID, attribute filters, limit. */
export const SearchFields = React.memo(function SearchFields({
  draft,
  onChange,
  disabled,
  services,
  spanNames,
  onOpenTrace,
}: SearchFieldsProps) {
  const styles = useStyles2(getStyles);
  const errors = draftErrors(draft);
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const filters = draft.filters ?? [];
  const setFilter = (i: number, patch: Partial<AttributeFilter>) =>
    set({ filters: filters.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const traceId = traceIdIn(draft.requestId);

  return (
    <div className={styles.fields}>
      <div className={styles.row}>
        <Field
          label="Service"
          description="resource.service.name"
          className={styles.field}
          invalid={!!services.error}
          error={services.error && `Could not load the services: ${services.error}`}
        >
          <Combobox<string>
            id="traceway-search-service"
            options={options(services.values)}
            value={draft.service || null}
            onChange={(o) =>
              set({ service: o?.value ?? '', spanName: o?.value === draft.service ? draft.spanName : '' })
            }
            isClearable
            createCustomValue
            loading={services.loading}
            disabled={disabled}
            placeholder="Any service"
            width={30}
            data-testid={ids.service}
          />
        </Field>
        <Field
          label="Span name"
          description={draft.service ? `names in ${draft.service}` : 'names in every service'}
          className={styles.field}
          invalid={!!spanNames.error}
          error={spanNames.error && `Could not load the span names: ${spanNames.error}`}
        >
          <Combobox<string>
            id="traceway-search-span-name"
            options={options(spanNames.values)}
            value={draft.spanName || null}
            onChange={(o) => set({ spanName: o?.value ?? '' })}
            isClearable
            createCustomValue
            loading={spanNames.loading}
            disabled={disabled}
            placeholder="Any span name"
            width={30}
            data-testid={ids.spanName}
          />
        </Field>
        <Field
          label="Min duration"
          description="e.g. 250ms, 1.5s"
          invalid={!!errors.minDuration}
          error={errors.minDuration}
          className={styles.field}
        >
          <Input
            width={14}
            value={draft.minDuration ?? ''}
            onChange={(e) => set({ minDuration: e.currentTarget.value })}
            disabled={disabled}
            placeholder="e.g. 100ms"
            data-testid={ids.minDuration}
          />
        </Field>
        <Field
          label="Max duration"
          description="e.g. 2s, 1m"
          invalid={!!errors.maxDuration}
          error={errors.maxDuration}
          className={styles.field}
        >
          <Input
            width={14}
            value={draft.maxDuration ?? ''}
            onChange={(e) => set({ maxDuration: e.currentTarget.value })}
            disabled={disabled}
            placeholder="e.g. 5s"
            data-testid={ids.maxDuration}
          />
        </Field>
        <Field label="Status" description="of a matched span" className={styles.field} disabled={disabled}>
          <div data-testid={ids.status}>
            <RadioButtonGroup<StatusFilter>
              options={STATUS_OPTIONS}
              value={draft.status ?? 'any'}
              onChange={(v) => set({ status: v })}
              disabled={disabled}
            />
          </div>
        </Field>
      </div>
      <div className={styles.row}>
        <Field
          label="Request ID"
          description="X-Request-ID and the keys in the app's settings; a trace ID opens the trace"
          className={styles.field}
        >
          <div className={styles.inline}>
            <Input
              width={44}
              value={draft.requestId ?? ''}
              onChange={(e) => set({ requestId: e.currentTarget.value })}
              onPaste={(e) => {
                // A pasted trace ID (16 to 32 hex characters) opens its trace at once; typed, the button offers it,
                // as a short all-hex request ID being typed passes through the same lengths.
                const pasted = traceIdIn(e.clipboardData.getData('text'));
                if (pasted) {
                  e.preventDefault();
                  onOpenTrace(pasted);
                }
              }}
              disabled={disabled}
              placeholder="e.g. c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212"
              data-testid={ids.requestId}
            />
            {traceId && (
              <Button
                variant="secondary"
                icon="external-link-alt"
                onClick={() => onOpenTrace(traceId)}
                data-testid={ids.openTrace}
                tooltip="This looks like a trace ID: open that trace instead of searching for a request ID"
              >
                Open trace {traceId.toLowerCase()}
              </Button>
            )}
          </div>
        </Field>
        <Field
          label="Limit"
          description={`traces, at most ${MAX_SEARCH_LIMIT}`}
          invalid={!!errors.limit}
          error={errors.limit}
          className={styles.field}
        >
          <Input
            width={10}
            type="number"
            min={1}
            max={MAX_SEARCH_LIMIT}
            value={draft.limitText}
            onChange={(e) => set({ limitText: e.currentTarget.value })}
            // Not part of the TraceQL: a hand-written query takes the limit too.
            data-testid={ids.limit}
          />
        </Field>
      </div>
      {filters.length > 0 && (
        <div className={styles.filters} role="group" aria-label="Attribute filters">
          {filters.map((f, i) => (
            <div key={i} className={styles.inline} data-testid={ids.filter(i)}>
              <Combobox<FilterScope>
                options={SCOPE_OPTIONS}
                value={f.scope}
                onChange={(o) => setFilter(i, { scope: o.value })}
                disabled={disabled}
                width={14}
              />
              <Input
                width={30}
                aria-label="Attribute key"
                placeholder="attribute, e.g. http.route"
                value={f.key}
                onChange={(e) => setFilter(i, { key: e.currentTarget.value })}
                disabled={disabled}
              />
              <Combobox<FilterOperator>
                options={OPERATOR_OPTIONS}
                value={f.operator}
                onChange={(o) => setFilter(i, { operator: o.value })}
                disabled={disabled}
                width={10}
              />
              <Input
                width={30}
                aria-label="Attribute value"
                placeholder="value"
                value={f.value}
                onChange={(e) => setFilter(i, { value: e.currentTarget.value })}
                disabled={disabled}
              />
              <IconButton
                name="trash-alt"
                aria-label={`Remove filter ${i + 1}`}
                onClick={() => set({ filters: filters.filter((_, j) => j !== i) })}
                disabled={disabled}
                data-testid={ids.removeFilter(i)}
              />
            </div>
          ))}
        </div>
      )}
      <div>
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => set({ filters: [...filters, { scope: 'span', key: '', operator: '=', value: '' }] })}
          disabled={disabled}
          data-testid={ids.addFilter}
        >
          Attribute filter
        </Button>
      </div>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  fields: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0, 2), alignItems: 'flex-start' }),
  field: css({ marginBottom: 0 }),
  inline: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  filters: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
});
