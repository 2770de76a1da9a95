"""Every address that sends a private file answers 404 to anyone without the right to it: a
visitor not signed in, another learner, a head of another department (and, for a report export,
anyone but the person who asked for it). The files are not under MEDIA_ROOT, so their old public
addresses (/media/…) find nothing either."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.services import user_roles_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def export_url(files):
    return reverse("reports:export_download", args=[files.export.pk])


def certificate_url(files):
    return reverse("certificates:download", args=[files.certificate.pk])


def evidence_url(files):
    return reverse("hours:attachment", args=[files.declaration.pk])


URLS = {"export": export_url, "certificate": certificate_url, "evidence": evidence_url}

# Who may fetch each file (the owner is a learner of the budget section, under finance): the export
# only its requester; a certificate only its owner; evidence its owner and the heads above them.
ALLOWED = {
    "export": {"finance_head"},
    "certificate": {"owner"},
    "evidence": {"owner", "budget_head", "finance_head", "admin"},
}
PEOPLE = ["anonymous", "owner", "other_learner", "plain_learner", "finance_head", "budget_head", "police_head", "admin"]


def person(city, who):
    if who == "owner":
        return city.learners["budget"][0]
    if who == "other_learner":
        return city.learners["budget"][1]  # same section as the owner
    return getattr(city, who)


@pytest.mark.parametrize("kind", URLS)
@pytest.mark.parametrize("who", PEOPLE)
def test_a_private_file_is_sent_only_to_those_with_a_right_to_it(client, city, private_files, kind, who):
    if who != "anonymous":
        client.force_login(person(city, who))
    response = client.get(URLS[kind](private_files))
    if who in ALLOWED[kind]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404
        assert not response.has_header("Content-Disposition")


def test_a_head_who_stepped_down_can_no_longer_fetch_an_export_they_asked_for(client, city, private_files):
    client.force_login(city.finance_head)
    assert client.get(export_url(private_files)).status_code == 200
    user_roles_update(
        user=city.finance_head,
        department=city.finance,
        is_trainer=False,
        is_department_head=False,
        is_city_admin=False,
        changed_by=city.admin,
    )
    assert client.get(export_url(private_files)).status_code == 404


def test_a_head_of_another_department_who_guesses_ids_gets_404_for_every_one(client, city, private_files):
    client.force_login(UserFactory(department=city.police, is_department_head=True))
    for kind, url in URLS.items():
        assert client.get(url(private_files)).status_code == 404, kind


@pytest.mark.parametrize("field", ["export.file", "certificate.pdf", "declaration.attachment"])
def test_the_old_public_address_of_a_private_file_finds_nothing(client, city, private_files, settings, field):
    holder, attribute = field.split(".")
    name = getattr(getattr(private_files, holder), attribute).name
    assert (Path(settings.PRIVATE_ROOT) / name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    client.force_login(city.admin)
    assert client.get(f"/media/{name}").status_code == 404
    # The name an export had before (report and time of day) finds nothing either.
    assert client.get("/media/exports/overview_courses-20261205-101500.csv").status_code == 404


def test_public_media_is_still_served_at_its_address(client, settings):
    # The control for the test above: the /media/ route of these tests does serve MEDIA_ROOT
    # (what is left there: the admin's avatars), but not the folders of checked views.
    avatar = Path(settings.MEDIA_ROOT) / "avatar_images" / "editor.png"
    avatar.parent.mkdir(parents=True)
    avatar.write_bytes(b"\x89PNG")
    assert client.get("/media/avatar_images/editor.png").status_code == 200
    for folder in ("original_images", "images", "documents"):
        hidden = Path(settings.MEDIA_ROOT) / folder / "diagram.png"
        hidden.parent.mkdir(parents=True)
        hidden.write_bytes(b"\x89PNG")
        for address in (f"/media/{folder}/diagram.png", f"/media/./{folder}/diagram.png"):
            assert client.get(address).status_code == 404, address
