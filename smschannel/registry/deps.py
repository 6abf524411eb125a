"""What routes state they need: the services, the caller's token, a scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from smschannel.registry import storage
from smschannel.registry.service import Services
from smschannel.scopes import PRODUCTION, Grants, has_scope, missing_scope_message


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True)
class Caller:
    name: str
    grants: Grants


def current_caller(request: Request, services: ServicesDep) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "missing bearer token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    with services.db.session() as session:
        row = storage.find_token(session, token.strip())
        if row is None:
            raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
        return Caller(row.name, row.grants)


CallerDep = Annotated[Caller, Depends(current_caller)]


def require_scope(scope: str, *, anywhere: bool = False) -> Any:
    """A dependency that answers 403, naming the scope, unless the caller holds it on the sandbox
    (on any sandbox when `anywhere`: reading what every sandbox shares)."""

    def check(request: Request, caller: CallerDep) -> Caller:
        sandbox = request.path_params.get("sandbox", PRODUCTION)
        if anywhere and any(has_scope(caller.grants, name, scope) for name in caller.grants):
            return caller
        if not has_scope(caller.grants, sandbox, scope):
            raise HTTPException(403, missing_scope_message(scope, sandbox))
        return caller

    return Depends(check)


__all__ = ["Caller", "CallerDep", "ServicesDep", "current_caller", "get_services", "require_scope"]
