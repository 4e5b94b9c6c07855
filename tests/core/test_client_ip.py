"""The client's IP: REMOTE_ADDR, unless a trusted proxy's header is named."""

from __future__ import annotations

from django.test import RequestFactory

from advisor.core.client_ip import client_ip


def test_without_a_trusted_header_the_peer_address_counts(settings) -> None:
    settings.CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_REAL_IP="1.2.3.4")
    assert client_ip(request) == "10.0.0.7"


def test_the_proxys_header_counts_when_named_and_set(settings) -> None:
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=" 1.2.3.4 ")) == (
        "1.2.3.4"
    )
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
