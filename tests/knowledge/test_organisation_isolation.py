from dataclasses import replace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from identity.access import AccessContext
from knowledge.models import Document
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs():
    add("acme", "acme/returns.md", "# Returns\n\nAcme takes returns within 17 days.")
    add(
        "globex", "globex/returns.md", "# Returns\n\nGlobex takes returns within 90 days, returns returns returns.", access={"public": True}
    )


def test_search_never_crosses_organisations_even_for_public_documents(two_orgs):
    everyone = [AccessContext.anonymous("any"), AccessContext("any", user_id="u", groups=frozenset({"g"}))]
    for access in everyone:
        assert found_sources("returns within days", replace(access, organization_id="acme"), limit=5) == ["acme/returns.md"]
        assert found_sources("returns within days", replace(access, organization_id="globex"), limit=5) == ["globex/returns.md"]
        assert found_sources("returns within days", replace(access, organization_id="initech"), limit=5) == []


def _staff(django_user_model, *org_groups, superuser=False):
    user = django_user_model.objects.create_user("staff" + "".join(org_groups), password="pw", is_staff=True, is_superuser=superuser)
    for name in org_groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if not superuser:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="knowledge"))
    return user


@pytest.mark.parametrize(
    "groups, superuser, visible",
    [
        (["org:acme"], False, {"acme/returns.md"}),
        (["org:globex", "org:acme"], False, {"acme/returns.md", "globex/returns.md"}),
        ([], False, set()),
        ([], True, {"acme/returns.md", "globex/returns.md"}),
    ],
)
def test_the_admin_lists_only_the_staff_members_organisations(client, django_user_model, two_orgs, groups, superuser, visible):
    client.force_login(_staff(django_user_model, *groups, superuser=superuser))
    response = client.get(reverse("admin:knowledge_document_changelist"))
    assert response.status_code == 200
    shown = {source for source in ["acme/returns.md", "globex/returns.md"] if source in response.text}
    assert shown == visible


def test_a_staff_member_cannot_open_another_organisations_document(client, django_user_model, two_orgs):
    client.force_login(_staff(django_user_model, "org:acme"))
    other = Document.objects.get(organization_id="globex")
    response = client.get(reverse("admin:knowledge_document_change", args=[other.pk]))
    # The admin treats it as missing: a redirect to the index, never the page.
    assert (response.status_code, response.url) == (302, reverse("admin:index"))
