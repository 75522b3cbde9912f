"""Chapter 0, everything fails: one request's six steps, where each can fail and how, what
the caller learns and what the service did, drawn as a sequence diagram, with its explorer."""

from __future__ import annotations

from typing import NamedTuple

from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from resilience.ui.explorers import explorer
from resilience.ui.figures import BAD, GOOD, INFO, NEUTRAL, WARN, new_figure

# -- the model: one call, its steps, and what each failure leaves behind ---------------------

# The steps of one call, in order: (name, what happens, who does it).
STEPS = {
    "send": "the client sends the request",
    "request": "the network delivers the request",
    "process": "the service does the work",
    "reply": "the service sends its reply",
    "response": "the network delivers the reply",
    "read": "the client reads the reply",
}
HOWS = {"lost": "lost", "slow": "slow", "error": "an error"}  # how a step can fail
NOWHERE = "nowhere"  # the call that works, for comparison

# What the caller knows when the call ends.
ANSWER, ERROR, TIMEOUT, NOTHING = "the answer", "an error", "a timeout", "nothing"
# What the service did.
DONE, NONE, PART = "the work", "nothing", "maybe part of it"


class Outcome(NamedTuple):
    caller: str  # what the caller knows: ANSWER, ERROR, TIMEOUT or NOTHING
    server: str  # what the service did: DONE, NONE or PART
    story: str  # one sentence: what happened


# (step, how) -> what the caller knows, what the service did, and what happened.
OUTCOMES: dict[tuple[str, str], Outcome] = {
    (NOWHERE, ""): Outcome(ANSWER, DONE, "Nothing fails: the caller knows the work is done."),
    ("send", "lost"): Outcome(TIMEOUT, NONE, "The connection never opens: a connect timeout."),
    ("send", "slow"): Outcome(TIMEOUT, NONE, "Connecting takes longer than the connect "
                                             "timeout: the request never leaves."),
    ("send", "error"): Outcome(ERROR, NONE, "The connection is refused: nothing was sent."),
    ("request", "lost"): Outcome(TIMEOUT, NONE, "The network drops the request: the service "
                                                "never hears of it."),
    ("request", "slow"): Outcome(TIMEOUT, DONE, "The request arrives after the caller gave up, "
                                                "and the service does the work anyway."),
    ("request", "error"): Outcome(ERROR, NONE, "The connection is reset halfway: the service "
                                               "throws the partial request away."),
    ("process", "lost"): Outcome(TIMEOUT, PART, "The service crashes partway through the "
                                                "work, and never answers."),
    ("process", "slow"): Outcome(TIMEOUT, DONE, "The work outlasts the caller's timeout, and "
                                                "finishes after it gave up."),
    ("process", "error"): Outcome(ERROR, PART, "The work fails partway, and the service "
                                               "answers with a 5xx error."),
    ("reply", "lost"): Outcome(TIMEOUT, DONE, "The service crashes after the work, before "
                                              "it replies."),
    ("reply", "slow"): Outcome(TIMEOUT, DONE, "The service pauses before it replies; the "
                                              "caller gives up first."),
    ("reply", "error"): Outcome(ERROR, DONE, "The work is saved, then building the reply "
                                             "fails: a 5xx error after the work."),
    ("response", "lost"): Outcome(TIMEOUT, DONE, "The network drops the reply: the work is "
                                                 "done, the caller never hears."),
    ("response", "slow"): Outcome(TIMEOUT, DONE, "The reply arrives after the caller gave "
                                                 "up."),
    ("response", "error"): Outcome(ERROR, DONE, "The connection is reset under the reply: "
                                                "the work is done."),
    ("read", "lost"): Outcome(NOTHING, DONE, "The client crashes before it reads the reply: "
                                             "nobody is left who knows."),
    ("read", "slow"): Outcome(TIMEOUT, DONE, "The client stalls past its own deadline, and "
                                             "treats the answer as too late."),
    ("read", "error"): Outcome(ERROR, DONE, "The client cannot parse the reply: an error, "
                                            "after the work."),
}


def outcome(where: str = "response", how: str = "lost") -> Outcome:
    """What the caller knows and what the service did when step ``where`` fails ``how``
    (``where="nowhere"``: nothing fails)."""
    if where == NOWHERE:
        return OUTCOMES[NOWHERE, ""]
    if where not in STEPS or how not in HOWS:
        raise ValueError(f"where is one of {[NOWHERE, *STEPS]} and how one of {list(HOWS)}; "
                         f"got where={where!r}, how={how!r}")
    return OUTCOMES[where, how]


