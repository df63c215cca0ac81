// The shell: header with the API key setting, and a router over two pages — `/` and
// `/jobs/{id}` — using real URLs, so a job's page can be bookmarked, shared and reloaded.

import { ApiError } from "./client";
import type { ClientOptions } from "./client";
import type { Context } from "./context";
import { fill, h, navLink } from "./dom";
import { loadApiKey, saveApiKey } from "./storage";
import { notice } from "./views/notice";
import { homeView } from "./views/home";
import { jobView } from "./views/job";

const JOB_PATH = /^\/jobs\/([^/]+)\/?$/;

export class App implements Context {
  private readonly main = h("main", { id: "main" });
  private readonly keyPanel = new ApiKeyPanel();
  private leave: () => void = () => undefined;

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    const header = h(
      "header",
      { class: "top" },
      navLink("/", h("span", { class: "brand" }, "apiscope")),
      h("nav", null, navLink("/", "New analysis"), h("a", { href: "/docs" }, "API docs")),
      this.keyPanel.element,
    );
    fill(this.root, header, this.main);
    window.addEventListener("popstate", () => this.render());
    document.addEventListener("click", (event) => this.followLink(event));
    this.render();
  }

  client(signal?: AbortSignal): ClientOptions {
    return { apiKey: loadApiKey(), ...(signal ? { signal } : {}) };
  }

  navigate(path: string): void {
    history.pushState(null, "", path);
    this.render();
    window.scrollTo(0, 0);
  }

  reportError(error: unknown): void {
    if (error instanceof ApiError && error.status === 401) this.keyPanel.ask();
  }

  private render(): void {
    this.leave();
    const job = JOB_PATH.exec(location.pathname);
    if (location.pathname === "/") this.leave = homeView(this.main, this);
    else if (job?.[1]) this.leave = jobView(this.main, this, decodeURIComponent(job[1]));
    else this.leave = this.notFound();
  }

  private notFound(): () => void {
    document.title = "Not found · apiscope";
    fill(
      this.main,
      notice(
        "error",
        "No such page",
        [h("p", null, `Nothing lives at ${location.pathname}.`)],
        [navLink("/", "Go to the start page")],
      ),
    );
    return () => undefined;
  }

  /** Links marked `data-nav` change the page without a reload; others behave as usual. */
  private followLink(event: MouseEvent): void {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey
    )
      return;
    const link = (event.target as Element | null)?.closest?.("a[data-nav]");
    if (!(link instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    this.navigate(link.pathname);
  }
}

/** The optional API key, for servers with `APISCOPE_API_KEYS` set; kept in localStorage. */
class ApiKeyPanel {
  readonly element: HTMLDetailsElement;
  private readonly input = h("input", {
    id: "api-key",
    type: "password",
    autocomplete: "off",
    spellcheck: false,
  });
  private readonly label = h("span", null);
  private readonly note = h("p", { class: "hint", role: "status" });

  constructor() {
    this.element = h(
      "details",
      { class: "api-key" },
      h("summary", null, this.label),
      h(
        "form",
        { class: "api-key-form" },
        h("label", { for: "api-key" }, "API key"),
        this.input,
        h("button", { type: "submit" }, "Save"),
        h(
          "button",
          { type: "button", class: "secondary", onclick: () => this.save(null) },
          "Clear",
        ),
        this.note,
        h(
          "p",
          { class: "hint" },
          "Only needed when the server sets APISCOPE_API_KEYS. Kept in this " +
            "browser and sent as an Authorization: Bearer header.",
        ),
      ),
    );
    this.element.querySelector("form")?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(this.input.value);
    });
    this.refresh();
  }

  /** Opens the setting after a 401, saying why. */
  ask(): void {
    this.element.open = true;
    this.note.textContent = "This server needs an API key (it answered 401).";
    this.input.focus();
  }

  private save(key: string | null): void {
    saveApiKey(key);
    this.note.textContent = key?.trim() ? "Saved. Reload to retry what failed." : "Cleared.";
    this.refresh();
  }

  private refresh(): void {
    const key = loadApiKey();
    this.input.value = key ?? "";
    this.label.textContent = key ? "API key: set" : "API key";
  }
}
