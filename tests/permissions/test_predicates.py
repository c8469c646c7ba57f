"""Predicates are defined once (each app's rules.py, registered by name) and asked the same way by a
page's guard, the navigation and the templates: an item offered in the navigation never leads to a
page that refuses the user, and a page refuses whoever it is not offered to."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template import Context, Template

from dacrre.accounts.models import ROLE_SCOPES, Role
from dacrre.accounts.predicates import can, predicate, predicates, require
from incidents.rules import can_import_incidents
from tests.factories import AreaFactory, UserFactory


def test_every_predicate_is_named_after_an_installed_app() -> None:
    labels = {config.label for config in apps.get_app_configs()}
    names = predicates()
    assert len(names) >= 30
    for name in names:
        app, _, action = name.partition(".")
        assert app in labels and action, name


def test_a_name_cannot_be_registered_twice() -> None:
    with pytest.raises(ImproperlyConfigured, match="incidents.import"):
        predicate("incidents.import")(lambda user: True)
    assert predicates()["incidents.import"] is can_import_incidents
    with pytest.raises(ImproperlyConfigured, match="no.such"):
        can(SimpleNamespace(is_authenticated=True), "no.such")


@pytest.mark.django_db
def test_templates_and_guards_ask_the_predicates_by_name() -> None:
    area = AreaFactory()
    analyst = UserFactory(role=Role.ANALYST, area=area)
    officer = UserFactory(role=Role.OFFICER, area=area)
    template = Template(
        '{% load predicates %}{% if user|can:"incidents.import" %}import{% endif %}'
        '{% can "referrals.make" case as may_refer %}{% if may_refer %} refer{% endif %}'
    )
    assert template.render(Context({"user": analyst, "case": None})) == "import"
    assert template.render(Context({"user": officer, "case": None})) == " refer"
    require(analyst, "incidents.import")
    with pytest.raises(PermissionDenied):
        require(officer, "incidents.import")


ACCOUNTS = [(role, with_agency) for role in Role for with_agency in (True, False)]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "with_agency"), ACCOUNTS, ids=[f"{r.value}-{a}" for r, a in ACCOUNTS])
def test_every_navigation_item_opens_for_whoever_is_offered_it(login, role, with_agency) -> None:
    """The navigation offers an item when its page's predicate says yes; the page then answers 200.
    Accounts without an agency (an analyst not yet placed in a force...) are offered nothing they
    cannot open: the menu's "Import incidents" asks what the import page asks."""
    area = AreaFactory() if with_agency else None
    user = UserFactory(role=role, area=area, scope=ROLE_SCOPES[role][0], is_staff=role == Role.ADMIN)
    client = login(user)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    items = response.context["navigation_items"]
    for item in items:
        assert client.get(item["href"]).status_code == 200, (role, with_agency, item["text"])
    offered = {item["text"].split(" (")[0] for item in items}
    assert ("Import incidents" in offered) == (role == Role.ANALYST and with_agency)
    assert ("Access log" in offered) == (role == Role.AUDITOR)
