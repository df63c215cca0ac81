"""The web UI: the TypeScript app in `web/`, built into `static/` and shipped inside the package,
so `pip install apiscope` serves it with no Node.

    app.add_middleware(DeepLinkMiddleware)   # GET /jobs/{id} from a browser → the UI
    app.include_router(create_web_router())  # GET /, GET /static/*

The UI is one page that calls the JSON API with relative paths; the server only hands it out.
"""

from apiscope.web.deep_links import DeepLinkMiddleware
from apiscope.web.pages import STATIC_DIR, create_web_router

__all__ = ["STATIC_DIR", "DeepLinkMiddleware", "create_web_router"]
