import { createContext, useContext } from 'react';
import { AppJsonData } from '../../types';

/** The app's jsonData, handed down from the root page so every page reads the same settings. */
export const AppSettingsContext = createContext<AppJsonData>({});

export function useAppSettings(): AppJsonData {
  return useContext(AppSettingsContext);
}
