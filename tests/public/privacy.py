"""The privacy check of the public pages: nothing private in the database appears on any of them."""

from __future__ import annotations

import html

from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.models import Action, ActionUpdate, Person, Plan
from public.models import PrioritySummary, Publication, YouSaidWeDid

SHORTEST = 8  # shorter strings ("Done", "Ann") match ordinary words; names and reasons are longer


def private_strings() -> set[str]:
    """Every person's name and email, and every RAG reason, recovery plan and update narrative."""
    found: set[str] = set()
    for first, last, email in User.objects.values_list("first_name", "last_name", "email"):
        found |= {f"{first} {last}".strip(), email}
    for name, email in Person.objects.values_list("name", "email"):
        found |= {name, email}
    for model in (Action, ActionUpdate):
        for reason, recovery in model.objects.values_list("rag_reason", "recovery_plan").iterator():
            found |= {reason, recovery}
    found |= set(ActionUpdate.objects.values_list("narrative", flat=True).iterator())
    return {text.strip() for text in found if len(text.strip()) >= SHORTEST}


def publish_everything(author: User) -> list[Plan]:
    """Publish every plan with an approved summary on every priority, as the most open plan lead would."""
    plans = list(Plan.objects.prefetch_related("priorities"))
    for plan in plans:
        for priority in plan.priorities.all():
            summary, _ = PrioritySummary.objects.get_or_create(
                priority=priority,
                defaults={"done": f"Work on {priority.title} went ahead.", "next_steps": "More of the same."},
            )
            summary.approve(author=author, version=summary.version)
            item = YouSaidWeDid.objects.create(
                priority=priority, you_said="Families spoke.", we_did="We acted."
            )
            item.approve(author=author, version=item.version)
        publication, _ = Publication.objects.get_or_create(plan=plan)
        publication.publish(author=author, version=publication.version)
    return plans


def public_pages(plans: list[Plan]) -> dict[str, str]:
    client = Client()
    urls = [reverse("public:index")]
    for plan in plans:
        urls += [reverse(name, args=[plan.pk]) for name in ("public:progress", "public:feed", "public:embed")]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = html.unescape(response.content.decode())
    return pages


def leaks(pages: dict[str, str], secrets: set[str]) -> list[str]:
    return sorted(
        f"{url}: {secret[:60]!r}" for url, text in pages.items() for secret in secrets if secret in text
    )
