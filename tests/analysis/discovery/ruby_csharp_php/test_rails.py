"""Rails routes DSL: resources, scopes, nesting, concerns, drawn files and engines."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.ruby_rails import RailsDiscoverer
from tests.analysis.discovery.conftest import Discover

RAILS = RailsDiscoverer()


def routes_rb(body: str) -> dict[str, str]:
    """A `config/routes.rb` whose draw block holds `body` (indented by two spaces)."""
    inner = "\n".join(f"  {line}" if line else "" for line in body.strip("\n").splitlines())
    return {"config/routes.rb": f"Rails.application.routes.draw do\n{inner}\nend\n"}


def test_resources_declare_the_seven_standard_actions(discover_files: Discover) -> None:
    """`resources :photos` gives index/create/new/edit/show/update (PATCH and PUT)/destroy, all
    pointing at the `resources` line."""
    rows = discover_files(RAILS, routes_rb("resources :photos"))
    f = "config/routes.rb"
    assert rows == sorted([
        ("GET", "/photos", f, 2, "photos#index"),
        ("POST", "/photos", f, 2, "photos#create"),
        ("GET", "/photos/new", f, 2, "photos#new"),
        ("GET", "/photos/{id}/edit", f, 2, "photos#edit"),
        ("GET", "/photos/{id}", f, 2, "photos#show"),
        ("PATCH", "/photos/{id}", f, 2, "photos#update"),
        ("PUT", "/photos/{id}", f, 2, "photos#update"),
        ("DELETE", "/photos/{id}", f, 2, "photos#destroy"),
    ])  # fmt: skip


def test_singular_resource_has_no_id_and_a_plural_controller(discover_files: Discover) -> None:
    """`resource :geocoder` serves `/geocoder` without an id, from `geocoders#...`, no index."""
    rows = discover_files(RAILS, routes_rb("resource :geocoder"))
    assert {(m, p, h) for m, p, _, _, h in rows} == {
        ("POST", "/geocoder", "geocoders#create"),
        ("GET", "/geocoder/new", "geocoders#new"),
        ("GET", "/geocoder/edit", "geocoders#edit"),
        ("GET", "/geocoder", "geocoders#show"),
        ("PATCH", "/geocoder", "geocoders#update"),
        ("PUT", "/geocoder", "geocoders#update"),
        ("DELETE", "/geocoder", "geocoders#destroy"),
    }


def test_only_and_except_accept_symbols_strings_and_word_arrays(discover_files: Discover) -> None:
    """`only: :index`, `only: %w[show]` and `except: [:new, "edit", ...]` select actions."""
    body = """
    resources :a, only: :index
    resources :b, only: %w[show]
    resources :c, except: [:new, "edit", :update, :destroy, :show]
    resources :settings, only: []
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert {(m, p) for m, p, *_ in rows} == {
        ("GET", "/a"), ("GET", "/b/{id}"), ("GET", "/c"), ("POST", "/c"),
    }  # fmt: skip


def test_nested_resources_take_the_parent_singular_id(discover_files: Discover) -> None:
    """Children sit under `{magazine_id}`; `param: :slug` on the parent makes it
    `{magazine_slug}`, and the irregular plural `people` gives `{person_id}`."""
    body = """
    resources :magazines, only: [] do
      resources :ads, only: :index
    end
    resources :blogs, only: [], param: :slug do
      resources :posts, only: :show
    end
    resources :people, only: [] do
      resource :avatar, only: :show
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(p, h) for _, p, _, _, h in rows] == [
        ("/blogs/{blog_slug}/posts/{id}", "posts#show"),
        ("/magazines/{magazine_id}/ads", "ads#index"),
        ("/people/{person_id}/avatar", "avatars#show"),
    ]


def test_namespace_adds_path_and_controller_module(discover_files: Discover) -> None:
    """`namespace :admin` prefixes `/admin` and `admin/`; `path:` and `module:` override each."""
    body = """
    namespace :admin do
      resources :users, only: :index
      namespace :reports, path: "r", module: "rep" do
        get "daily", to: "days#show"
      end
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(p, h) for _, p, _, _, h in rows] == [
        ("/admin/r/daily", "admin/rep/days#show"),
        ("/admin/users", "admin/users#index"),
    ]


