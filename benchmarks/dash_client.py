"""Change filters as a browser does, by POSTing to Dash, with the callbacks discovered at run time.

A filter change in the browser rewrites the URL query; the Dash Pages router callback (the one whose
outputs include ``_pages_content.children``) renders the page for the new query; then every callback
whose inputs sit in the new content fires once (on /actions, the counts and the grid's first rows). Nothing here knows
the pages' ids: they come from ``GET /_dash-dependencies`` and the router's own response.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from benchmarks.databases import Facts

UPDATE_PATH = "/_dash-update-component"
ROUTER_OUTPUT = "_pages_content.children"
# The dashboard's link format for its global filters (README: ?district=CODE[,CODE...]&as_at=YYYY-MM-DD).
DISTRICT_PARAM = "district"
AS_AT_PARAM = "as_at"


_MISSING = object()


class DashError(RuntimeError):
    """A callback answered with something other than HTTP 200."""


# ---- filters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    districts: tuple[str, ...]
    as_at: dt.date | None  # None: today

    @property
    def search(self) -> str:
        params = {}
        if self.districts:
            params[DISTRICT_PARAM] = ",".join(self.districts)
        if self.as_at:
            params[AS_AT_PARAM] = self.as_at.isoformat()
        return f"?{urlencode(params, safe=',')}" if params else ""

    def describe(self) -> str:
        where = ",".join(self.districts) or "whole partnership"
        return f"{where} as at {self.as_at or 'today'}"


def filter_sequence(facts: Facts, start: int = 0) -> Iterator[Filter]:
    """Filters for consecutive calls, from step ``start``: the districts cycle through one district, two
    districts and none (moving along the districts), and the date moves on at every step.

    So no two calls share a date until every date has been used: give each page its own ``start`` and
    no filter, nor any date alone, repeats within a run as long as there are dates enough.
    """
    districts = facts.districts
    dates = facts.as_at_dates or (None,)
    choices: list[tuple[str, ...]] = []
    for index in range(len(districts)):
        choices.append((districts[index],))
        choices.append(tuple(sorted({districts[index], districts[(index + 1) % len(districts)]})))
        choices.append(())
    choices = choices or [()]
    for step in itertools.count(start):
        yield Filter(choices[step % len(choices)], dates[step % len(dates)])


def random_filter(facts: Facts, rng: random.Random) -> Filter:
    """Any districts (none, one or two) and any of the dates."""
    count = rng.choice((0, 1, 2)) if facts.districts else 0
    chosen = tuple(sorted(rng.sample(facts.districts, min(count, len(facts.districts)))))
    return Filter(chosen, rng.choice(facts.as_at_dates or (None,)))


# ---- the app's callbacks ------------------------------------------------------------------------------


def _parse_output(output: str) -> list[tuple[str, str]]:
    """ "..a.b...c.d.." (several outputs) or "a.b" (one) into (id, property) pairs."""
    several = output.startswith("..") and output.endswith("..")
    parts = output[2:-2].split("...") if several else [output]
    return [tuple(part.rsplit(".", 1)) for part in parts]  # type: ignore[misc]


def _is_pattern(component_id: str) -> bool:
    return component_id.startswith("{")


@dataclass(frozen=True)
class Callback:
    """One entry of /_dash-dependencies."""

    output: str
    outputs: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    state: tuple[tuple[str, str], ...]
    clientside: bool
    prevent_initial_call: bool
    single_output: bool

    @classmethod
    def from_dependency(cls, dependency: dict) -> Callback:
        output = dependency["output"]
        return cls(
            output=output,
            outputs=tuple(_parse_output(output)),
            inputs=tuple((item["id"], item["property"]) for item in dependency["inputs"]),
            state=tuple((item["id"], item["property"]) for item in dependency.get("state", [])),
            clientside=bool(dependency.get("clientside_function")),
            prevent_initial_call=bool(dependency.get("prevent_initial_call")),
            single_output=not (output.startswith("..") and output.endswith("..")),
        )

    @property
    def name(self) -> str:
        """The first output, e.g. "actions-table.children"; the router is called "page router"."""
        if any(f"{i}.{p}" == ROUTER_OUTPUT for i, p in self.outputs):
            return "page router"
        component_id, prop = self.outputs[0]
        return f"{component_id}.{prop}"

    def uses_patterns(self) -> bool:
        return any(_is_pattern(i) for i, _ in (*self.outputs, *self.inputs, *self.state))

    def body(self, values: dict[tuple[str, str], Any], changed: Sequence[tuple[str, str]] = ()) -> dict:
        """The JSON the renderer POSTs; a value missing from ``values`` is left out, as the renderer does."""

        def item(pair):
            entry = {"id": pair[0], "property": pair[1]}
            if pair in values:
                entry["value"] = values[pair]
            return entry

        outputs = [{"id": i, "property": p} for i, p in self.outputs]
        changed_ids = [f"{i}.{p}" for i, p in changed]
        return {
            "output": self.output,
            "outputs": outputs[0] if self.single_output else outputs,
            "inputs": [item(pair) for pair in self.inputs],
            "changedPropIds": changed_ids,
            "parsedChangedPropsIds": changed_ids,
            "state": [item(pair) for pair in self.state],
        }


@dataclass(frozen=True)
class Component:
    type: str
    props: dict


def components(tree: Any) -> dict[str, Component]:
    """Every component with a plain (string) id in a layout tree, by id."""
    found: dict[str, Component] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props") if "namespace" in node and "type" in node else None
            if isinstance(props, dict):
                if isinstance(props.get("id"), str):
                    found[props["id"]] = Component(str(node["type"]), props)
                stack.extend(value for value in props.values() if isinstance(value, list | dict))
            else:
                stack.extend(value for value in node.values() if isinstance(value, list | dict))
    return found


# AG Grid's own defaults for the infinite row model's first request.
DEFAULT_BLOCK_SIZE = 100


def first_rows_request(grid: dict) -> Any:
    """What a grid of AG Grid's infinite row model asks for as it is drawn: its first block of rows, in
    its columns' initial sort, with no column filter (its ``getRowsRequest``). Other grids ask for nothing."""
    if grid.get("rowModelType") != "infinite":
        return _MISSING
    options = grid.get("dashGridOptions") or {}
    sort = [
        {"colId": column.get("colId", column.get("field")), "sort": column["sort"]}
        for column in grid.get("columnDefs") or []
        if column.get("sort")
    ]
    return {
        "startRow": 0,
        "endRow": options.get("cacheBlockSize", DEFAULT_BLOCK_SIZE),
        "sortModel": sort,
        "filterModel": {},
    }


