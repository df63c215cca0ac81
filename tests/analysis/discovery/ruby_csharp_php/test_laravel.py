"""Laravel: route declarations, handlers, groups, resources and which file is loaded where."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.frameworks.php_laravel import LaravelDiscoverer, laravel_path
from tests.analysis.discovery.conftest import Discover

LARAVEL = LaravelDiscoverer()


def web(body: str) -> dict[str, str]:
    """A `routes/web.php` holding `body`."""
    return {"routes/web.php": "<?php\nuse Illuminate\\Support\\Facades\\Route;\n" + body}


def test_verbs_any_match_view_and_redirect(discover_files: Discover) -> None:
    """Each declaring call gives its methods: `any` is ANY, `match` lists its methods,
    `view` is GET and `redirect` (registered with `any`) is ANY."""
    body = """
Route::get('/a', fn () => 1);
Route::post('/a', fn () => 1);
Route::any('/b', fn () => 1);
Route::match(['get', 'post'], '/c', fn () => 1);
Route::view('/about', 'pages.about');
Route::redirect('/here', '/there', 301);
"""
    rows = discover_files(LARAVEL, web(body))
    assert [(m, p, line, h) for m, p, _, line, h in rows] == [
        ("ANY", "/b", 6, "anonymous"),
        ("ANY", "/here", 9, "redirect"),
        ("GET", "/a", 4, "anonymous"),
        ("GET", "/about", 8, "view"),
        ("GET", "/c", 7, "anonymous"),
        ("POST", "/a", 5, "anonymous"),
        ("POST", "/c", 7, "anonymous"),
    ]


def test_handlers_are_short_controller_at_method(discover_files: Discover) -> None:
    """`[C::class, 'm']`, `'Ns\\C@m'`, `['uses' => 'C@m']`, an invokable `C::class`, a method
    name inside `Route::controller(C::class)`, and an import alias all name `C@m`."""
    body = """
use App\\Http\\Controllers\\Admin\\UserController as AdminUsers;
Route::get('/1', [UserController::class, 'show']);
Route::get('/2', 'App\\Http\\Controllers\\UserController@edit');
Route::get('/3', ['as' => 'three', 'uses' => 'UserController@list']);
Route::get('/4', ShowProfile::class);
Route::controller(OrderController::class)->group(function () {
    Route::get('/5', 'index');
});
Route::get('/6', [AdminUsers::class, 'index']);
Route::get('/7', ['as' => 'seven', function () { return 7; }]);
"""
    rows = discover_files(LARAVEL, web(body))
    assert [(p, h) for _, p, _, _, h in rows] == [
        ("/1", "UserController@show"),
        ("/2", "UserController@edit"),
        ("/3", "UserController@list"),
        ("/4", "ShowProfile@__invoke"),
        ("/5", "OrderController@index"),
        ("/6", "UserController@index"),
        ("/7", "anonymous"),
    ]


def test_groups_nest_prefixes(discover_files: Discover) -> None:
    """`Route::prefix(...)->...->group`, `Route::group(['prefix' => ...])` and arrow functions
    nest; a prefix computed at run time leaves its routes out rather than guessing."""
    body = """
Route::prefix('admin')->middleware('auth')->name('admin.')->group(function () {
    Route::group(['prefix' => 'v1', 'namespace' => 'Api'], fn () => Route::get('users', 'U@i'));
    Route::get('/', 'D@i');
});
Route::prefix(config('app.prefix'))->group(function () {
    Route::get('/hidden', 'H@i');
});
"""
    rows = discover_files(LARAVEL, web(body))
    assert [p for _, p, *_ in rows] == ["/admin", "/admin/v1/users"]


def test_resource_and_api_resource_actions(discover_files: Discover) -> None:
    """`resource` declares 7 actions (update as PUT and PATCH), `apiResource` 5 (no create or
    edit); the parameter is the singular of the name."""
    body = """
Route::resource('photos', PhotoController::class);
Route::apiResource('user-profiles', ProfileController::class);
"""
    rows = discover_files(LARAVEL, web(body))
    assert [(m, p, h) for m, p, _, _, h in rows if p.startswith("/photos")] == [
        ("DELETE", "/photos/{photo}", "PhotoController@destroy"),
        ("GET", "/photos", "PhotoController@index"),
        ("GET", "/photos/create", "PhotoController@create"),
        ("GET", "/photos/{photo}", "PhotoController@show"),
        ("GET", "/photos/{photo}/edit", "PhotoController@edit"),
        ("PATCH", "/photos/{photo}", "PhotoController@update"),
        ("POST", "/photos", "PhotoController@store"),
        ("PUT", "/photos/{photo}", "PhotoController@update"),
    ]
    assert sorted({p for _, p, *_ in rows if "profiles" in p}) == [
        "/user-profiles",
        "/user-profiles/{user_profile}",
    ]
    assert len(rows) == 8 + 6


def test_resource_modifiers_and_options(discover_files: Discover) -> None:
    """`->only`, `->except` (array or list), the options array, nested `photos.comments`,
    `->shallow()` and `->parameters([...])` shape the resource routes."""
    body = """
