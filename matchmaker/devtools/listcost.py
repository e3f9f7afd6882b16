"""What an uncached match list costs in process: CPU milliseconds per request.

A measurement, never a test. Run it on a database that holds the benchmark's world and
the load test's members (`make load`'s `prepare-bench`), with the credentials it printed:

    VAR_DIR=… STATIC_ROOT=… python -m matchmaker.devtools.listcost WORLD.json [--profile api|page]

(WORLD.json: what `python -m matchmaker.devtools.load prepare-bench` printed on that
database; STATIC_ROOT: a folder `collectstatic` filled, as `make load` does.)
`LISTCOST_REQUESTS` (60) sets how many requests each pass walks; from the 281st, the
walk comes back to a list it read before, on another page. `LISTCOST_KINDS` (api,page)
and `LISTCOST_MODES` (cold,walk) choose the passes.

It walks the same differing requests as `make load` (institution, filter, page, page size)
through Django's test client, the whole middleware stack included, and reports the CPU
time (`time.process_time`, so other processes on the machine do not count) per request,
for the API's match list and the institution's match list page: "cold", the cache
(and the projects' card facts the process keeps) emptied before each request (nothing
any earlier request left helps), and "walk", one
pass over differing requests in a warm process (what a served worker sees). The elapsed
mean beside it counts the time the database and the cache spend in their own processes
(PostgreSQL, Redis), which the CPU time does not.
"""

import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from matchmaker.devtools.load import FILTERS  # the filters `make load` walks


def requests(count: int, institutions: int) -> list[tuple[int, str]]:
    """(institution index, query) as `make load`'s wrk script walks them."""
    walked = []
    for counter in range(1, count + 1):
        who = counter % institutions
        query_filter = FILTERS[(counter // institutions) % len(FILTERS)]
        page = (counter // (institutions * len(FILTERS))) % 5 + 1
        size = 10 + counter % 19
        query = f"?page={page}&page_size={size}"
        if query_filter:
            query += "&" + query_filter
        walked.append((who, query))
    return walked


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("API_THROTTLE_USER", "1000000/minute")
    from django.core.cache import cache
    from django.test import Client

    # set up as a gunicorn worker is: `matchmaker.wsgi` (Django, and the startup objects
    # frozen out of the garbage collector's reach)
    import matchmaker.wsgi  # noqa: F401
    from matchmaker.review.kept_projects import forget_kept_projects

    world = json.loads(Path(sys.argv[1]).read_text().splitlines()[-1])
    profile = sys.argv[3] if sys.argv[2:3] == ["--profile"] else ""
    count = int(os.environ.get("LISTCOST_REQUESTS", "60"))
    walk = requests(count, len(world["tokens"]))
    # one client (one handler: its middleware is loaded once, as in a served worker)
    client = Client()

    def get(kind: str, who: int, query: str):
        if kind == "api":
            # a token alone, as wrk sends it: the page's session cookie, left on the one
            # client, made every API request load a session, a user and its organisation
            client.cookies.pop("sessionid", None)
            return client.get(paths[kind] + query, HTTP_AUTHORIZATION=f"Token {tokens[who]}")
        client.cookies["sessionid"] = sessions[who]
        return client.get(paths[kind] + query)

    tokens, sessions = world["tokens"], world["sessions"]
    paths = {"api": "/api/v1/matches/", "page": "/institution/matches/"}
    # warm up: imports, templates, the first connection
    for kind in paths:
        get(kind, 0, "")
    report = {}
    kinds = os.environ.get("LISTCOST_KINDS", "api,page").split(",")
    modes = os.environ.get("LISTCOST_MODES", "cold,walk").split(",")
    for kind in kinds if not profile else [profile]:
        for mode in modes:
            cache.clear()
            spent, waited = [], []
            # the first pass asked for is profiled
            profiler = cProfile.Profile() if profile and mode == modes[0] else None
            for who, query in walk:
                if mode == "cold":
                    cache.clear()
                    forget_kept_projects()  # (what the process keeps of projects too)
                started, began = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                response = get(kind, who, query)
                if profiler:
                    profiler.disable()
                spent.append(1000 * (time.process_time() - started))
                waited.append(1000 * (time.perf_counter() - began))
                assert response.status_code == 200, (kind, query, response.status_code)
            report[f"{kind}_{mode}_mean_ms"] = round(statistics.fmean(spent), 1)
            report[f"{kind}_{mode}_median_ms"] = round(statistics.median(spent), 1)
            report[f"{kind}_{mode}_max_ms"] = round(max(spent), 1)
            # elapsed, the database's and the cache's own processes included
            report[f"{kind}_{mode}_elapsed_mean_ms"] = round(statistics.fmean(waited), 1)
            if profiler:
                profiler.dump_stats(f"var/listcost-{kind}.prof")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