@dataclass(frozen=True)
class Call:
    """One timed POST: which callback, the body sent, and the round trip."""

    callback: str
    body: dict
    milliseconds: float


@dataclass
class DashApp:
    """The dashboard's callbacks as served at ``base_url``."""

    base_url: str
    callbacks: list[Callback]
    layout: dict[str, Component]
    router: Callback

    @classmethod
    def discover(cls, base_url: str, session: requests.Session | None = None) -> DashApp:
        session = session or requests.Session()
        dependencies = session.get(base_url + "/_dash-dependencies", timeout=60).json()
        layout = session.get(base_url + "/_dash-layout", timeout=60).json()
        callbacks = [Callback.from_dependency(d) for d in dependencies]
        routers = [c for c in callbacks if any(f"{i}.{p}" == ROUTER_OUTPUT for i, p in c.outputs)]
        if not routers:
            raise DashError(
                f"No callback in /_dash-dependencies outputs {ROUTER_OUTPUT}: is this a Dash Pages app?"
            )
        return cls(base_url, callbacks, components(layout), routers[0])

    @property
    def content_id(self) -> str:
        return ROUTER_OUTPUT.split(".")[0]

    def _location_props(self, pathname: str, search: str) -> dict[str, str]:
        """What every dcc.Location holds once the URL is ``pathname`` + ``search``."""
        return {"pathname": pathname, "search": search, "hash": "", "href": self.base_url + pathname + search}

    def router_body(self, pathname: str, search: str) -> dict:
        """The router's body after a filter change: the same path, a new query."""
        location = self._location_props(pathname, search)
        values = {pair: location[pair[1]] for pair in self.router.inputs if pair[1] in location}
        for pair in self.router.state:
            component = self.layout.get(pair[0])
            if component and pair[1] in component.props:
                values[pair] = component.props[pair[1]]
        changed = [pair for pair in self.router.inputs if pair[1] == "search"]
        return self.router.body(values, changed)

    def follow_on_bodies(
        self, router_response: dict, pathname: str, search: str
    ) -> list[tuple[Callback, dict]]:
        """The page's callbacks the browser fires once the router has rendered it, with their bodies.

        A callback fires when one of its inputs is in the new page with a value (an initial call), or when
        it reads the URL from a dcc.Location and writes into the new page. Its inputs, state and outputs
        must all exist; clientside callbacks, those prevented on their initial call and those with
        pattern-matching ids are left out. Callbacks chained on these ones' outputs are not followed, but
        a grid that asks the server for its rows as it is drawn (AG Grid's infinite row model) is: its
        first request (first_rows_request) is part of the change.
        """
        content = router_response.get("response", {}).get(self.content_id, {}).get("children")
        page = components(content)
        known = {**self.layout, **page}
        location = self._location_props(pathname, search)

        def value_of(component_id: str, prop: str):
            component = known[component_id]
            if component.type == "Location" and prop in location:
                return location[prop]
            if component_id in page and (component.type, prop) == ("AgGrid", "getRowsRequest"):
                return first_rows_request(component.props)
            return component.props.get(prop, _MISSING)

        result = []
        for callback in self.callbacks:
            if callback is self.router or callback.clientside or callback.prevent_initial_call:
                continue
            if callback.uses_patterns():
                continue
            if not all(i in known for i, _ in (*callback.inputs, *callback.state, *callback.outputs)):
                continue
            values = {pair: value_of(*pair) for pair in (*callback.inputs, *callback.state)}
            values = {pair: value for pair, value in values.items() if value is not _MISSING}
            initial = any(i in page and (i, p) in values for i, p in callback.inputs)
            reads_url = any(
                known[i].type == "Location" and p in location for i, p in callback.inputs
            ) and any(i in page for i, _ in callback.outputs)
            if initial or reads_url:
                result.append((callback, callback.body(values)))
        return result

    def post(self, session: requests.Session, body: dict, timeout: float = 300) -> tuple[float, dict]:
        """POST one callback; the round trip in ms and the decoded answer. Raises DashError unless 200."""
        data = json.dumps(body)
        start = time.perf_counter()
        response = session.post(
            self.base_url + UPDATE_PATH,
            data=data,
            headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
            timeout=timeout,
        )
        content = response.content
        milliseconds = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise DashError(f"HTTP {response.status_code} from {body['output'][:80]}: {content[:300]!r}")
        return milliseconds, json.loads(content)

    def change_filter(self, session: requests.Session, pathname: str, flt: Filter) -> list[Call]:
        """One filter change on ``pathname``: the router, then the callbacks of the page it rendered."""
        body = self.router_body(pathname, flt.search)
        milliseconds, answer = self.post(session, body)
        calls = [Call(self.router.name, body, milliseconds)]
        for callback, follow_body in self.follow_on_bodies(answer, pathname, flt.search):
            follow_ms, _ = self.post(session, follow_body)
            calls.append(Call(callback.name, follow_body, follow_ms))
        return calls