def test_scopes_set_path_module_and_controller_separately(discover_files: Discover) -> None:
    """`scope "x"` and `scope path:` only add a path, `scope module:` only a module, and
    `controller :c do` names the controller of bare actions."""
    body = """
    scope "/v1" do
      get "ping", to: "health#ping"
    end
    scope path: "/help", module: :support do
      get "faq", to: "pages#faq"
    end
    scope module: "billing" do
      resources :invoices, only: :index
    end
    controller :sessions do
      get "login", action: :new
      delete "logout", to: "destroy"
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("DELETE", "/logout", "sessions#destroy"),
        ("GET", "/help/faq", "support/pages#faq"),
        ("GET", "/invoices", "billing/invoices#index"),
        ("GET", "/login", "sessions#new"),
        ("GET", "/v1/ping", "health#ping"),
    ]


def test_member_collection_and_nested_verbs_inside_resources(discover_files: Discover) -> None:
    """Inside `resources`: `member` adds `{id}`, `collection` nothing, `on:` picks either, and a
    bare verb nests under `{photo_id}`; a standard action in `member` adds no segment."""
    body = """
    resources :photos, only: [] do
      member do
        post :like
        put :update
      end
      collection do
        get :search
      end
      get :preview, on: :member
      get "stats"
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(m, p, line, h) for m, p, _, line, h in rows] == [
        ("GET", "/photos/search", 8, "photos#search"),
        ("GET", "/photos/{id}/preview", 10, "photos#preview"),
        ("GET", "/photos/{photo_id}/stats", 11, "photos#stats"),
        ("POST", "/photos/{id}/like", 4, "photos#like"),
        ("PUT", "/photos/{id}", 5, "photos#update"),
    ]


def test_verbs_read_targets_from_to_shorthand_and_rack_apps(discover_files: Discover) -> None:
    """`to: 'c#a'`, `'path' => 'c#a'`, the `photos/search` shorthand, `redirect(...)`, lambdas
    and Rack constants each name their handler; `match` takes `via:` (`:all` is ANY)."""
    body = """
    get "about", to: "pages#about"
    get "terms" => "pages#terms"
    get "photos/search"
    get "old" => redirect("/new")
    get "ping", to: ->(env) { [200, {}, ["pong"]] }
    get "rack", to: HealthApp
    match "contact", to: "pages#contact", via: [:get, :post]
    match "*path", to: "errors#not_found", via: :all
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("ANY", "/{path}", "errors#not_found"),
        ("GET", "/about", "pages#about"),
        ("GET", "/contact", "pages#contact"),
        ("GET", "/old", "redirect"),
        ("GET", "/photos/search", "photos#search"),
        ("GET", "/ping", "anonymous"),
        ("GET", "/rack", "HealthApp"),
        ("GET", "/terms", "pages#terms"),
        ("POST", "/contact", "pages#contact"),
    ]


def test_root_is_get_at_the_current_scope(discover_files: Discover) -> None:
    """`root "c#a"`, `root to:` and `root controller:, action:` are GET at `/` or the namespace."""
    body = """
    root "home#index"
    namespace :admin do
      root to: "dashboard#show"
    end
    scope "/docs" do
      root controller: "docs", action: "index"
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("GET", "/", "home#index"),
        ("GET", "/admin", "admin/dashboard#show"),
        ("GET", "/docs", "docs#index"),
    ]


def test_shallow_nesting_drops_parents_from_member_routes(discover_files: Discover) -> None:
    """`shallow: true`: index/create/new stay nested, show/edit/update/destroy move to
    `/comments/{id}`, keeping namespace paths (`/api`)."""
    body = """
    namespace :api do
      resources :articles, only: [], shallow: true do
        resources :comments, only: [:index, :show]
      end
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(p, h) for _, p, _, _, h in rows] == [
        ("/api/articles/{article_id}/comments", "api/comments#index"),
        ("/api/comments/{id}", "api/comments#show"),
    ]


def test_concerns_are_declared_where_they_are_used(discover_files: Discover) -> None:
    """A concern's routes appear under each resource using it, via `concerns:` or `concerns`."""
    body = """
    concern :commentable do
      resources :comments, only: :index
    end
    resources :posts, only: [], concerns: :commentable
    resources :videos, only: [] do
      concerns :commentable
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [(p, line) for _, p, _, line, _ in rows] == [
        ("/posts/{post_id}/comments", 3),
        ("/videos/{video_id}/comments", 3),
    ]


def test_drawn_files_keep_the_scope_and_report_their_own_lines(discover_files: Discover) -> None:
    """`draw :api` walks `config/routes/api.rb` in the current scope, once, even if it draws
    itself; the drawn file is not also read as a routes file of its own."""
    files = routes_rb("scope '/v1' do\n  draw :api\nend")
    files["config/routes/api.rb"] = """
        get "ping", to: "health#ping"
        draw :api
    """
    assert discover_files(RAILS, files) == [
        ("GET", "/v1/ping", "config/routes/api.rb", 1, "health#ping"),
    ]


def test_engine_routes_are_served_where_they_are_mounted(discover_files: Discover) -> None:
    """A project engine's routes join the mount path and its `isolate_namespace` module; a
    mounted third-party app (Sidekiq) adds nothing; an unmounted engine is served at `/`."""
    files = routes_rb('mount Blog::Engine, at: "/blog"\nmount Sidekiq::Web => "/sidekiq"')
    files["engines/blog/config/routes.rb"] = """
        Blog::Engine.routes.draw do
          resources :posts, only: :index
        end
    """
    files["engines/blog/lib/blog/engine.rb"] = """
        module Blog
          class Engine < ::Rails::Engine
            isolate_namespace Blog
          end
        end
    """
    files["engines/shop/config/routes.rb"] = """
        Shop::Engine.routes.draw do
          get "cart", to: "carts#show"
        end
    """
    rows = discover_files(RAILS, files)
    assert [(p, f, h) for _, p, f, _, h in rows] == [
        ("/blog/posts", "engines/blog/config/routes.rb", "blog/posts#index"),
        ("/cart", "engines/shop/config/routes.rb", "carts#show"),
    ]


def test_api_only_applications_have_no_new_or_edit(discover_files: Discover) -> None:
    """`config.api_only = true` drops the HTML form actions `new` and `edit`."""
    files = routes_rb("resources :photos")
    files["config/application.rb"] = """
        module Shop
          class Application < Rails::Application
            config.api_only = true
          end
        end
    """
    rows = discover_files(RAILS, files)
    assert sorted({p for _, p, *_ in rows}) == ["/photos", "/photos/{id}"]
    assert len(rows) == 6


def test_paths_drop_optional_groups_and_name_globs(discover_files: Discover) -> None:
    """`(...)` optional groups are dropped and `*path` globs become `{path}`; a computed path
    (string interpolation) is skipped rather than guessed."""
    body = """
    get "search(/:page)(.:format)", to: "search#index"
    get "files/*path", to: "files#show"
    get "#{prefix}/x", to: "x#y"
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [p for _, p, *_ in rows] == ["/files/{path}", "/search"]


