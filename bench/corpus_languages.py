"""Generated source files in the dynamic languages: route declarations amid ordinary code.

Each language is a `Language`: a header, a route writer, a filler writer and a footer. A route
writer records what it planted as `(method, path template)` with `{name}` parameters, the form
discovery reports. Names and numbers vary with the random generator, so no two files are alike;
the shapes are the ones real services use.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

RESOURCES = ("orders", "users", "invoices", "products", "carts", "payments", "reports", "teams")
VERBS = ("get", "post", "put", "delete", "patch")


@dataclass
class Draft:
    """A file being written: its text so far and the routes planted in it."""

    rng: random.Random
    index: int
    lines: list[str] = field(default_factory=list)
    routes: list[tuple[str, str]] = field(default_factory=list)
    later: list[str] = field(default_factory=list)
    """Lines the footer writes (Go registers its handlers in one function at the end)."""

    def add(self, text: str) -> None:
        self.lines += [*text.strip("\n").split("\n"), ""]

    def route(self, verb: str, path: str) -> None:
        self.routes.append((verb.upper(), path))

    def pick(self) -> tuple[str, str, str]:
        """A verb, a resource and its id parameter for the next route."""
        resource = self.rng.choice(RESOURCES)
        return self.rng.choice(VERBS), resource, resource.rstrip("s") + "_id"


Writer = Callable[[Draft, int], None]


@dataclass(frozen=True)
class Language:
    name: str
    suffix: str
    header: Callable[[Draft], str]
    route: Writer
    filler: Writer
    footer: Callable[[Draft], str] = lambda d: ""


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def fastapi_route(d: Draft, k: int) -> None:
    verb, res, param = d.pick()
    path = f"/api/s{d.index}/{res}/{{{param}}}/items"
    d.add(f'''
@app.{verb}("{path}")
async def {verb}_{res}_{k}({param}: int, limit: int = 50) -> dict:
    found = [row for row in load_{res}({param}) if row.get("active")]
    if not found:
        raise HTTPException(status_code=404, detail="{res} not found")
    return {{"items": found[:limit], "count": len(found)}}
''')
    d.route(verb, path)


def flask_route(d: Draft, k: int) -> None:
    verb, res, param = d.pick()
    d.add(f'''
@app.route("/api/s{d.index}/{res}/<int:{param}>", methods=["{verb.upper()}"])
def {verb}_{res}_{k}({param}):
    record = store.get({param})
    if record is None:
        return jsonify(error="missing"), 404
    return jsonify(record)
''')
    d.route(verb, f"/api/s{d.index}/{res}/{{{param}}}")


def python_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(3, 40)
    d.add(f'''
def summarize_{k}(rows: list[dict], threshold: float = {n}.5) -> dict:
    """Totals per category, skipping rows under the threshold."""
    totals: dict[str, float] = {{}}
    for row in rows:
        amount = float(row.get("amount", 0))
        if amount < threshold:
            continue
        key = str(row.get("category", "other")).lower()
        totals[key] = totals.get(key, 0.0) + amount
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return {{"top": ranked[:{n}], "total": sum(totals.values())}}
''')


def express_route(d: Draft, k: int) -> None:
    verb, res, param = d.pick()
    typed = "req: Request, res: Response" if d.index % 2 else "req, res"
    d.add(f"""
app.{verb}('/api/s{d.index}/{res}/:{camel(param)}', async ({typed}) => {{
  const id = Number(req.params.{camel(param)});
  const record = await db.{res}.findOne({{ where: {{ id }} }});
  if (!record) {{
    return res.status(404).json({{ error: '{res} not found' }});
  }}
  res.json(record);
}});
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{{camel(param)}}}")


def js_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 30)
    d.add(f"""
function rank{k}(rows, limit = {n}) {{
  const totals = new Map();
  for (const row of rows) {{
    if (!row || row.amount < {n}) continue;
    const key = String(row.category || 'other').toLowerCase();
    totals.set(key, (totals.get(key) || 0) + row.amount);
  }}
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, total]) => ({{ name, total }}));
}}
""")


def sinatra_route(d: Draft, k: int) -> None:
    verb, res, _ = d.pick()
    d.add(f"""
  {verb} '/api/s{d.index}/{res}/:id' do
    record = {res.title()}.find_by(id: params[:id].to_i)
    halt 404, {{ error: 'not found' }}.to_json if record.nil?
    json record.as_json(only: %i[id name updated_at])
  end
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{id}}")


def ruby_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 30)
    d.add(f"""
  def rank_{k}(rows, limit = {n})
    totals = Hash.new(0)
    rows.each do |row|
      next if row[:amount].to_f < {n}
      totals[row.fetch(:category, 'other').downcase] += row[:amount].to_f
    end
    totals.sort_by {{ |_, total| -total }}.first(limit).to_h
  end
""")


def laravel_route(d: Draft, k: int) -> None:
    verb, res, _ = d.pick()
    d.add(f"""
Route::{verb}('/api/s{d.index}/{res}/{{id}}', function (Request $request, int $id) {{
    $record = DB::table('{res}')->where('id', $id)->first();
    if ($record === null) {{
        abort(404);
    }}
    return response()->json($record);
}});
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{id}}")


def php_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 30)
    d.add(f"""
function rank_{d.index}_{k}(array $rows, int $limit = {n}): array
{{
    $totals = [];
    foreach ($rows as $row) {{
        if (($row['amount'] ?? 0) < {n}) {{
            continue;
        }}
        $key = strtolower($row['category'] ?? 'other');
        $totals[$key] = ($totals[$key] ?? 0) + $row['amount'];
    }}
    arsort($totals);
    return array_slice($totals, 0, $limit, true);
}}
""")


PY_IMPORTS = "import logging\nfrom dataclasses import dataclass\n"
LANGUAGES = (
    Language("python", ".py", lambda d: f'"""Service {d.index}."""\n{PY_IMPORTS}\n'
             "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n",
             fastapi_route, python_filler),
    Language("python", ".py", lambda d: f'"""Service {d.index}."""\n{PY_IMPORTS}\n'
             "from flask import Flask, jsonify\n\napp = Flask(__name__)\n",
             flask_route, python_filler),
    Language("javascript", ".js", lambda d: "const express = require('express');\n\n"
             "const app = express();\napp.use(express.json());\n", express_route, js_filler,
             lambda d: "module.exports = app;"),
    Language("typescript", ".ts", lambda d: "import express, { Request, Response } from "
             "'express';\n\nconst app = express();\n", express_route, js_filler,
             lambda d: "export default app;"),
    Language("ruby", ".rb", lambda d: f"require 'sinatra/base'\n\nclass Service{d.index} < "
             "Sinatra::Base", sinatra_route, ruby_filler, lambda d: "end"),
    Language("php", ".php", lambda d: "<?php\n\nuse Illuminate\\Http\\Request;\nuse "
             "Illuminate\\Support\\Facades\\DB;\nuse Illuminate\\Support\\Facades\\Route;\n",
             laravel_route, php_filler),
)  # fmt: skip