Route::resource('a', A::class)->only(['index', 'show']);
Route::resource('b', B::class)->except('create', 'edit', 'update', 'destroy', 'store');
Route::resource('c', C::class, ['only' => ['index']]);
Route::resource('posts.comments', D::class)->only(['index', 'show'])->shallow();
Route::apiResource('users', E::class)->only(['show'])->parameters(['users' => 'member']);
"""
    rows = discover_files(LARAVEL, web(body))
    assert [(p, h) for _, p, _, _, h in rows] == [
        ("/a", "A@index"),
        ("/a/{a}", "A@show"),
        ("/b", "B@index"),
        ("/b/{b}", "B@show"),
        ("/c", "C@index"),
        ("/comments/{comment}", "D@show"),
        ("/posts/{post}/comments", "D@index"),
        ("/users/{member}", "E@show"),
    ]


def test_resources_arrays_and_singletons(discover_files: Discover) -> None:
    """`apiResources([...])` declares each entry; a singleton has no id, and `->creatable()`
    adds create, store and destroy."""
    body = """
Route::apiResources(['tags' => TagController::class]);
Route::singleton('profile', ProfileController::class);
Route::apiSingleton('avatar', AvatarController::class)->creatable();
"""
    rows = discover_files(LARAVEL, web(body))
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("DELETE", "/avatar", "AvatarController@destroy"),
        ("DELETE", "/tags/{tag}", "TagController@destroy"),
        ("GET", "/avatar", "AvatarController@show"),
        ("GET", "/profile", "ProfileController@show"),
        ("GET", "/profile/edit", "ProfileController@edit"),
        ("GET", "/tags", "TagController@index"),
        ("GET", "/tags/{tag}", "TagController@show"),
        ("PATCH", "/avatar", "AvatarController@update"),
        ("PATCH", "/profile", "ProfileController@update"),
        ("PATCH", "/tags/{tag}", "TagController@update"),
        ("POST", "/avatar", "AvatarController@store"),
        ("POST", "/tags", "TagController@store"),
        ("PUT", "/avatar", "AvatarController@update"),
        ("PUT", "/profile", "ProfileController@update"),
        ("PUT", "/tags/{tag}", "TagController@update"),
    ]


def test_api_routes_file_is_served_under_api_by_default(discover_files: Discover) -> None:
    """With no loader found, `routes/api.php` is served under `/api`, `routes/web.php` at `/`."""
    files = {
        "routes/api.php": "<?php\nRoute::get('/user', fn () => 1);\n",
        "routes/web.php": "<?php\nRoute::get('/home', fn () => 1);\n",
    }
    assert [p for _, p, *_ in discover_files(LARAVEL, files)] == ["/api/user", "/home"]


def test_route_service_provider_prefixes_its_files(discover_files: Discover) -> None:
    """`->prefix('api/v2')->group(base_path('routes/api.php'))` serves that file under the
    prefix, once; `require __DIR__.'/auth.php'` brings a file into the current group."""
    files = {
        "artisan": "",
        "app/Providers/RouteServiceProvider.php": """<?php
            class RouteServiceProvider extends ServiceProvider {
                public function boot() {
                    $this->routes(function () {
                        Route::middleware('api')->prefix('api/v2')->group(base_path('routes/api.php'));
                        Route::middleware('web')->group(base_path('routes/web.php'));
                    });
                }
            }
        """,
        "routes/api.php": "<?php\nRoute::get('/user', fn () => 1);\n",
        "routes/web.php": "<?php\nRoute::prefix('account')->group(function () {\n"
        "    require __DIR__.'/auth.php';\n});\n",
        "routes/auth.php": "<?php\nRoute::post('login', [LoginController::class, 'store']);\n",
    }
    assert discover_files(LARAVEL, files) == [
        ("GET", "/api/v2/user", "routes/api.php", 2, "anonymous"),
        ("POST", "/account/login", "routes/auth.php", 2, "LoginController@store"),
    ]


def test_laravel_11_bootstrap_routing(discover_files: Discover) -> None:
    """`withRouting(web:, api:, apiPrefix:, health:, then:)` loads each file under its prefix
    and declares the health route at its argument's line."""
    files = {
        "bootstrap/app.php": """<?php
            return Application::configure(basePath: dirname(__DIR__))
                ->withRouting(
                    web: __DIR__.'/../routes/web.php',
                    api: __DIR__.'/../routes/api.php',
                    apiPrefix: 'api/v1',
                    health: '/up',
                    then: function () {
                        Route::prefix('hooks')->group(base_path('routes/hooks.php'));
                    },
                )->create();
        """,
        "routes/web.php": "<?php\nRoute::get('/', fn () => 1);\n",
        "routes/api.php": "<?php\nRoute::get('/me', fn () => 1);\n",
        "routes/hooks.php": "<?php\nRoute::post('/stripe', StripeHook::class);\n",
    }
    assert [(m, p, f, line) for m, p, f, line, _ in discover_files(LARAVEL, files)] == [
        ("GET", "/", "routes/web.php", 2),
        ("GET", "/api/v1/me", "routes/api.php", 2),
        ("GET", "/up", "bootstrap/app.php", 7),
        ("POST", "/hooks/stripe", "routes/hooks.php", 2),
    ]


