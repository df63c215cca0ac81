// What every view is given by the app shell.

import type { ClientOptions } from "./client";

export interface Context {
  /** Client options for a request now (the API key may change while a page is open). */
  client(signal?: AbortSignal): ClientOptions;
  /** Goes to a page of the UI without reloading. */
  navigate(path: string): void;
  /** Called with every API error a view shows; a 401 opens the API key setting. */
  reportError(error: unknown): void;
}

/** Human names of the job kinds the UI starts itself. */
export const KIND_NAMES: Record<string, string> = {
  "analyze-worst-apis-with-github": "Worst-API analysis",
};

export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? `Job “${kind}”`;
}

/** The text a view shows for an error of any kind. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The UI's deep link to one job (the server answers it with the UI for browsers). */
export function jobPath(jobId: string): string {
  return `/jobs/${encodeURIComponent(jobId)}`;
}
