"""Resource blocks the provider tests share (Terraform JSON syntax)."""

from __future__ import annotations

from typing import Any


def twilio(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"name": "twilio-main", "account_sid": facts["vendors"]["twilio"]["account_sid"],
            "auth_token_env": "TWILIO_AUTH_TOKEN", **over}


def sinch(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"name": "sinch-main", "service_plan_id": facts["vendors"]["sinch"]["service_plan_id"],
            "api_token_env": "SINCH_API_TOKEN", **over}


def configuration(credentials: str = "smschannel_twilio_credentials.main", **over: Any) -> dict[str, Any]:
    return {"name": "marketing-us", "channel": "sms", "sms_type": "marketing",
            "credentials_id": f"${{{credentials}.id}}", "sender_number": "+14155550100", **over}


def full(facts: dict[str, Any], **config_over: Any) -> dict[str, Any]:
    """Twilio and Sinch credentials and one configuration on each."""
    return {
        "smschannel_twilio_credentials": {"main": twilio(facts)},
        "smschannel_sinch_credentials": {"main": sinch(facts)},
        "smschannel_configuration": {
            "marketing": configuration(**config_over),
            "alerts": configuration("smschannel_sinch_credentials.main", name="alerts", sms_type="transactional",
                                    sender_number=facts["vendors"]["sinch"]["phone_numbers"][0]),
        },
    }
