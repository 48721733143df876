"""The account dashboard of an async web service: six panels, each from a backend service.

    perflab run dashboard.py                  build one dashboard; report time and heartbeat
    perflab run dashboard.py -- --debug       the same, with asyncio's debug mode on
    perflab profile dashboard.py

In production the web framework awaits `build_dashboard` on its event loop, next to
hundreds of other requests. `render_dashboard` is the plain-function entry point that the
command-line preview (main, below) and the checks use.

Every panel comes from a backend service through its vendor's client library, which only
has a blocking call: `perflab_exercise.blocking_fetch(key)` holds its thread until the
service answers, about 0.2 s later. The vendor's library cannot be changed.
"""
import asyncio
import sys
import time

from perflab_exercise import blocking_fetch

PANELS = ["profile", "orders", "invoices", "messages", "recommendations", "support"]


async def fetch_panel(user_id: int, panel: str) -> str:
    """One panel's line for this user, from its backend service."""
    # blocking_fetch holds its thread until the service answers. Called directly here, that
    # thread is the event loop's: nothing else — no other panel, no other request — could
    # run for 0.2 s. asyncio.to_thread runs it on a worker thread (from the loop's default
    # thread pool) and gives the loop something to await; meanwhile the loop starts the
    # other panels' fetches and serves everyone else.
    payload = await asyncio.to_thread(blocking_fetch, f"users/{user_id}/{panel}")
    return f"{panel}: {payload}"


async def build_dashboard(user_id: int, panels: list[str]) -> list[str]:
    """The panels' lines, in the order of `panels`; the panels are fetched concurrently."""
    return list(await asyncio.gather(*(fetch_panel(user_id, panel) for panel in panels)))


def render_dashboard(user_id: int, panels: list[str] = PANELS) -> list[str]:
    """Build one dashboard from ordinary (non-async) code."""
    return asyncio.run(build_dashboard(user_id, panels))


# --- the command-line preview ------------------------------------------------------------

async def heartbeat(period_s: float, beats: list[float]) -> None:
    """Stands in for every other request the service is serving: it wants to run every
    `period_s` seconds, and records when it actually got to run."""
    while True:
        beats.append(time.perf_counter())
        await asyncio.sleep(period_s)


async def preview(user_id: int) -> None:
    beats: list[float] = []
    ticker = asyncio.create_task(heartbeat(0.05, beats))
    await asyncio.sleep(0)  # let the heartbeat start
    started = time.perf_counter()
    lines = await build_dashboard(user_id, PANELS)
    elapsed = time.perf_counter() - started
    ticker.cancel()
    for line in lines:
        print(line)
    longest_gap = max(later - earlier for earlier, later in zip(beats, beats[1:] + [started + elapsed]))
    print(f"built {len(lines)} panels in {elapsed:.2f} s")
    print(f"heartbeat, due every 0.05 s: ran {len(beats)} of {1 + int(elapsed / 0.05)} times, longest wait {longest_gap:.2f} s")


def main() -> None:
    asyncio.run(preview(user_id=1042), debug="--debug" in sys.argv[1:])


if __name__ == "__main__":
    main()
