"""Prometheus metrics: per-route request counts and latencies, verdicts served, reports by
status, the moderation queue, the registry's size, rate-limit refusals.

Counted in plain dicts on the request path (the server is one event loop: no locks needed)
and turned into Prometheus metric families only when `/metrics` is scraped, through
prometheus-client's collector interface. prometheus-client's own `Counter.labels().inc()`
takes a lock and builds a label tuple on every call: that was a tenth of a cached verify's
CPU in the profile (docs/performance.md).

Route labels are the route's pattern (``/api/v1/organizations/{org_id}``), never the path
itself: paths and query strings carry phone numbers, which stay out of metrics and logs.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class RouteCounts:
    """One route's requests by method and status, and its latency histogram (a count per
    bucket, not cumulative, and the sum). The edge holds its route's (verifier.http.edge), so
    counting a request is one call with no lookup of the route."""

    __slots__ = ("outcomes", "buckets", "total")

    def __init__(self) -> None:
        self.outcomes: dict[tuple[str, int], int] = {}  # (method, status) -> requests
        self.buckets = [0] * (len(BUCKETS) + 1)  # the last one is +Inf
        self.total = 0.0

    def count(self, method: str, status: int, seconds: float) -> None:
        key = (method, status)
        outcomes = self.outcomes
        outcomes[key] = outcomes.get(key, 0) + 1
        self.buckets[bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds

    def cumulative(self) -> list[tuple[str, float]]:
        running, out = 0, []
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.buckets, strict=True):
            running += count
            out.append((bound, float(running)))
        return out


class Metrics(Collector):
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.routes: dict[str, RouteCounts] = {}
        self.verdicts: dict[str, int] = {}
        self.refusals: dict[str, int] = {}
        self._state: Callable[[], dict[str, object]] | None = None
        self.registry.register(self)

    # counting, on the request path

    def route(self, label: str) -> RouteCounts:
        """The counts of the route labelled `label` (its pattern), made on first use."""
        counts = self.routes.get(label)
        if counts is None:
            counts = self.routes[label] = RouteCounts()
        return counts

    def verdict(self, verdict: str, count: int = 1) -> None:
        self.verdicts[verdict] = self.verdicts.get(verdict, 0) + count

    def refusal(self, limit: str) -> None:
        self.refusals[limit] = self.refusals.get(limit, 0) + 1

    def watch(self, state: Callable[[], dict[str, object]]) -> None:
        """Gauges read from the service's in-memory state at scrape time."""
        self._state = state

    # exposition, at scrape time

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily("hv_http_requests", "HTTP requests by route, method and status",
                                       labels=["route", "method", "status"])
        routes = sorted((route, counts) for route, counts in self.routes.items() if counts.outcomes)
        for route, counts in routes:
            for (method, status), count in sorted(counts.outcomes.items()):
                requests.add_metric([route, method, str(status)], count)
        yield requests
        latency = HistogramMetricFamily("hv_http_request_seconds", "Time to answer, by route", labels=["route"])
        for route, counts in routes:
            latency.add_metric([route], counts.cumulative(), counts.total)
        yield latency
        yield _counter("hv_verdicts", "Verdicts served, by kind", "verdict", self.verdicts)
        yield _counter("hv_rate_limit_refusals", "Requests refused by a rate limit, by limit", "limit", self.refusals)
        if self._state is not None:
            yield from _state_gauges(self._state())

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def _counter(name: str, help_text: str, label: str, counts: dict[str, int]) -> CounterMetricFamily:
    family = CounterMetricFamily(name, help_text, labels=[label])
    for value, count in sorted(counts.items()):
        family.add_metric([value], count)
    return family


def _state_gauges(state: dict[str, object]) -> Iterator[GaugeMetricFamily]:
    registry = GaugeMetricFamily("hv_registry_official_numbers", "Official numbers in the registry")
    registry.add_metric([], float(state.get("registry_numbers", 0)))  # type: ignore[arg-type]
    yield registry
    by_status = dict(state.get("reports", {}))  # type: ignore[call-overload]
    reports = GaugeMetricFamily("hv_reports", "Reports by status", labels=["status"])
    for status, count in by_status.items():
        reports.add_metric([status], float(count))
    yield reports
    queue = GaugeMetricFamily("hv_moderation_queue_length", "Pending reports awaiting a moderator")
    queue.add_metric([], float(by_status.get("pending", 0)))
    yield queue


METRICS = web.AppKey("metrics", Metrics)


UNMATCHED = "unmatched"  # the route label of requests no route serves (verifier.http.routing)


async def metrics_endpoint(request: web.Request) -> web.Response:
    body = request.app[METRICS].exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
