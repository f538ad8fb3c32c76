"""The Jinja2 partials print what Django templates printed: Django's escaping, its filters, our tags."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

from django.template import Context, Template, engines
from django.utils import timezone

from actions.action_rows import action_rows
from actions.tables import COLUMNS, ActionTable

HOSTILE = 'O\'Neil & "Sons" <script>'


def _jinja(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def _django(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_values_are_escaped_as_django_escapes_them():
    assert _jinja("{{ text }}", text=HOSTILE) == _django("{{ text }}", text=HOSTILE)
    assert "&#x27;" in _jinja("{{ text }}", text=HOSTILE)


def test_dates_and_words_are_formatted_by_djangos_own_filters():
    day = datetime.date(2026, 3, 7)
    moment = timezone.make_aware(datetime.datetime(2026, 6, 1, 23, 30), datetime.UTC)
    words = "one two three four five six seven"
    for jinja, django in (
        ('{{ day|date("j M Y") }}', '{{ day|date:"j M Y" }}'),
        ('{{ moment|date("j M Y H:i") }}', '{{ moment|date:"j M Y H:i" }}'),
        ("{{ words|truncatewords(3) }}", "{{ words|truncatewords:3 }}"),
    ):
        assert _jinja(jinja, day=day, moment=moment, words=words) == _django(
            django, day=day, moment=moment, words=words
        )


def _action(**fields):
    plan = SimpleNamespace(title=HOSTILE)
    action = SimpleNamespace(
        pk=7,
        plan=plan,
        reference="1.2",
        description=HOSTILE,
        priority=SimpleNamespace(number=1, title="Identify needs early"),
        due_date=datetime.date(2026, 3, 7),
        status="in_progress",
        get_status_display=lambda: "In progress",
        rag=None,
        last_updated_at=None,
        leads_shown=lambda: [HOSTILE],
        lead_organisations_shown=lambda: [],
        detail_url="/actions/7/",
        update_url="/actions/7/update/",
        can_edit=True,
        attention=0,
    )
    action.__dict__.update(fields)
    return action


def test_a_row_has_one_cell_for_each_column_of_the_table_in_its_order():
    html = str(action_rows([_action()], next_query="%2F"))

    cells = re.findall(r"<td\b.*?</td>", html, flags=re.S)
    assert len(cells) == len(COLUMNS) == len(ActionTable.base_columns)
    assert cells[0].startswith('<td><a href="/actions/7/">1.2')  # reference
    assert "Overdue" in cells[COLUMNS.index("due_date")]
    assert '<span class="hint">None</span>' in cells[COLUMNS.index("lead_organisations")]
    assert "Update<span" in cells[-1] and 'data-hx-target="closest tr"' in cells[-1]
    assert HOSTILE not in html and "O&#x27;Neil &amp; &quot;Sons&quot; &lt;script&gt;" in html
