"""Every httpx failure and every error status becomes the right VendorError, chained, without secrets."""

from __future__ import annotations

import inspect

import httpx
import pytest

from smschannel.errors import (
    VendorAuthError,
    VendorError,
    VendorRateLimited,
    VendorRejected,
    VendorUnavailable,
)
from smschannel.providers.http import EXCEPTION_MAP, VendorFault, VendorProfile, map_exception, vendor_errors

EXPECTED: dict[type[Exception], type[VendorError]] = {
    httpx.HTTPError: VendorError,
    httpx.RequestError: VendorError,
    httpx.TransportError: VendorUnavailable,
    httpx.TimeoutException: VendorUnavailable,
    httpx.ConnectTimeout: VendorUnavailable,
    httpx.ReadTimeout: VendorUnavailable,
    httpx.WriteTimeout: VendorUnavailable,
    httpx.PoolTimeout: VendorUnavailable,
    httpx.NetworkError: VendorUnavailable,
    httpx.ConnectError: VendorUnavailable,
    httpx.ReadError: VendorUnavailable,
    httpx.WriteError: VendorUnavailable,
    httpx.CloseError: VendorUnavailable,
    httpx.ProxyError: VendorUnavailable,
    httpx.ProtocolError: VendorUnavailable,
    httpx.RemoteProtocolError: VendorUnavailable,
    httpx.LocalProtocolError: VendorError,
    httpx.UnsupportedProtocol: VendorError,
    httpx.DecodingError: VendorUnavailable,
    httpx.TooManyRedirects: VendorError,
    httpx.InvalidURL: VendorError,
}
# Translated from the response it carries, by status (see test_every_error_status_maps below).
BY_STATUS = {httpx.HTTPStatusError}
# Misuse of httpx inside smschannel, not a vendor failure: left to surface as the bugs they are.
PROGRAMMING_ERRORS = {
    httpx.StreamError,
    httpx.StreamConsumed,
    httpx.StreamClosed,
    httpx.ResponseNotRead,
    httpx.RequestNotRead,
    httpx.CookieConflict,
}

PROFILE = VendorProfile(
    name="acme",
    label="Acme",
    decode_error=lambda r: (
        VendorFault(code=str(r.json()["code"]), message=r.json()["msg"]) if r.content else None
    ),
)
REQUEST = httpx.Request("GET", "https://api.acme.example/v1/things?page=2")


def httpx_exception_classes() -> set[type[Exception]]:
    return {
        obj
        for name in httpx.__all__
        if inspect.isclass(obj := getattr(httpx, name)) and issubclass(obj, Exception)
    }


def test_every_httpx_exception_is_accounted_for() -> None:
    """A new httpx exception class fails here until it is mapped (or declared a programming error)."""
    assert httpx_exception_classes() == set(EXPECTED) | BY_STATUS | PROGRAMMING_ERRORS


def _instance(exc_type: type[Exception]) -> Exception:
    if issubclass(exc_type, httpx.RequestError):
        return exc_type("boom", request=REQUEST)
    return exc_type("boom")


@pytest.mark.parametrize("exc_type", sorted(EXPECTED, key=str), ids=lambda c: getattr(c, "__name__", ""))
def test_each_httpx_exception_maps_to_its_vendor_error(exc_type: type[Exception]) -> None:
    assert map_exception(exc_type)[0] is EXPECTED[exc_type]
    exc = _instance(exc_type)
    with pytest.raises(VendorError) as caught, vendor_errors(PROFILE, secrets=("s3cr3t",)):
        raise exc
    assert type(caught.value) is EXPECTED[exc_type]
    assert caught.value.__cause__ is exc
    assert caught.value.vendor == "acme"
    assert str(caught.value).startswith("Acme ")


def test_the_map_lists_subclasses_before_their_bases() -> None:
    sources = [source for source, _, _ in EXCEPTION_MAP]
    for index, source in enumerate(sources):
        for later in sources[index + 1 :]:
            assert not issubclass(later, source), f"{later.__name__} is shadowed by {source.__name__}"


def test_programming_errors_are_not_translated() -> None:
    with pytest.raises(httpx.ResponseNotRead), vendor_errors(PROFILE):
        raise httpx.ResponseNotRead()


def test_a_transport_error_names_the_call_without_its_query() -> None:
    with pytest.raises(VendorUnavailable) as caught, vendor_errors(PROFILE):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST)
    assert str(caught.value) == (
        "Acme could not be reached: ConnectError: [Errno 111] Connection refused"
        " [GET https://api.acme.example/v1/things]"
    )


@pytest.mark.parametrize(
    ("status", "expected", "head"),
    [
        (400, VendorRejected, "Acme refused the request"),
        (401, VendorAuthError, "Acme rejected the credentials"),
        (403, VendorAuthError, "Acme rejected the credentials"),
        (404, VendorRejected, "Acme refused the request"),
        (409, VendorRejected, "Acme refused the request"),
        (429, VendorRateLimited, "Acme rate-limited the request"),
        (500, VendorUnavailable, "Acme is unavailable"),
        (502, VendorUnavailable, "Acme is unavailable"),
        (503, VendorUnavailable, "Acme is unavailable"),
        (504, VendorUnavailable, "Acme is unavailable"),
    ],
)
def test_every_error_status_maps(status: int, expected: type[VendorError], head: str) -> None:
    response = httpx.Response(status, json={"code": 7, "msg": "nope"}, request=REQUEST)
    with pytest.raises(VendorError) as caught, vendor_errors(PROFILE):
        response.raise_for_status()
    assert type(caught.value) is expected
    assert isinstance(caught.value.__cause__, httpx.HTTPStatusError)
    assert (caught.value.code, caught.value.status) == ("7", status)
    assert (
        str(caught.value) == f"{head}: error 7: nope [HTTP {status}, GET https://api.acme.example/v1/things]"
    )


def test_an_error_body_that_is_not_the_vendors_shape_is_quoted_briefly() -> None:
    response = httpx.Response(
        502, content=b"<html>\n  Bad   gateway " + b"x" * 500 + b"</html>", request=REQUEST
    )
    profile = VendorProfile(name="acme", label="Acme", decode_error=lambda r: None)
    with pytest.raises(VendorUnavailable) as caught, vendor_errors(profile):
        response.raise_for_status()
    message = str(caught.value)
    assert message.startswith("Acme is unavailable: <html> Bad gateway xxx")
    assert caught.value.code is None
    assert len(message) < 300


def test_secrets_are_scrubbed_from_every_message() -> None:
    token = "f728b4fa42485e3a0a5d2f346baa9455"
    response = httpx.Response(401, json={"code": 20003, "msg": f"token {token} is wrong"}, request=REQUEST)
    with pytest.raises(VendorAuthError) as caught, vendor_errors(PROFILE, secrets=(token,)):
        response.raise_for_status()
    assert token not in str(caught.value)
    assert token not in repr(caught.value)
    assert "token *** is wrong" in str(caught.value)
    with pytest.raises(VendorUnavailable) as caught_transport, vendor_errors(PROFILE, secrets=(token,)):
        raise httpx.ReadError(f"reset while sending {token}", request=REQUEST)
    assert token not in str(caught_transport.value)


def test_vendor_errors_pass_through_untouched() -> None:
    original = VendorRejected("already translated", vendor="acme", code="x")
    with pytest.raises(VendorRejected) as caught, vendor_errors(PROFILE):
        raise original
    assert caught.value is original
