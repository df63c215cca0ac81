import { describe, expect, it } from "vitest";
import { blobUrl, commitUrl, githubRepo } from "./github";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("githubRepo", () => {
  it.each([
    ["acme/shop", { owner: "acme", name: "shop" }],
    ["https://github.com/acme/shop", { owner: "acme", name: "shop" }],
    ["https://github.com/acme/shop.git", { owner: "acme", name: "shop" }],
    ["https://github.com/acme/shop/tree/main/src", { owner: "acme", name: "shop" }],
    ["git@github.com:acme/shop.git", { owner: "acme", name: "shop" }],
  ])("reads %s", (repo, expected) => {
    expect(githubRepo(repo)).toEqual(expected);
  });

  it.each([
    "/home/me/shop",
    "./shop/api",
    "../acme/shop",
    "https://gitlab.com/acme/shop",
    "file:///srv/git/shop",
    "shop",
  ])("leaves %s alone (not on GitHub)", (repo) => {
    expect(githubRepo(repo)).toBeNull();
  });
});

describe("links", () => {
  it("pins a file and line to the analysed commit", () => {
    expect(blobUrl("acme/shop", SHA, "app/api/orders.py", 42)).toBe(
      `https://github.com/acme/shop/blob/${SHA}/app/api/orders.py#L42`,
    );
  });

  it("links a line range and escapes each path segment, keeping the slashes", () => {
    expect(blobUrl("https://github.com/acme/shop", SHA, "./src/a b/#x.ts", 3, 9)).toBe(
      `https://github.com/acme/shop/blob/${SHA}/src/a%20b/%23x.ts#L3-L9`,
    );
  });

  it("gives no link without a commit, or for a repository not on GitHub", () => {
    expect(blobUrl("acme/shop", null, "a.py", 1)).toBeNull();
    expect(blobUrl("acme/shop", "main; rm", "a.py", 1)).toBeNull();
    expect(blobUrl("/srv/shop", SHA, "a.py", 1)).toBeNull();
    expect(commitUrl("acme/shop", SHA)).toBe(`https://github.com/acme/shop/tree/${SHA}`);
  });
});
