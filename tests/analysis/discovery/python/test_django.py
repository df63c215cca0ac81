"""Django URLconfs and DRF routers."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.python_django import DjangoDiscoverer
from tests.analysis.discovery.conftest import Discover

DJANGO = DjangoDiscoverer()


def test_include_chains_and_growing_urlpatterns(discover_files: Discover) -> None:
    """`include("app.urls")` across apps, `urlpatterns.append`, a DEBUG-only `+=`, a
    `format_suffix_patterns` wrapper and an include of a missing module."""
    routes = discover_files(
        DJANGO,
        {
            "project/urls.py": """
                from django.conf import settings
                from django.urls import include, path

                urlpatterns = [
                    path("api/", include("orders.urls")),
                    path("x/", include("gone.urls")),
                ]
                if settings.DEBUG:
                    urlpatterns += [path("debug/", include("orders.debug_urls"))]
            """,
            "orders/urls.py": """
                from django.urls import path
                from rest_framework.urlpatterns import format_suffix_patterns
                from . import views

                urlpatterns = [path("orders/<int:pk>/", views.order)]
                urlpatterns.append(path("orders/", views.orders))
                urlpatterns = format_suffix_patterns(urlpatterns)
            """,
            "orders/debug_urls.py": """
                from django.urls import re_path
                from orders.views import dump

                urlpatterns = [re_path(r"^dump/(?P<kind>\\w+)/?$", dump)]
            """,
            "orders/views.py": "def order(r, pk): ...\ndef orders(r): ...\ndef dump(r, k): ...\n",
        },
    )
    assert routes == [
        ("ANY", "/api/orders/", "orders/urls.py", 6, "orders"),
        ("ANY", "/api/orders/{pk}/", "orders/urls.py", 5, "order"),
        ("ANY", "/debug/dump/{kind}/", "orders/debug_urls.py", 4, "dump"),
    ]


def test_router_options_restrictions_and_nesting(discover_files: Discover) -> None:
    """`trailing_slash=False`, `http_method_names`, a custom `lookup_field`, a nested router
    and a router whose urls are included nowhere (served at `/`)."""
    routes = discover_files(
        DJANGO,
        {
            "api/urls.py": """
                from rest_framework.routers import SimpleRouter
                from rest_framework_nested.routers import NestedSimpleRouter
                from api.views import BookViewSet, ChapterViewSet

                router = SimpleRouter(trailing_slash=False)
                router.register("books", BookViewSet)
                chapters = NestedSimpleRouter(router, r"books", lookup="book")
                chapters.register(r"chapters", ChapterViewSet, basename="chapter")
            """,
            "api/views.py": """
                from rest_framework import viewsets

                class BookViewSet(viewsets.ModelViewSet):
                    lookup_field = "isbn"
                    http_method_names = ["get", "post"]

                class ChapterViewSet(viewsets.ReadOnlyModelViewSet):
                    pass
            """,
        },
    )
    assert routes == [
        ("GET", "/books", "api/urls.py", 6, "BookViewSet.list"),
        ("GET", "/books/{book_pk}/chapters/", "api/urls.py", 8, "ChapterViewSet.list"),
        ("GET", "/books/{book_pk}/chapters/{pk}/", "api/urls.py", 8, "ChapterViewSet.retrieve"),
        ("GET", "/books/{isbn}", "api/urls.py", 6, "BookViewSet.retrieve"),
        ("POST", "/books", "api/urls.py", 6, "BookViewSet.create"),
    ]


def test_class_views_answer_their_methods_or_any(discover_files: Discover) -> None:
    """A view class answers the methods it or its project bases define, `http_method_names`
    restricts them, and a plain `View` with only `dispatch` answers ANY."""
    routes = discover_files(
        DJANGO,
        {
            "urls.py": """
                from django.urls import path
                from django.views import View
                from rest_framework.views import APIView

                class Base(APIView):
                    def get(self, request): ...

                class Item(Base):
                    http_method_names = ["get", "put"]
                    def put(self, request): ...
                    def delete(self, request): ...

                class Anything(View):
                    def dispatch(self, request): ...

                urlpatterns = [path("item/", Item.as_view()), path("any/", Anything.as_view())]
            """,
        },
    )
    assert routes == [
        ("ANY", "/any/", "urls.py", 16, "Anything"),
        ("GET", "/item/", "urls.py", 16, "Item.get"),
        ("PUT", "/item/", "urls.py", 16, "Item.put"),
    ]


def test_project_without_urlconf_yields_nothing(discover_files: Discover) -> None:
    """`path(...)` calls outside any `urlpatterns` are not routes."""
    routes = discover_files(DJANGO, {"app.py": 'from os import path\nx = [path("a/", f)]\n'})
    assert routes == []