# ---- workloads ----------------------------------------------------------------------------------------


# The pages a board uses at its meeting: the slides, and what changed since the last meeting.
MEETING_PAGES = ["/present", "/changes"]


def pages(facts: Facts, *, meeting_pages: bool = True) -> list[str]:
    """The pages the benchmark times: overview, a priority page, the districts matrix, the actions and
    (with ``meeting_pages``) the presentation and the changes since the last meeting."""
    paths = ["/"]
    if facts.priority_code:
        paths.append(f"/priority/{facts.priority_code}")
    paths += ["/districts", "/actions"]
    return paths + MEETING_PAGES if meeting_pages else paths


@dataclass
class PageTimings:
    page: str
    filters: list[Filter] = field(default_factory=list)
    calls: list[list[Call]] = field(default_factory=list)  # one list per filter change

    def by_callback(self) -> dict[str, list[float]]:
        timings: dict[str, list[float]] = {}
        for change in self.calls:
            for call in change:
                timings.setdefault(call.callback, []).append(call.milliseconds)
        return timings


def time_filter_changes(app: DashApp, facts: Facts, calls: int, warm_up: int = 2) -> list[PageTimings]:
    """``calls`` filter changes on each page, each with a different filter than the one before.

    A few changes per page first warm up both workers (imports, pools). Each page starts further along
    the filters, so no page meets another's filters (pages may share cached parts of their views).
    """
    session = requests.Session()
    results = []
    for number, page in enumerate(pages(facts)):
        sequence = filter_sequence(facts, start=number * (warm_up + calls))
        for _ in range(warm_up):
            app.change_filter(session, page, next(sequence))
        timings = PageTimings(page)
        for _ in range(calls):
            flt = next(sequence)
            timings.filters.append(flt)
            timings.calls.append(app.change_filter(session, page, flt))
        results.append(timings)
    return results


