"""``X-Twilio-Signature``: HMAC-SHA1 over the full URL and the POST fields sorted by name, base64.

Known answers, each with its source:

- Twilio's worked example of "Validating Requests are coming from Twilio" (https://www.twilio.com/docs/usage/security,
  now https://www.twilio.com/docs/usage/webhooks/webhooks-security): auth token ``12345``, URL
  ``https://mycompany.com/myapp.php?foo=1&bar=2``, fields CallSid, Caller, Digits, From, To, signature
  ``RSOYDt4T1cUTdK1PDd93/VVr8B8=``. The stored copies of Twilio's pages reachable here end before the example,
  so the values are taken from Twilio's own libraries, which reproduce it: twilio/twilio-python
  ``tests/unit/test_request_validator.py`` (commit b9b32ef0b0e2c280510715c70a3d5c1cd6cec774, MIT) and the
  twilio-php documentation page ``docs/usage/validation.rst`` "Validate Incoming Requests" (as published at
  twilio-php-atbaker.readthedocs.io).
- The same example with the numbers the current Twilio page uses (``+12349013030``), signature
  ``0/KCTR6DLpKmkAf8muzZqo1nDgQ=``, as quoted from that page with a link to it, e.g. in the gist
  ryanwinchester/ab49855e9acb7352507b8fa92ffe69d0; Twilio's own snippets (TwilioDevEd/api-snippets
  ``security/signature_validation``) use these field values.
- twilio-python's vectors for repeated field names and for URLs with and without a port (same file).
- A real SMS request signed by Twilio, from twilio/twilio-ruby ``spec/util/request_validator_spec.rb``
  (commit 428b8b613e1241ca49681ead98168e2dec41553e): see test_twilio.py.
"""

from __future__ import annotations

import pytest

from smschannel.providers.twilio import twilio_signature, valid_twilio_signature

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOCS_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
DOCS_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
CURRENT_DOCS_PARAMS = {**DOCS_PARAMS, "Caller": "+12349013030", "From": "+12349013030"}
CURRENT_DOCS_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_docs_worked_example() -> None:
    assert twilio_signature(TOKEN, URL, DOCS_PARAMS) == DOCS_SIGNATURE
    assert valid_twilio_signature(TOKEN, URL, DOCS_PARAMS, DOCS_SIGNATURE)


def test_twilio_docs_worked_example_with_the_current_numbers() -> None:
    assert twilio_signature(TOKEN, URL, CURRENT_DOCS_PARAMS) == CURRENT_DOCS_SIGNATURE
    assert valid_twilio_signature(TOKEN, URL, CURRENT_DOCS_PARAMS, CURRENT_DOCS_SIGNATURE)


def test_field_order_does_not_matter_and_pairs_equal_a_mapping() -> None:
    shuffled = [(name, DOCS_PARAMS[name]) for name in ("To", "Digits", "CallSid", "From", "Caller")]
    assert twilio_signature(TOKEN, URL, shuffled) == DOCS_SIGNATURE


def test_repeated_names_sign_their_distinct_values_sorted() -> None:
    # twilio-python: test_compute_signature_duplicate_multi_dict.
    pairs = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
    assert twilio_signature(TOKEN, URL, pairs) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        # twilio-python: test_validation_removes_port_on_https (Twilio signed the URL without the port).
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", DOCS_SIGNATURE),
        # test_validation_removes_port_on_http (signed with the port as given).
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        # test_validation_adds_port_on_https (signed with :443).
        (URL, "kvajT1Ptam85bY51eRf/AJRuM3w="),
        # test_validation_adds_port_on_http (signed with :80).
        ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ],
)
def test_urls_with_and_without_a_port(url: str, signature: str) -> None:
    assert valid_twilio_signature(TOKEN, url, DOCS_PARAMS, signature)


@pytest.mark.parametrize(
    ("token", "url", "params", "signature"),
    [
        ("54321", URL, DOCS_PARAMS, DOCS_SIGNATURE),  # another auth token
        (TOKEN, URL.replace("bar=2", "bar=3"), DOCS_PARAMS, DOCS_SIGNATURE),  # another query
        (TOKEN, "https://mycompany.com/myapp.php/?foo=1&bar=2", DOCS_PARAMS, DOCS_SIGNATURE),  # trailing slash
        (TOKEN, URL.replace("https", "http"), DOCS_PARAMS, DOCS_SIGNATURE),  # another scheme
        (TOKEN, URL, {**DOCS_PARAMS, "Digits": "9999"}, DOCS_SIGNATURE),  # a changed field
        (TOKEN, URL, {**DOCS_PARAMS, "Extra": ""}, DOCS_SIGNATURE),  # an added field, even empty
        (TOKEN, URL, DOCS_PARAMS, DOCS_SIGNATURE[:-1]),  # one character short
        (TOKEN, URL, DOCS_PARAMS, DOCS_SIGNATURE.lower()),
        (TOKEN, URL, DOCS_PARAMS, ""),  # no header
        (TOKEN, URL, DOCS_PARAMS, None),
        (TOKEN, URL, DOCS_PARAMS, "\u00e9" * 28),  # not even ASCII
    ],
)
def test_refused(token: str, url: str, params: dict[str, str], signature: str | None) -> None:
    assert not valid_twilio_signature(token, url, params, signature)


def test_get_requests_sign_the_url_alone() -> None:
    url = "https://example.com/sms?MessageSid=SM1&From=%2B14155550123&Body=STOP"
    signature = twilio_signature(TOKEN, url)
    assert signature == twilio_signature(TOKEN, url, {}) == twilio_signature(TOKEN, url, [])
    assert valid_twilio_signature(TOKEN, url, None, signature)
    assert not valid_twilio_signature(TOKEN, url, {"Body": "STOP"}, signature)


def test_non_ascii_values_are_signed_as_utf8() -> None:
    params = {"Body": "Stoppa, tack \U0001f64f", "From": "+46701234567"}
    signature = twilio_signature(TOKEN, URL, params)
    assert valid_twilio_signature(TOKEN, URL, params, signature)
    assert not valid_twilio_signature(TOKEN, URL, {**params, "Body": "Stoppa, tack"}, signature)


def test_ipv6_host_with_a_port() -> None:
    signature = twilio_signature(TOKEN, "https://[2001:db8::1]/sms", DOCS_PARAMS)
    assert valid_twilio_signature(TOKEN, "https://[2001:db8::1]:8443/sms", DOCS_PARAMS, signature)
