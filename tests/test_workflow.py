"""The pull-request summary, the provider mirror and the Terraform command."""

from __future__ import annotations

from smschannel.workflow import summary_markdown


def test_summary_lists_changes_and_hides_sensitive_values() -> None:
    shown = {"resource_changes": [
        {"address": "smschannel_twilio_credentials.main", "change": {
            "actions": ["update"],
            "before": {"name": "a", "auth_token": "s3cr3t", "auth_token_fingerprint": "hmac-sha256:1"},
            "after": {"name": "b", "auth_token": "n3w", "auth_token_fingerprint": "hmac-sha256:2"},
            "after_sensitive": {"auth_token": True}, "before_sensitive": {"auth_token": True}}},
        {"address": "smschannel_configuration.c", "change": {"actions": ["delete", "create"], "before": {},
                                                             "after": {}}},
        {"address": "smschannel_configuration.d", "change": {"actions": ["no-op"], "before": {}, "after": {}}},
    ]}
    text = summary_markdown(shown)
    assert text.startswith("**smschannel plan**: 0 to create, 1 to update, 1 to replace, 0 to delete.")
    assert "| `smschannel_twilio_credentials.main` | update | auth_token_fingerprint, name, secret rotated |" in text
    assert "| `smschannel_configuration.c` | replace |  |" in text
    assert "s3cr3t" not in text and "n3w" not in text and "configuration.d" not in text
    assert summary_markdown({"resource_changes": []}).endswith("No changes.\n")