def same_view(caller: str) -> dict[str, list[tuple[str, str]]]:
    """Every failure the caller sees as ``caller``, grouped by what the service did."""
    found: dict[str, list[tuple[str, str]]] = {DONE: [], NONE: [], PART: []}
    for (where, how), result in OUTCOMES.items():
        if where != NOWHERE and result.caller == caller:
            found[result.server].append((where, how))
    return found


# -- the figure: the call as a sequence diagram, and every failure the caller cannot tell apart

SERVER_COLOUR = {DONE: GOOD, NONE: BAD, PART: WARN}
# A failing step's words, where the step's own words would not say what happened.
ERROR_TITLES = {
    ("send", "error"): "The connection is refused: ERROR",
    ("process", "lost"): "The service crashes partway: LOST",
    ("reply", "error"): "The service replies with a 5xx error, after the work",
    ("read", "lost"): "The client crashes before it reads the reply",
}
SHORT = {DONE: "work done", NONE: "nothing done", PART: "maybe part done"}
CLIENT_X, NETWORK_X, SERVICE_X = 0.0, 1.0, 2.0
# Each step on the diagram: from which lifeline to which (a box when they are the same), and
# how long it takes. Time runs down the page.
LANES = {"send": (CLIENT_X, NETWORK_X), "request": (NETWORK_X, SERVICE_X),
         "process": (SERVICE_X, SERVICE_X), "reply": (SERVICE_X, NETWORK_X),
         "response": (NETWORK_X, CLIENT_X), "read": (CLIENT_X, CLIENT_X)}
DURATION = {"send": 0.8, "request": 0.8, "process": 1.4, "reply": 0.8, "response": 0.8,
            "read": 0.8}
START_AT = 0.3  # the first step starts here, under the lifelines' names
TIMEOUT_AT = 6.6  # when the caller gives up (the call that works is over by 5.7)
SLOW_BY = 3.4  # how much longer a slow step takes: past the caller's timeout
BOTTOM = 10.6  # the diagram's lowest time
BOX_WIDTH = 0.16
LABELS_X = 2.35  # where the steps' words go
TEXT = "#333333"


def _arrow(ax, x0, t0, x1, t1, colour, *, dashed=False, head=True, width=1.8):
    ax.add_patch(FancyArrowPatch(
        (x0, -t0), (x1, -t1), arrowstyle="-|>" if head else "-", mutation_scale=12,
        color=colour, linewidth=width, linestyle="--" if dashed else "-",
        shrinkA=0, shrinkB=0))


def _box(ax, x, t0, t1, colour, *, hatch=None, edge=None, dotted=False):
    ax.add_patch(Rectangle((x - BOX_WIDTH / 2, -t1), BOX_WIDTH, t1 - t0, facecolor=colour,
                           edgecolor=edge or colour, hatch=hatch, linewidth=1.5,
                           linestyle=":" if dotted else "-"))


def _label(ax, x0, x1, t0, t1, text, colour=TEXT, weight="normal", number=None):
    """A step's words, in the column right of the diagram, level with the step; its
    number, if it has one, on its arrow or beside its box."""
    middle = -(t0 + t1) / 2
    ax.text(LABELS_X, middle, text, ha="left", va="center", fontsize=8, color=colour,
            weight=weight)
    if number is not None:
        if x0 == x1:  # beside the box
            x, y = x0 + (0.2 if x0 == CLIENT_X else -0.2), middle
        else:  # a third of the way along the arrow
            x, y = x0 + (x1 - x0) / 3, -(t0 + (t1 - t0) / 3)
        ax.text(x, y, str(number), ha="center", va="center", fontsize=8, color=colour,
                weight="bold", bbox={"boxstyle": "circle,pad=0.2", "facecolor": "#ffffff",
                                     "edgecolor": colour, "linewidth": 1})


def _cross(ax, x, t, size=13):
    ax.plot([x], [-t], marker="X", markersize=size, color=BAD, linestyle="none")


