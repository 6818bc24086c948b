import { createContext, useContext } from 'react';
import { resolveSettings } from '../grafana';

/** The app's jsonData, handed down from the root page so every page reads the same settings. */
export type AppSettings = ReturnType<typeof resolveSettings>;

export const AppSettingsContext = createContext<AppSettings>(resolveSettings({}));

export function useAppSettings(): AppSettings {
  return useContext(AppSettingsContext);
}
