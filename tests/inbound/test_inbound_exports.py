"""The public surface of smschannel.inbound: what every provider's webhook parser shares."""

from __future__ import annotations

import smschannel.inbound as inbound


def _isort_style(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions, as ruff's RUF022 orders `__all__`."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_unique_and_resolves() -> None:
    assert inbound.__all__ == sorted(set(inbound.__all__), key=_isort_style)
    assert all(hasattr(inbound, name) for name in inbound.__all__)


def test_all_exports_every_public_name_of_the_package_namespace() -> None:
    public = {
        name
        for name, value in vars(inbound).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("smschannel.inbound")
    }
    assert public <= set(inbound.__all__)


def test_integration_surface() -> None:
    assert {"InboundMessage", "FeedbackEvent", "PayloadError", "Reader", "normalize_number",
            "parse_timestamp"} <= set(inbound.__all__)


def test_payload_error_is_a_smschannel_error_carrying_its_line() -> None:
    from smschannel.errors import SmschannelError

    error = inbound.PayloadError('Sinch inbound: "from" is missing')
    assert isinstance(error, SmschannelError)
    assert error.message == str(error) == 'Sinch inbound: "from" is missing'
