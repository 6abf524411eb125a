"""Echo SMS: an SMS provider that exists only in the tests, added the way any new provider is added: its
model (`model.py`), its folder (`client.py`, `provider.py`), its emulator (`emulator.py`), and one
registration line (`registration.py`, which `SMSCHANNEL_PROVIDERS` names). Nothing in `smschannel/`
knows its name; `tests/providers/test_new_provider.py` runs it end to end through the registry and
Terraform."""
