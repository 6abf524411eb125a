from __future__ import annotations

from smschannel.constructs.base import ModelConstruct
from smschannel.model.subdomain import SubdomainModel


class Subdomain(ModelConstruct):
    model = SubdomainModel


__all__ = ["Subdomain"]
