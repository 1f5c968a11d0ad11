"""Connectors read only public addresses by default: a source an organisation's admin makes
cannot read the cloud's metadata service, a loopback port or an intranet through Smooth."""

from __future__ import annotations

import httpx
import pytest
from django.core.management import CommandError, call_command

from knowledge import fetching
from knowledge.models import Document
from tests.httpserver import Reply

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "169.254.169.254", "10.1.2.3", "192.168.0.7", "::1", "fc00::1"])
def test_a_host_that_is_not_public_is_refused(host):
    with pytest.raises(fetching.PrivateAddress, match="not a public address"):
        fetching.public_address(host, 80)


def test_a_public_address_is_the_one_connected_to():
    assert fetching.public_address("93.184.216.34", 443) == "93.184.216.34"


def test_kb_ingest_refuses_a_loopback_page_unless_private_addresses_are_allowed(settings, http_server):
    http_server.routes["/intranet.txt"] = Reply(200, "The staff wifi password is hunter2.")
    settings.SMOOTH_KB_PRIVATE_ADDRESSES = False
    with pytest.raises(CommandError, match=r"intranet\.txt: could not be fetched \(PrivateAddress\)"):
        call_command("kb_ingest", f"{http_server.url}/intranet.txt")
    assert http_server.requests == [] and not Document.objects.exists()  # never asked
    settings.SMOOTH_KB_PRIVATE_ADDRESSES = True
    call_command("kb_ingest", f"{http_server.url}/intranet.txt")
    assert Document.objects.count() == 1


def test_the_address_checked_is_the_address_connected_to_with_the_name_kept(settings, http_server, monkeypatch):
    """A name is resolved once: the request goes to the checked address, so a name that
    would resolve elsewhere the second time is not asked again; Host stays the name."""
    http_server.routes["/page.txt"] = Reply(200, "Parcels ship daily.")
    checked = []

    def resolved(host, port):
        checked.append(host)
        return "127.0.0.1"  # as if help.example.test had one public address, this one

    monkeypatch.setattr(fetching, "public_address", resolved)
    settings.SMOOTH_KB_PRIVATE_ADDRESSES = False
    port = httpx.URL(http_server.url).port
    with fetching.client() as client:
        assert client.get(f"http://help.example.test:{port}/page.txt").text == "Parcels ship daily."
    assert checked == ["help.example.test"]
    assert http_server.requests[0].headers["Host"] == f"help.example.test:{port}"
