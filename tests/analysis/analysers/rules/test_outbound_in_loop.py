"""HTTP calls inside loops: a request per item, directly or through a helper."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.in_loops import OUTBOUND_CALL_IN_LOOP
from tests.analysis.analysers.conftest import Check


def test_requests_in_a_loop_and_through_a_helper(check: Check) -> None:
    """`requests.get` per item, and `price_of` (which calls httpx) per item, are both found."""
    source = """
        def handler(request):
            for sku in request.json["skus"]:
                stock = requests.get(f"{STOCK_URL}/{sku}", timeout=2).json()
                price = price_of(sku)
            return stock


        def price_of(sku):
            return httpx.get(f"https://prices/{sku}").json()
    """
    assert check(OUTBOUND_CALL_IN_LOOP, source) == [((3, 3),), ((4, 4), (9, 9))]


def test_a_single_request_and_non_http_gets_are_not_reported(check: Check) -> None:
    """One request before the loop; `cache.get` and `session.get(Model, id)` in it are no HTTP."""
    source = """
        def handler(request):
            rates = requests.get("https://rates/latest", timeout=2).json()
            for sku in request.json["skus"]:
                cached = cache.get(sku)
                product = session.get(Product, sku)
            return rates
    """
    assert check(OUTBOUND_CALL_IN_LOOP, source) == []


def test_fetch_and_axios_in_js_loops(check: Check) -> None:
    """`fetch` in `for … of` and `axios.get` in a `forEach` callback."""
    source = """
        async function handler(req, res) {
          for (const id of req.body.ids) {
            const reply = await fetch(`${API}/users/${id}`);
          }
          req.body.ids.forEach(async (id) => {
            await axios.get(`/users/${id}`);
          });
          res.end();
        }
    """
    assert check(OUTBOUND_CALL_IN_LOOP, source, "javascript") == [((3, 3),), ((6, 6),)]


def test_router_registration_is_not_an_outbound_call(check: Check) -> None:
    """`apiRouter.get('/x', fn)` in a loop registers routes; a `Map#get` is no request."""
    source = """
        function handler(req, res) {
          for (const name of names) {
            apiRouter.get(`/${name}`, (rq, rs) => rs.end());
            seen.get(name);
          }
        }
    """
    assert check(OUTBOUND_CALL_IN_LOOP, source, "javascript") == []


def test_go_http_get_in_range_loop(check: Check) -> None:
    """Go: `http.Get` per URL of a range loop."""
    source = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            for _, u := range urls {
                resp, _ := client.Do(buildRequest(u))
                resp.Body.Close()
            }
        }
    """
    assert check(OUTBOUND_CALL_IN_LOOP, source, "go") == [((5, 5),)]
