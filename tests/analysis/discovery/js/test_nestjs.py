"""NestJS controllers: controller and method paths, global prefix, versions, RouterModule."""

from __future__ import annotations

from tests.analysis.discovery.js.conftest import Discover

MAIN = """
    import { NestFactory } from '@nestjs/core';
    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      app.setGlobalPrefix('api');
      await app.listen(3000);
    }
    """


def test_controller_and_method_decorators_with_global_prefix(discover_js: Discover) -> None:
    """`@Controller('users')` + `@Get(':id')` with `setGlobalPrefix('api')`: `/api/users/{id}`."""
    found = discover_js(
        {
            "src/main.ts": MAIN,
            "src/users.controller.ts": """
                import { Controller, Get, Post, All, Delete as Remove } from '@nestjs/common';
                @Controller('users')
                export class UsersController {
                  @Get()
                  findAll() {}
                  @Get(':id')
                  findOne() {}
                  @Post()
                  create() {}
                  @All('*')
                  fallback() {}
                  @Remove(['/:id', '/by-email/:email'])
                  remove() {}
                  helper() {}
                }
                """,
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/api/users", "src/users.controller.ts", 4, "UsersController.findAll"),
        ("GET", "/api/users/{id}", "src/users.controller.ts", 6, "UsersController.findOne"),
        ("POST", "/api/users", "src/users.controller.ts", 8, "UsersController.create"),
        ("ANY", "/api/users/*", "src/users.controller.ts", 10, "UsersController.fallback"),
        ("DELETE", "/api/users/{id}", "src/users.controller.ts", 12, "UsersController.remove"),
        (
            "DELETE",
            "/api/users/by-email/{email}",
            "src/users.controller.ts",
            12,
            "UsersController.remove",
        ),
    }


def test_controller_options_object_and_constants(discover_js: Discover) -> None:
    """`@Controller({ path })`, a bare `@Controller()` and paths from constants and enums."""
    found = discover_js(
        {
            "src/paths.ts": """
                export const PATHS = { ORDERS: 'orders' } as const;
                export enum Sub { Items = ':orderId/items' }
                """,
            "src/orders.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                import { PATHS, Sub } from './paths';
                @Controller({ path: PATHS.ORDERS })
                export class OrdersController {
                  @Get(Sub.Items)
                  items() {}
                }
                @Controller()
                export class RootController {
                  @Get()
                  index() {}
                }
                """,
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/orders/{orderId}/items", "src/orders.controller.ts", 5, "OrdersController.items"),
        ("GET", "/", "src/orders.controller.ts", 10, "RootController.index"),
    }


def test_uri_versioning_and_excluded_prefix(discover_js: Discover) -> None:
    """URI versioning adds `/v{n}` (neutral adds none); excluded paths skip the global prefix."""
    found = discover_js(
        {
            "src/main.ts": """
                import { RequestMethod, VersioningType } from '@nestjs/common';
                async function bootstrap() {
                  const app = await NestFactory.create(AppModule);
                  app.setGlobalPrefix('api', {
                    exclude: [{ path: 'health', method: RequestMethod.GET }],
                  });
                  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
                }
                """,
            "src/cats.controller.ts": """
                import { Controller, Get, Version, VERSION_NEUTRAL } from '@nestjs/common';
                @Controller({ path: 'cats', version: ['1', '2'] })
                export class CatsController {
                  @Get()
                  list() {}
                  @Version(VERSION_NEUTRAL)
                  @Get('ping')
                  ping() {}
                }
                @Controller('health')
                export class HealthController {
                  @Version('3')
                  @Get()
                  check() {}
                }
                """,
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/api/v1/cats", "src/cats.controller.ts", 4, "CatsController.list"),
        ("GET", "/api/v2/cats", "src/cats.controller.ts", 4, "CatsController.list"),
        ("GET", "/api/cats/ping", "src/cats.controller.ts", 7, "CatsController.ping"),
        ("GET", "/v3/health", "src/cats.controller.ts", 13, "HealthController.check"),
    }


def test_router_module_paths_reach_module_controllers(discover_js: Discover) -> None:
    """`RouterModule.register([{ path, module, children }])` prefixes each module's controllers."""
    found = discover_js(
        {
            "src/app.module.ts": """
                import { Module, Controller, Get } from '@nestjs/common';
                import { RouterModule } from '@nestjs/core';
                @Controller('settings')
                export class SettingsController { @Get() read() {} }
                @Controller('daily')
                export class DailyController { @Get() list() {} }
                @Module({ controllers: [SettingsController] })
                export class AdminModule {}
                @Module({ controllers: [DailyController] })
                export class ReportsModule {}
                @Module({
                  imports: [
                    RouterModule.register([
                      {
                        path: 'admin',
                        module: AdminModule,
                        children: [{ path: 'reports', module: ReportsModule }],
                      },
                    ]),
                  ],
                })
                export class AppModule {}
                """
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/admin/settings", "src/app.module.ts", 4, "SettingsController.read"),
        ("GET", "/admin/reports/daily", "src/app.module.ts", 6, "DailyController.list"),
    }


def test_inherited_routes_and_look_alike_decorators(discover_js: Discover) -> None:
    """Inherited routes count unless overridden; routing-controllers' `@Get` does not."""
    found = discover_js(
        {
            "src/base.ts": """
                import { Get } from '@nestjs/common';
                export abstract class Base {
                  @Get('count') count() {}
                  @Get() list() {}
                }
                """,
            "src/items.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                import { Base } from './base';
                @Controller('items')
                export class ItemsController extends Base {
                  @Get() list() {}
                }
                """,
            "src/legacy.controller.ts": """
                import { JsonController, Get } from 'routing-controllers';
                import { Injectable } from '@nestjs/common';
                @JsonController('/legacy')
                export class LegacyController { @Get('/x') x() {} }
                """,
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/items/count", "src/base.ts", 3, "Base.count"),
        ("GET", "/items", "src/items.controller.ts", 5, "ItemsController.list"),
    }


def test_server_sent_events_are_get_routes(discover_js: Discover) -> None:
    """`@Sse('events')` serves a GET stream."""
    found = discover_js(
        {
            "src/events.controller.ts": """
                import { Controller, Sse } from '@nestjs/common';
                @Controller('jobs')
                export class EventsController {
                  @Sse(':id/events')
                  events() {}
                }
                """
        },
        "nestjs",
    )
    assert found == {
        ("GET", "/jobs/{id}/events", "src/events.controller.ts", 4, "EventsController.events")
    }