def plot_call(ax, where: str, how: str) -> Outcome:
    """The call drawn as a sequence diagram (client, network, service; time runs down), with
    the failing step in vermillion. Returns its outcome."""
    result = outcome(where, how)
    ax.set_xlim(-0.8, 4.3)
    ax.set_ylim(-BOTTOM - 0.9, 0.7)
    for x, name in ((CLIENT_X, "client"), (NETWORK_X, "network"), (SERVICE_X, "service")):
        ax.plot([x, x], [0.0, -BOTTOM], color=NEUTRAL, linewidth=1, linestyle=":")
        ax.text(x, 0.1, name, ha="center", va="bottom", weight="bold")
    t, state = START_AT, "on time"  # then "failed" (the rest never happens) or "late"
    for number, step in enumerate(STEPS, start=1):
        x0, x1 = LANES[step]
        title = STEPS[step].capitalize()
        if step == where and (step, how) in ERROR_TITLES:
            title = ERROR_TITLES[step, how]
        duration = DURATION[step] + (SLOW_BY if step == where and how == "slow" else 0.0)
        end = t + duration
        if step == where:
            _label(ax, x0, x1, t, end, title if (step, how) in ERROR_TITLES
                   else f"{title}: {how.upper()}", BAD, "bold", number)
            t = _draw_failure(ax, step, how, t, end)
            state = "late" if how == "slow" else "failed"
            if how == "error":
                break  # the error reached the client: nothing else happens
            continue
        if state == "failed" or (state == "late" and step == "read"):
            if x0 == x1:
                _box(ax, x0, t, end, "#ffffff", edge=NEUTRAL, dotted=True)
            else:
                _arrow(ax, x0, t, x1, end, NEUTRAL, dashed=True, width=1)
            _label(ax, x0, x1, t, end, f"{title}: never happens", NEUTRAL, number=number)
        else:
            colour = WARN if state == "late" else (GOOD if step == "process" else INFO)
            if x0 == x1:
                _box(ax, x0, t, end, colour)
            else:
                _arrow(ax, x0, t, x1, end, colour)
            _label(ax, x0, x1, t, end, title + (", too late" if state == "late" else ""),
                   WARN if state == "late" else TEXT, number=number)
        t = end
    if result.caller == TIMEOUT:
        ax.plot([CLIENT_X - 0.22, CLIENT_X + 0.22], [-TIMEOUT_AT] * 2, color=WARN, linewidth=3)
        ax.text(CLIENT_X - 0.26, -TIMEOUT_AT, "timeout:\nit gives up", ha="right",
                va="center", fontsize=8, color=WARN, weight="bold")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    what = "Nothing fails" if where == NOWHERE else (
        f"Step {list(STEPS).index(where) + 1} fails ({HOWS[how]})")
    ax.set_title(f"{what}: the caller knows {result.caller}; the service did "
                 f"{result.server}", loc="left")
    ax.text(-0.75, -BOTTOM - 0.8, result.story, ha="left", va="bottom", style="italic")
    return result


def _draw_failure(ax, step: str, how: str, t: float, end: float) -> float:
    """The failing step, in vermillion, and the error that travels back to the client, if
    one does. Returns when the step (or the error's journey) ends."""
    x0, x1 = LANES[step]
    middle = (t + end) / 2
    if x0 == x1:  # the service's work, or the client's read
        part = step == "process"  # work that stops partway may have done part of it
        if how == "lost":  # a crash partway
            _box(ax, x0, t, middle, WARN if part else GOOD if x0 == SERVICE_X else BAD)
            _cross(ax, x0, middle)
            return end
        if how == "slow":
            _box(ax, x0, t, end, GOOD if part else BAD, hatch="//", edge=BAD)
            return end
        _box(ax, x0, t, middle if part else end, WARN if part else BAD)
        if x0 == CLIENT_X:
            return end
        return _error_back(ax, SERVICE_X, middle, "The service answers with a 5xx error")
    xm = (x0 + x1) / 2
    if how == "slow":
        _arrow(ax, x0, t, x1, end, BAD, dashed=True)
        return end
    if step == "reply":  # the service sends an error instead of its answer
        return _error_back(ax, SERVICE_X, t, "")  # its label says it
    _arrow(ax, x0, t, xm, middle, BAD, head=False)
    _cross(ax, xm, middle, 13 if how == "lost" else 10)
    if how == "lost":
        return end
    if step == "send":  # refused: the client's own error, at once
        _box(ax, CLIENT_X, end, end + DURATION["read"], BAD)
        _label(ax, CLIENT_X, CLIENT_X, end, end + DURATION["read"],
               "The client gets the error", BAD)
        return end + DURATION["read"]
    return _error_back(ax, xm, middle, "The reset reaches the client")


