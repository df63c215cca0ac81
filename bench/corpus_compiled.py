"""Generated source files in the compiled languages: Spring, gin, ASP.NET Core and actix-web."""

from __future__ import annotations

from bench.corpus_languages import Draft, Language, camel


def spring_route(d: Draft, k: int) -> None:
    verb, res, param = d.pick()
    name = camel(param)
    d.add(f"""
    @{verb.title()}Mapping("/{res}/{{{name}}}")
    public Map<String, Object> {verb}{res.title()}{k}(@PathVariable long {name}) {{
        Map<String, Object> body = new HashMap<>();
        body.put("id", {name});
        body.put("items", repository.findAll({name}));
        return body;
    }}
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{{name}}}")


def java_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 50)
    d.add(f"""
    private static int score{k}(List<Integer> values, int floor) {{
        int total = 0;
        for (int value : values) {{
            if (value < floor) {{
                continue;
            }}
            total += value * {n};
        }}
        return total > {n * 100} ? {n * 100} : total;
    }}
""")


def gin_route(d: Draft, k: int) -> None:
    verb, res, _ = d.pick()
    handler = f"{verb}{res.title()}{k}"
    d.add(f"""
func {handler}(c *gin.Context) {{
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {{
		c.JSON(http.StatusBadRequest, gin.H{{"error": "bad id"}})
		return
	}}
	c.JSON(http.StatusOK, gin.H{{"id": id, "kind": "{res}"}})
}}
""")
    d.later.append(f'\tr.{verb.upper()}("/api/s{d.index}/{res}/:id", {handler})')
    d.route(verb, f"/api/s{d.index}/{res}/{{id}}")


def go_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 40)
    d.add(f"""
func total{k}(values []int, floor int) int {{
	sum := 0
	for _, v := range values {{
		if v < floor {{
			continue
		}}
		sum += v * {n}
	}}
	return sum
}}
""")


def go_footer(d: Draft) -> str:
    body = "\n".join(d.later)
    return f"func Routes() *gin.Engine {{\n\tr := gin.Default()\n{body}\n\treturn r\n}}"


def aspnet_route(d: Draft, k: int) -> None:
    verb, res, _ = d.pick()
    d.add(f"""
    [Http{verb.title()}("{res}/{{id:int}}")]
    public async Task<IActionResult> {verb.title()}{res.title()}{k}(int id)
    {{
        var record = await _db.{res.title()}.FindAsync(id);
        if (record is null)
        {{
            return NotFound();
        }}
        return Ok(record);
    }}
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{id}}")


def csharp_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 40)
    d.add(f"""
    private static int Score{k}(IEnumerable<int> values, int floor)
    {{
        var total = 0;
        foreach (var value in values)
        {{
            if (value < floor) continue;
            total += value * {n};
        }}
        return Math.Min(total, {n * 100});
    }}
""")


def actix_route(d: Draft, k: int) -> None:
    verb, res, _ = d.pick()
    d.add(f"""
#[{verb}("/api/s{d.index}/{res}/{{id}}")]
async fn {verb}_{res}_{k}(path: web::Path<u64>, db: web::Data<Pool>) -> impl Responder {{
    let id = path.into_inner();
    match db.find_{res}(id).await {{
        Some(record) => HttpResponse::Ok().json(record),
        None => HttpResponse::NotFound().finish(),
    }}
}}
""")
    d.route(verb, f"/api/s{d.index}/{res}/{{id}}")


def rust_filler(d: Draft, k: int) -> None:
    n = d.rng.randint(2, 40)
    d.add(f"""
fn total_{k}(values: &[i64], floor: i64) -> i64 {{
    values
        .iter()
        .filter(|v| **v >= floor)
        .map(|v| v * {n})
        .sum()
}}
""")


LANGUAGES = (
    Language("java", ".java", lambda d: f"package com.example.s{d.index};\n\nimport java.util.*;\n"
             "import org.springframework.web.bind.annotation.*;\n\n@RestController\n"
             f'@RequestMapping("/api/s{d.index}")\npublic class Service{d.index}Controller {{',
             spring_route, java_filler, lambda d: "}"),
    Language("go", ".go", lambda d: f'package s{d.index}\n\nimport (\n\t"net/http"\n\t"strconv"\n\n'
             '\t"github.com/gin-gonic/gin"\n)\n', gin_route, go_filler, go_footer),
    Language("csharp", ".cs", lambda d: "using Microsoft.AspNetCore.Mvc;\n\n"
             f'namespace Shop.S{d.index};\n\n[ApiController]\n[Route("api/s{d.index}")]\n'
             f"public class Service{d.index}Controller : ControllerBase\n{{",
             aspnet_route, csharp_filler, lambda d: "}"),
    Language("rust", ".rs", lambda d: "use actix_web::{delete, get, patch, post, put, web, "
             "HttpResponse, Responder};\n", actix_route, rust_filler),
)  # fmt: skip
