"""The registry's Prometheus metrics (`GET /metrics`), one registry of metrics per app so that several
apps in one process (tests) keep their counts apart. With several registry processes each exposes its
own counts; the outbox figures are the database's, the same from every process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from smschannel.registry.outbox import Backlog

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _OutboxCollector(Collector):
    def __init__(self, read: Callable[[], Backlog]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        try:
            now = self._read()
        except Exception:
            return
        backlog = GaugeMetricFamily("smschannel_outbox_backlog", "Replies in the outbox not yet done with.",
                                    labels=["status"])
        backlog.add_metric(["pending"], now.pending)
        backlog.add_metric(["sending"], now.sending)
        yield backlog
        yield GaugeMetricFamily("smschannel_outbox_oldest_age_seconds",
                                "Age of the oldest reply not yet done with (0 when none).", value=now.oldest_age)


class Metrics:
    """What the registry counts."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.inbound_requests = Counter("smschannel_inbound_requests", "Vendor webhook requests by kind and status.",
                                        ["kind", "status"], registry=self.registry)
        self.decisions = Counter("smschannel_inbound_decisions", "Keyword decisions taken on inbound messages.",
                                 ["action"], registry=self.registry)
        self.replies = Counter("smschannel_replies", "Reply send attempts by vendor and outcome "
                               "(sent, retried, expired, failed).", ["vendor", "outcome"], registry=self.registry)
        self.latency = Histogram("smschannel_request_duration_seconds", "Registry request latency by route.",
                                 ["method", "route"], registry=self.registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))

    def watch_outbox(self, read: Callable[[], Backlog]) -> None:
        self.registry.register(_OutboxCollector(read))

    def reply_outcome(self, vendor: str, outcome: str) -> None:
        self.replies.labels(vendor or "unknown", outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


__all__ = ["CONTENT_TYPE", "Metrics"]