def _error_back(ax, x: float, t: float, what: str) -> float:
    """An error travelling from ``x`` back to the client, which gets it."""
    arrive = t + DURATION["response"] * abs(x - CLIENT_X)
    _arrow(ax, x, t, CLIENT_X, arrive, BAD, dashed=True)
    if what:
        _label(ax, x, CLIENT_X, t, arrive, what, BAD)
    _box(ax, CLIENT_X, arrive, arrive + DURATION["read"], BAD)
    _label(ax, CLIENT_X, CLIENT_X, arrive, arrive + DURATION["read"],
           "The client gets the error", BAD)
    return arrive + DURATION["read"]


def plot_same_view(ax, where: str, how: str) -> None:
    """Every failure point (step x how), coloured by what the service did; those the caller
    cannot tell from the chosen one stand out."""
    chosen = outcome(where, how)
    steps = list(STEPS)
    for row, step in enumerate(steps):
        for column, kind in enumerate(HOWS):
            result = OUTCOMES[step, kind]
            alike = result.caller == chosen.caller
            ax.add_patch(Rectangle((column, row), 1, 1, facecolor=SERVER_COLOUR[result.server],
                                   alpha=0.9 if alike else 0.15, edgecolor="#ffffff",
                                   linewidth=2))
            ax.text(column + 0.5, row + 0.5, result.caller.removeprefix("a ")
                    .removeprefix("an ").removeprefix("the "), ha="center", va="center",
                    fontsize=8, color="#000000" if alike else "#999999")
    if where != NOWHERE:
        ax.add_patch(Rectangle((list(HOWS).index(how), steps.index(where)), 1, 1,
                               facecolor="none", edgecolor="#000000", linewidth=2.5))
    ax.set_xlim(0, len(HOWS))
    ax.set_ylim(len(steps), 0)
    ax.set_xticks([i + 0.5 for i in range(len(HOWS))], list(HOWS))
    ax.set_yticks([i + 0.5 for i in range(len(steps))],
                  [f"{n} {name}" for n, name in enumerate(steps, start=1)])
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("how the step fails")
    ax.set_ylabel("where the call fails")
    if chosen.caller == ANSWER:
        title = "Only the call that works\ngives the caller the answer"
    else:
        found = same_view(chosen.caller)
        counts = ", ".join(f"{len(points)} {SHORT[server]}"
                           for server, points in found.items() if points)
        title = f"Every failure the caller sees as {chosen.caller}:\n{counts}"
    ax.set_title(title, loc="left", x=-0.3)
    ax.legend(handles=[Patch(color=SERVER_COLOUR[s], label=SHORT[s]) for s in SHORT],
              loc="upper left", bbox_to_anchor=(-0.05, -0.12), ncols=3, handlelength=1,
              columnspacing=0.8)


# -- the widget ----------------------------------------------------------------------------

def draw_call(where="response", how="lost"):
    """One call, failing at step ``where`` in the way ``how``; beside it, every failure
    point, lit where the caller would see the same thing."""
    figure, (ax_call, ax_grid) = new_figure(
        11, 5.4, "A timeout, or an error, does not say whether the work was done: a retry "
                 "after one may do the work twice.",
        left=0.02, right=0.98, top=0.91, bottom=0.16, wspace=0.5, ncols=2,
        gridspec_kw={"width_ratios": [1.75, 1]})
    plot_call(ax_call, where, how)
    plot_same_view(ax_grid, where, how)
    return figure


def failure_explorer():
    """Pick where one call fails, and how; see what the caller knows and what the service
    did, and every other failure the caller could not tell apart from it."""
    import ipywidgets as w

    return explorer(
        w, draw_call,
        where=w.Dropdown(options=[(f"{n} {text}", step) for n, (step, text)
                                  in enumerate(STEPS.items(), start=1)]
                         + [("nowhere: the call works", NOWHERE)],
                         value="response", description="fails at"),
        how=w.Dropdown(options=[(text, kind) for kind, text in HOWS.items()], value="lost",
                       description="how"),
    )
