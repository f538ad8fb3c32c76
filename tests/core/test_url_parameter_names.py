"""Every integer in a URL is named after the model whose record it picks, in snake case: no `pk`, no `_pk`.

`/plans/<int:plan>/priorities/new/` and `priorities/<int:priority>/edit/` read the same way, and a view's
parameter says what it loads. A model may be named by the last words of its name where the app says the
rest (CadenceChange → `change`, RagScale → `scale`, CommitteePaper → `paper`, ComparatorSeries → `series`).
The paths themselves never change with these names: bookmarks and e-mailed links keep working.
"""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.urls.converters import IntConverter

from tests.project import our_app_configs

# Integers that pick no record by its primary key, each with its reason.
NOT_A_RECORD = {
    "number": "a published version's number within its paper (PublishedVersion.number), counted from 1",
}
# Third-party URLs keep their own names (the admin's `content_type_id`).
SKIPPED_PREFIXES = ("admin/",)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def model_names() -> set[str]:
    """Return every name a URL may give a model of ours: its snake-case name, or its last words."""
    names = set()
    for config in our_app_configs():
        for model in config.get_models():
            if hasattr(model, "instance_type"):  # simple-history's historical twin: never in a URL
                continue
            # Abstract bases too: a paper's parts (sections, implications …) are PaperParts in one URL.
            for klass in model.__mro__:
                meta = getattr(klass, "_meta", None)
                if meta is None or klass.__module__.startswith("django."):
                    continue
                words = _snake(klass.__name__).split("_")
                names |= {"_".join(words[i:]) for i in range(len(words))}
    return names


def _int_parameters(patterns, prefix: str = ""):
    """Yield (route, parameter) for every integer path parameter of the URLconf below `patterns`."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        converters = getattr(entry.pattern, "converters", {})
        for name, converter in converters.items():
            if isinstance(converter, IntConverter):
                yield route, name
        if isinstance(entry, URLResolver):
            yield from _int_parameters(entry.url_patterns, route)
        else:
            assert isinstance(entry, URLPattern)


def badly_named(patterns) -> list[str]:
    allowed = model_names() | set(NOT_A_RECORD)
    found = _int_parameters(patterns)
    return sorted({f"{route}: <int:{name}>" for route, name in found if name not in allowed})


def test_every_integer_in_a_url_is_named_after_one_of_our_models():
    assert badly_named(get_resolver().url_patterns) == []


def test_the_walk_sees_the_parameters_of_included_url_confs():
    found = set(_int_parameters(get_resolver().url_patterns))
    assert ("plans/<int:plan>/priorities/new/", "plan") in found
    assert ("papers/<int:paper>/versions/<int:number>/", "number") in found


def test_a_pk_or_an_underscore_pk_would_be_caught():
    def view(request, **kwargs):
        raise AssertionError("never called")

    plans = (
        [
            path("<int:pk>/", view, name="detail"),
            path("<int:plan_pk>/priorities/new/", view, name="priority-create"),
            path("priorities/<int:priority>/edit/", view, name="priority-edit"),
        ],
        "plans",
    )
    assert badly_named([path("plans/", include(plans))]) == [
        "plans/<int:pk>/: <int:pk>",
        "plans/<int:plan_pk>/priorities/new/: <int:plan_pk>",
    ]


def test_short_names_come_from_the_models_last_words():
    names = model_names()
    assert {"plan", "action", "change", "cadence_change", "scale", "level", "series", "paper"} <= names
    assert "part" in names  # PaperPart, the abstract base of a paper's sections, implications …
    assert {"pk", "plan_pk", "item", "revisit"}.isdisjoint(names)
