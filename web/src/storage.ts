// What the UI remembers in this browser: the API key, and what each job it started was asked
// to do (the API does not echo a job's parameters back, and "Run again" needs them).

import type { AnalysisRequest } from "./types";

const KEY = "apiscope.apiKey";
const SUBMISSIONS = "apiscope.submissions";
const KEEP_SUBMISSIONS = 50;

/** How a job was started from this UI. */
export type Submission = { type: "demo" } | { type: "analysis"; request: AnalysisRequest };

// Storage can be disabled (private modes, strict cookie settings): the UI then just forgets.
function read(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

function write(name: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(name);
    else localStorage.setItem(name, value);
  } catch {
    // see read()
  }
}

export function loadApiKey(): string | null {
  return read(KEY) || null;
}

export function saveApiKey(key: string | null): void {
  write(KEY, key?.trim() || null);
}

function loadSubmissions(): [string, Submission][] {
  try {
    const entries: unknown = JSON.parse(read(SUBMISSIONS) ?? "[]");
    return Array.isArray(entries) ? (entries as [string, Submission][]) : [];
  } catch {
    return [];
  }
}

export function rememberSubmission(jobId: string, submission: Submission): void {
  const kept = loadSubmissions().filter(([id]) => id !== jobId);
  const entries = [[jobId, submission], ...kept].slice(0, KEEP_SUBMISSIONS);
  write(SUBMISSIONS, JSON.stringify(entries));
}

export function findSubmission(jobId: string): Submission | null {
  return loadSubmissions().find(([id]) => id === jobId)?.[1] ?? null;
}
