// Building DOM nodes from data. Text always goes in as text nodes, never as HTML, so nothing in
// a report (code snippets, paths from a repository) can inject markup.

import { codeSpans } from "./format";

export type Child = Node | string | number | null | undefined | false | Child[];
type Listener = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;

/** `h("a", { href, class: "x", onclick }, "text", child)`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) setAttr(element, name, value);
  append(element, children);
  return element;
}

function setAttr(element: HTMLElement, name: string, value: Attrs[string]): void {
  if (typeof value === "function") {
    element.addEventListener(name.replace(/^on/, ""), value);
  } else if (value === true) {
    element.setAttribute(name, "");
  } else if (value !== false && value !== null && value !== undefined) {
    element.setAttribute(name, String(value));
  }
}

/** Appends children, flattening arrays and skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child !== null && child !== undefined && child !== false) {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces everything inside `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A link to a page of this UI, followed without a page load by the router. */
export function navLink(path: string, ...children: Child[]): HTMLAnchorElement {
  return h("a", { href: path, "data-nav": true }, ...children);
}

/** A link that opens outside the UI (GitHub), without handing it this page as referrer. */
export function externalLink(href: string, ...children: Child[]): HTMLAnchorElement {
  return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, ...children);
}

/** Text with Markdown code spans (`like this`) as <code> elements; everything else stays text. */
export function richText(text: string): Child[] {
  return codeSpans(text).map((span) => (span.code ? h("code", null, span.text) : span.text));
}
