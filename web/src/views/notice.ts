// Errors and outcomes said plainly, each with what the user can do next.

import { h } from "../dom";
import type { Child } from "../dom";

export interface Action {
  label: string;
  run: () => void;
}

/** A boxed message with a title, details and action buttons (e.g. "Try again"). */
export function notice(
  kind: "error" | "info",
  title: string,
  body: Child[],
  actions: (Action | HTMLElement)[] = [],
): HTMLElement {
  return h(
    "div",
    { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
    h("h2", { class: "notice-title" }, title),
    body,
    actions.length
      ? h(
          "p",
          { class: "actions" },
          actions.map((action) =>
            action instanceof HTMLElement
              ? action
              : h("button", { type: "button", onclick: action.run }, action.label),
          ),
        )
      : null,
  );
}
