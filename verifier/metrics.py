"""Prometheus metrics (prometheus-client): per-route request counts and latencies, verdicts
served, reports by status, the moderation queue, the registry's size, rate-limit refusals.

Route labels are the route's pattern (``/api/v1/organizations/{org_id}``), never the path
itself: paths and query strings carry phone numbers, which stay out of metrics and logs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from verifier.api.io import Handler

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class StateCollector(Collector):
    """Gauges read from the service's in-memory state at scrape time."""

    def __init__(self, state: Callable[[], dict[str, object]]) -> None:
        self._state = state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        state = self._state()
        registry = GaugeMetricFamily("hv_registry_official_numbers", "Official numbers in the registry")
        registry.add_metric([], float(state.get("registry_numbers", 0)))  # type: ignore[arg-type]
        yield registry
        reports = GaugeMetricFamily("hv_reports", "Reports by status", labels=["status"])
        for status, count in dict(state.get("reports", {})).items():  # type: ignore[call-overload]
            reports.add_metric([status], float(count))
        yield reports
        queue = GaugeMetricFamily("hv_moderation_queue_length", "Pending reports awaiting a moderator")
        queue.add_metric([], float(dict(state.get("reports", {})).get("pending", 0)))  # type: ignore[call-overload]
        yield queue


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("hv_http_requests", "HTTP requests by route, method and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("hv_http_request_seconds", "Time to answer, by route", ["route"],
                                 buckets=BUCKETS, registry=self.registry)
        self.verdicts = Counter("hv_verdicts", "Verdicts served, by kind", ["verdict"], registry=self.registry)
        self.refusals = Counter("hv_rate_limit_refusals", "Requests refused by a rate limit, by limit",
                                ["limit"], registry=self.registry)

        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def children(self, route: str, method: str, status: int) -> tuple[Any, Any]:
        """The labelled counter and histogram of one (route, method, status), looked up once."""
        key = (route, method, status)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = (self.requests.labels(route, method, str(status)),
                                           self.latency.labels(route))
        return found

    def watch(self, state: Callable[[], dict[str, object]]) -> None:
        self.registry.register(StateCollector(state))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


METRICS = web.AppKey("metrics", Metrics)


def route_of(request: web.Request) -> str:
    info = request.match_info
    if info.http_exception is not None or info.route.resource is None:
        return "unmatched"
    return info.route.resource.canonical


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    metrics = request.app[METRICS]
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        counter, histogram = metrics.children(route_of(request), request.method, status)
        counter.inc()
        histogram.observe(time.perf_counter() - started)


async def metrics_endpoint(request: web.Request) -> web.Response:
    body = request.app[METRICS].exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