def test_spec_and_test_folders_are_not_read(discover_files: Discover) -> None:
    """A dummy app under `spec/` and request specs calling `get "/x"` declare no routes."""
    files = {
        "spec/dummy/config/routes.rb": "Rails.application.routes.draw do\n"
        '  get "x", to: "x#y"\nend\n',
        "test/integration/flow_test.rb": 'get "/photos"\n',
        **routes_rb('get "real", to: "real#show"'),
    }
    assert [p for _, p, *_ in discover_files(RAILS, files)] == ["/real"]


def test_conditional_and_unknown_blocks_are_walked_through(discover_files: Discover) -> None:
    """Routes inside `if`, `constraints`, `defaults` or gem blocks (`authenticate`) count."""
    body = """
    if Rails.env.development?
      get "styleguide", to: "styleguide#index"
    end
    constraints subdomain: "api" do
      defaults format: :json do
        get "status", to: "status#show"
      end
    end
    authenticate :user, ->(u) { u.admin? } do
      get "ops", to: "ops#index"
    end
    """
    rows = discover_files(RAILS, routes_rb(body))
    assert [p for _, p, *_ in rows] == ["/ops", "/status", "/styleguide"]


def test_devise_for_follows_the_models_modules(discover_files: Discover) -> None:
    """`devise_for :users` declares the routes of the modules `User` enables (`confirmable`
    here, no `registerable`), with `path:`, `path_names:` and `controllers:` applied."""
    files = routes_rb(
        'devise_for :users, path: "auth", path_names: { sign_in: "login" },\n'
        '                   controllers: { sessions: "users/sessions" }'
    )
    files["app/models/user.rb"] = """
        class User < ApplicationRecord
          devise :database_authenticatable, :confirmable, :rememberable
        end
    """
    rows = discover_files(RAILS, files)
    assert {line for _, _, _, line, _ in rows} == {2}
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("DELETE", "/auth/sign_out", "users/sessions#destroy"),
        ("GET", "/auth/confirmation", "devise/confirmations#show"),
        ("GET", "/auth/confirmation/new", "devise/confirmations#new"),
        ("GET", "/auth/login", "users/sessions#new"),
        ("POST", "/auth/confirmation", "devise/confirmations#create"),
        ("POST", "/auth/login", "users/sessions#create"),
    ]


def test_devise_for_without_a_model_uses_the_generator_defaults(discover_files: Discover) -> None:
    """Without a readable model, the generator's modules apply (sessions, passwords,
    registrations), less what `skip:` removes."""
    rows = discover_files(RAILS, routes_rb("devise_for :admins, skip: [:registrations]"))
    assert sorted({h.split("#")[0] for *_, h in rows}) == ["devise/passwords", "devise/sessions"]
    assert ("GET", "/admins/sign_in") in {(m, p) for m, p, *_ in rows}


def test_path_names_rename_the_form_segments(discover_files: Discover) -> None:
    """`path_names: { new: "neu", edit: "bearbeiten" }` renames the `new` and `edit` segments."""
    body = 'resources :photos, only: [:new, :edit], path_names: { new: "neu", edit: "bearbeiten" }'
    rows = discover_files(RAILS, routes_rb(body))
    assert [p for _, p, *_ in rows] == ["/photos/neu", "/photos/{id}/bearbeiten"]