def test_package_routes_and_lumen_router(discover_files: Discover) -> None:
    """`$this->loadRoutesFrom(...)` in a package provider loads its file; Lumen's
    `$router->group([...], function () use ($router) {...})` declares routes like the facade."""
    files = {
        "packages/blog/src/BlogServiceProvider.php": """<?php
            class BlogServiceProvider extends ServiceProvider {
                public function boot(): void {
                    $this->loadRoutesFrom(__DIR__.'/../routes/web.php');
                }
            }
        """,
        "packages/blog/routes/web.php": "<?php\n"
        "Route::get('/blog', [PostController::class, 'index']);\n",
        "lumen/routes/web.php": """<?php
            $router->group(['prefix' => 'v1'], function () use ($router) {
                $router->get('books/{id}', 'BookController@show');
            });
        """,
    }
    assert [(p, h) for _, p, _, _, h in discover_files(LARAVEL, files)] == [
        ("/blog", "PostController@index"),
        ("/v1/books/{id}", "BookController@show"),
    ]


def test_nwidart_module_routes_take_their_provider_prefix(discover_files: Discover) -> None:
    """A module provider's `group(module_path('Blog', '/Routes/api.php'))` serves that file
    under its prefix; a module route file no loader resolves is served on its own."""
    files = {
        "artisan": "",
        "Modules/Blog/Providers/RouteServiceProvider.php": """<?php
            class RouteServiceProvider extends ServiceProvider {
                public function map(): void {
                    Route::prefix('api')->group(module_path('Blog', '/Routes/api.php'));
                    Route::middleware('web')->group(module_path($this->name, '/Routes/web.php'));
                }
            }
        """,
        "Modules/Blog/Routes/api.php": "<?php\nRoute::get('/posts', [PostController::class, 'i']);",
        "Modules/Blog/Routes/web.php": "<?php\nRoute::get('/blog', [BlogController::class, 'i']);",
    }
    assert [(p, f) for _, p, f, _, _ in discover_files(LARAVEL, files)] == [
        ("/api/posts", "Modules/Blog/Routes/api.php"),
        ("/blog", "Modules/Blog/Routes/web.php"),
    ]


def test_auth_routes_scaffolding(discover_files: Discover) -> None:
    """`Auth::routes(['register' => false, 'verify' => true])` declares laravel/ui's login,
    logout, password reset and e-mail verification routes under the current group; password
    confirmation follows whether the app has a `ConfirmPasswordController`."""
    files = {
        **web(
            "Route::prefix('account')->group(function () {\n"
            "    Auth::routes(['register' => false, 'verify' => true]);\n});\n"
        ),
        "app/Http/Controllers/Auth/ConfirmPasswordController.php": "<?php\nclass C {}\n",
    }
    rows = discover_files(LARAVEL, files)
    assert {line for _, _, _, line, _ in rows} == {4}
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("GET", "/account/email/verify", "VerificationController@show"),
        ("GET", "/account/email/verify/{id}/{hash}", "VerificationController@verify"),
        ("GET", "/account/login", "LoginController@showLoginForm"),
        ("GET", "/account/password/confirm", "ConfirmPasswordController@showConfirmForm"),
        ("GET", "/account/password/reset", "ForgotPasswordController@showLinkRequestForm"),
        ("GET", "/account/password/reset/{token}", "ResetPasswordController@showResetForm"),
        ("POST", "/account/email/resend", "VerificationController@resend"),
        ("POST", "/account/login", "LoginController@login"),
        ("POST", "/account/logout", "LoginController@logout"),
        ("POST", "/account/password/confirm", "ConfirmPasswordController@confirm"),
        ("POST", "/account/password/email", "ForgotPasswordController@sendResetLinkEmail"),
        ("POST", "/account/password/reset", "ResetPasswordController@reset"),
    ]


def test_tests_views_and_other_calls_are_not_routes(discover_files: Discover) -> None:
    """Routes registered in tests, `Route::has` in Blade views, `Route::pattern`, and HTTP
    calls in controllers declare nothing."""
    files = {
        "tests/Feature/ExampleTest.php": "<?php\nRoute::get('/t', fn () => 1);\n$this->get('/');\n",
        "resources/views/welcome.blade.php": "@if (Route::has('login'))"
        "<?php Route::get('/v', fn () => 1); ?>@endif",
        "app/Providers/AppServiceProvider.php": "<?php\nRoute::pattern('id', '[0-9]+');\n",
        "app/Http/Controllers/Proxy.php": "<?php\n$response = Http::get('https://example.com/x');\n",
    }
    assert discover_files(LARAVEL, files) == []


@pytest.mark.parametrize(
    ("declared", "path"),
    [("/posts/{post:slug}", "/posts/{post}"), ("/users/{id?}", "/users/{id}"), ("/a/", "/a")],
)
def test_laravel_paths(declared: str, path: str) -> None:
    """Binding keys and optional marks are dropped, trailing slashes trimmed as Laravel does."""
    assert laravel_path(declared) == path
