"""Sinatra: classic and modular applications, namespaces, extensions, and what is not a route."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.frameworks.ruby_sinatra import SinatraDiscoverer, sinatra_path
from tests.analysis.discovery.conftest import Discover

SINATRA = SinatraDiscoverer()


def test_classic_app_routes_at_the_top_level(discover_files: Discover) -> None:
    """With `require 'sinatra'`, top-level verb blocks are routes, handler `anonymous`; a
    top-level file the classic app loads counts too, filters (`before`) do not."""
    files = {
        "app.rb": """
            require 'sinatra'
            require_relative 'more'

            before do
              content_type :json
            end

            get '/' do
              'hi'
            end

            post('/items/:id') { 201 }
        """,
        "more.rb": """
            delete '/items/:id' do
            end
        """,
    }
    assert discover_files(SINATRA, files) == [
        ("DELETE", "/items/{id}", "more.rb", 1, "anonymous"),
        ("GET", "/", "app.rb", 8, "anonymous"),
        ("POST", "/items/{id}", "app.rb", 12, "anonymous"),
    ]


def test_top_level_verbs_without_sinatra_are_not_routes(discover_files: Discover) -> None:
    """Without a classic Sinatra app, a top-level `get '/x' do` (a script's own DSL) is ignored."""
    files = {"scripts/fetch.rb": "get '/status' do |response|\n  puts response\nend\n"}
    assert discover_files(SINATRA, files) == []


def test_modular_apps_are_found_through_project_base_classes(discover_files: Discover) -> None:
    """`Api < Shop::Base < Sinatra::Base` across files is an app; a Grape API and a class
    calling its own `get` method are not; calls inside methods are not routes."""
    files = {
        "app/base.rb": """
            module Shop
              class Base < Sinatra::Base
                get '/health' do
                end
              end
            end
        """,
        "app/api.rb": """
            module Shop
              class Api < Base
                get '/orders/:id' do
                end

                def helper
                  get '/not-a-route' do
                  end
                end
              end
            end
        """,
        "app/legacy.rb": """
            class Legacy < Grape::API
              get '/legacy' do
              end
            end
        """,
        "lib/client.rb": """
            class Client < HttpBase
              get '/remote' do
              end
            end
        """,
        "app/admin.rb": """
            class Admin < Sinatra::Application
              put '/admin/flags' do
              end
            end
        """,
    }
    assert discover_files(SINATRA, files) == [
        ("GET", "/health", "app/base.rb", 3, "anonymous"),
        ("GET", "/orders/{id}", "app/api.rb", 3, "anonymous"),
        ("PUT", "/admin/flags", "app/admin.rb", 2, "anonymous"),
    ]


def test_namespaces_prefix_their_routes(discover_files: Discover) -> None:
    """sinatra-contrib `namespace` blocks nest, and `get do` in one serves the namespace path."""
    files = {
        "app.rb": """
            class App < Sinatra::Base
              register Sinatra::Namespace
              namespace '/api' do
                get do
                end
                namespace '/v1' do
                  get '/users/:id' do
                  end
                end
              end
            end
        """,
    }
    assert discover_files(SINATRA, files) == [
        ("GET", "/api", "app.rb", 4, "anonymous"),
        ("GET", "/api/v1/users/{id}", "app.rb", 7, "anonymous"),
    ]


def test_extension_registered_hooks_declare_routes(discover_files: Discover) -> None:
    """An extension's `self.registered(app)` declares `app.get '/x' do` routes; other receivers
    inside it do not."""
    files = {
        "lib/health.rb": """
            module Health
              def self.registered(app)
                app.get '/healthz' do
                end
                client.get '/elsewhere' do
                end
              end
            end
        """,
    }
    assert discover_files(SINATRA, files) == [
        ("GET", "/healthz", "lib/health.rb", 3, "anonymous"),
    ]


def test_spec_files_are_not_read(discover_files: Discover) -> None:
    """Rack::Test specs call `get '/x'`; under `spec/` or in `*_spec.rb` they declare nothing."""
    files = {
        "app.rb": "require 'sinatra'\nget '/' do\nend\n",
        "spec/app_spec.rb": "get '/spec' do\nend\n",
        "lib/smoke_test.rb": "get '/smoke' do\nend\n",
    }
    assert [p for _, p, *_ in discover_files(SINATRA, files)] == ["/"]


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("/posts/:id", "/posts/{id}"),
        ("/admin/?", "/admin"),
        ("/posts/:id.?:format?", "/posts/{id}"),
        ("/files/*", "/files/{splat}"),
        ("/say/*/to/*", "/say/{splat}/to/{splat}"),
        ("/photos(/:page)?", "/photos"),
    ],
)
def test_sinatra_patterns_become_templates(pattern: str, path: str) -> None:
    """Mustermann patterns: named params, optional trailing slash and format, splats, groups."""
    assert sinatra_path(pattern) == path
