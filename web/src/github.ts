// Links from a report to the analysed code on GitHub, pinned to the analysed commit so a line
// number still points at the same code after the branch moves on.

export interface GitHubRepo {
  owner: string;
  name: string;
}

const NAME = "[A-Za-z0-9_.-]+";
const SHORTHAND = new RegExp(`^(${NAME})/(${NAME})$`);
const WEB_URL = new RegExp(
  `^https?://(?:www\\.)?github\\.com/(${NAME})/(${NAME})(?:[/?#].*)?$`,
  "i",
);
const SSH_URL = new RegExp(`^(?:ssh://)?git@github\\.com[:/](${NAME})/(${NAME})$`, "i");
const COMMIT = /^[0-9a-f]{7,64}$/i;

/** The GitHub repository `repo` names (`owner/name`, a github.com URL), else null. */
export function githubRepo(repo: string): GitHubRepo | null {
  const text = repo.trim();
  const match = SHORTHAND.exec(text) ?? WEB_URL.exec(text) ?? SSH_URL.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const [owner, name] = [match[1], match[2].replace(/\.git$/i, "")];
  // "./app" or "../x/y" are local folders, not owners.
  if ([owner, name].some((part) => part === "." || part === ".." || part === "")) return null;
  return { owner, name };
}

/** The repository's page at a commit, or null when not on GitHub or the commit is unknown. */
export function commitUrl(repo: string, commit: string | null | undefined): string | null {
  return pinned(repo, commit, "tree");
}

/** `https://github.com/{owner}/{name}/blob/{commit}/{file}#L{line}` (or `#L{a}-L{b}`), or null. */
export function blobUrl(
  repo: string,
  commit: string | null | undefined,
  file: string,
  line: number,
  lineEnd?: number,
): string | null {
  const base = pinned(repo, commit, "blob");
  if (!base) return null;
  const path = file
    .replace(/^\.?\//, "")
    .split("/")
    .map(encodeURIComponent)
    .join("/");
  const anchor = lineEnd && lineEnd > line ? `#L${line}-L${lineEnd}` : `#L${line}`;
  return `${base}/${path}${anchor}`;
}

function pinned(repo: string, commit: string | null | undefined, view: string): string | null {
  const found = githubRepo(repo);
  if (!found || !commit || !COMMIT.test(commit)) return null;
  return `https://github.com/${found.owner}/${found.name}/${view}/${commit}`;
}
