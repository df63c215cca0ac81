"""Flask routes: blueprints, registration prefixes and class-based views."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.python_flask import FlaskDiscoverer
from tests.analysis.discovery.conftest import Discover

FLASK = FlaskDiscoverer()


def test_registration_prefix_replaces_the_blueprint_prefix(discover_files: Discover) -> None:
    """As in Flask, `register_blueprint(bp, url_prefix=...)` wins over the blueprint's own
    `url_prefix`, and a blueprint registered twice is served twice."""
    routes = discover_files(
        FLASK,
        {
            "app.py": """
                from flask import Flask
                from views import bp

                app = Flask(__name__)
                app.register_blueprint(bp)
                app.register_blueprint(bp, url_prefix="/v2", name="v2")
            """,
            "views.py": """
                from flask import Blueprint

                bp = Blueprint("items", __name__, url_prefix="/items")

                @bp.route("/<int:item_id>", methods=["GET", "DELETE"])
                def item(item_id): ...
            """,
        },
    )
    assert routes == [
        ("DELETE", "/items/{item_id}", "views.py", 5, "item"),
        ("DELETE", "/v2/{item_id}", "views.py", 5, "item"),
        ("GET", "/items/{item_id}", "views.py", 5, "item"),
        ("GET", "/v2/{item_id}", "views.py", 5, "item"),
    ]


def test_method_view_answers_the_methods_it_defines(discover_files: Discover) -> None:
    """`add_url_rule(view_func=View.as_view(...))` gives one route per defined method, and an
    explicit `methods=[...]` on a function view is honoured."""
    routes = discover_files(
        FLASK,
        {
            "app.py": """
                from flask import Flask
                from flask.views import MethodView

                app = Flask(__name__)

                class Users(MethodView):
                    def get(self): ...
                    def post(self): ...

                def hook(): ...

                app.add_url_rule("/users/", view_func=Users.as_view("users"))
                app.add_url_rule("/hook", "hook", hook, methods=["POST"])
            """,
        },
    )
    assert routes == [
        ("GET", "/users/", "app.py", 12, "Users.get"),
        ("POST", "/hook", "app.py", 13, "hook"),
        ("POST", "/users/", "app.py", 12, "Users.post"),
    ]


def test_unknown_receivers_need_a_flask_import(discover_files: Discover) -> None:
    """A `.route` decorator in a file that does not import flask is somebody else's."""
    routes = discover_files(
        FLASK,
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "cli.py": 'import click\n\n@commands.route("/x")\ndef x(): ...\n',
        },
    )
    assert routes == []


def test_factory_alias_is_claimed_and_other_objects_are_not(discover_files: Discover) -> None:
    """`app = create_app()` is the factory's Flask app; a FastAPI router's decorator in a
    file that also imports flask is not a Flask route."""
    routes = discover_files(
        FLASK,
        {
            "factory.py": """
                from flask import Flask

                def create_app():
                    app = Flask(__name__)
                    return app
            """,
            "wsgi.py": """
                from fastapi import APIRouter
                from flask import request
                from factory import create_app

                app = create_app()
                router = APIRouter()

                @app.route("/flask")
                def flask_view(): ...

                @router.get("/fastapi")
                def fastapi_view(): ...
            """,
        },
    )
    assert routes == [("GET", "/flask", "wsgi.py", 8, "flask_view")]
