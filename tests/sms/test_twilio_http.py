"""The Twilio HTTP client reads the environment once and pools as many connections as sends."""

from __future__ import annotations

from aid.sms.backends import BaseUrlHttpClient


def test_no_environment_lookups_per_send_and_a_pool_as_large_as_the_concurrency(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    client = BaseUrlHttpClient("http://127.0.0.1:9", pool_size=48)
    assert client.session is not None and client.session.trust_env is False
    assert client.proxy == {"https": "http://proxy.example:3128"}  # taken once, kept
    for scheme in ("https://", "http://"):
        assert client.session.get_adapter(scheme + "api.twilio.com")._pool_maxsize == 48
