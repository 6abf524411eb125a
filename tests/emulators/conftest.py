"""The emulators are tested with the same local vendor worlds as the providers' clients."""

from tests.providers.conftest import fake_clock, no_proxy_environ, sinch, twilio

__all__ = ["fake_clock", "no_proxy_environ", "sinch", "twilio"]
