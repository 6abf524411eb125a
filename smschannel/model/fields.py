"""How a model field declares what Terraform, the constructs and the docs need to know about it.

A field is declared once, with `attr(...)` (an input or computed value) or `secret(...)` (a secret
given as `X` or `X_env`, with `X_fingerprint` computed). Everything else (the provider schema, the
construct arguments, the registry shapes, the docs) reads these declarations through
`smschannel.model.base.attribute_specs`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic_core import PydanticUndefined

# Keys of `json_schema_extra` that carry our flags (JSON-able, so they also show in OpenAPI).
COMPUTED = "x-computed"
REPLACE = "x-replace"
SENSITIVE = "x-sensitive"
VOLATILE = "x-volatile"
SECRET = "x-secret"
EXAMPLE = "x-example"
ENV = "x-env"
VENDOR_ENDPOINT = "x-vendor-endpoint"


def attr(
    description: str,
    *,
    default: Any = PydanticUndefined,
    replace: bool = False,
    computed: bool = False,
    volatile: bool = False,
    sensitive: bool = False,
    env: str | None = None,
    example: Any = None,
    vendor_endpoint: bool = False,
) -> Any:
    """Declare one attribute.

    `description` is the documentation (full sentences, attribute names in backticks, the default
    stated as behaviour). `replace`: a change forces a new object. `computed`: set by smschannel,
    never by the user. `volatile` (computed only): the value may change whenever an input changes,
    so plans show it as known after apply; otherwise a computed value keeps its prior value.
    `sensitive`: never shown in plans or logs. `env`: an environment variable read when the attribute
    is unset (provider settings). `example` is used by the generated docs and examples.
    `vendor_endpoint` (provider settings): the address of a vendor's API, handed to the SMS providers.
    """
    extra: dict[str, Any] = {}
    if sensitive:
        extra[SENSITIVE] = True
    if env:
        extra[ENV] = env
    if vendor_endpoint:
        extra[VENDOR_ENDPOINT] = True
    if replace:
        extra[REPLACE] = True
    if computed:
        extra[COMPUTED] = True
        if default is PydanticUndefined:
            default = None
    if volatile:
        extra[VOLATILE] = True
    if example is not None:
        extra[EXAMPLE] = example
    return Field(default=default, description=description, json_schema_extra=extra or None)


REQUIRED = "x-required"
FILE = "x-file"


def secret(description: str, *, example_env: str, required: bool = True, file: bool = False) -> Any:
    """Declare a secret: `X = "..."` (sensitive) or `X_env = "NAME"` (or, with `file`, `X_file = "path"`),
    exactly one; `X_fingerprint` computed.

    `example_env` is the environment variable the generated examples use. A secret that is not
    `required` may be left out entirely (the model's rules then say when it is needed).
    """
    return Field(default=None, description=description,
                 json_schema_extra={SECRET: True, EXAMPLE: example_env, REQUIRED: required, FILE: file})


__all__ = ["attr", "secret"]