@dataclass
class ConcurrencyResult:
    clients: int
    seconds: float
    milliseconds: list[float]
    errors: int
    error_examples: list[str]


def concurrent_filter_changes(
    app: DashApp, facts: Facts, *, clients: int = 8, seconds: float = 30, seed: int = 7
) -> ConcurrencyResult:
    """``clients`` threads, each with its own connection, calling the router of random pages with random
    filters for ``seconds``: the four pages the issue's targets name, so runs stay comparable."""
    paths = pages(facts, meeting_pages=False)
    lock = threading.Lock()
    durations: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        session = requests.Session()
        while time.perf_counter() < deadline:
            body = app.router_body(rng.choice(paths), random_filter(facts, rng).search)
            try:
                milliseconds, _ = app.post(session, body, timeout=60)
            except Exception as error:  # noqa: BLE001  (every failure is counted, whatever it is)
                with lock:
                    errors.append(f"{type(error).__name__}: {error}"[:200])
                continue
            with lock:
                durations.append(milliseconds)

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return ConcurrencyResult(clients, elapsed, durations, len(errors), errors[:3])


def browsing_users(
    app: DashApp,
    facts: Facts,
    *,
    users: int = 50,
    seconds: float = 60,
    think_seconds: tuple[float, float] = (1.0, 3.0),
    seed: int = 11,
) -> ConcurrencyResult:
    """``users`` people browsing at once for ``seconds``: each opens a random page with random filters (the
    page's HTML, then its callbacks as the browser fires them), reads it for a while, and moves on.

    ``milliseconds`` holds one figure per page view (HTML and callbacks together); every failed request
    counts as an error.
    """
    paths = pages(facts)
    lock = threading.Lock()
    durations: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    def user(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        session = requests.Session()
        # Arrivals spread over the first think time, as people do not all click at the same instant.
        time.sleep(rng.uniform(0, think_seconds[1]))
        while time.perf_counter() < deadline:
            path, flt = rng.choice(paths), random_filter(facts, rng)
            start = time.perf_counter()
            try:
                page = session.get(app.base_url + path + flt.search, timeout=60)
                if page.status_code != 200:
                    raise DashError(f"HTTP {page.status_code} from GET {path}{flt.search}")
                app.change_filter(session, path, flt)
            except Exception as error:  # noqa: BLE001  (every failure is counted, whatever it is)
                with lock:
                    errors.append(f"{type(error).__name__}: {error}"[:200])
            else:
                with lock:
                    durations.append((time.perf_counter() - start) * 1000)
            time.sleep(rng.uniform(*think_seconds))

    start = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ConcurrencyResult(users, time.perf_counter() - start, durations, len(errors), errors[:3])
