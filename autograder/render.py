"""Views of the platform for notebook demos: a Cluster's processes and history, as HTML and
as text, and one served request as a history line."""

from __future__ import annotations

import html
import time

from .feedback import describe_call
from .messages import _
from .messages.names import redis_name, router_name


def cluster_text(cluster, last: int = 12) -> str:
    lines = [_title(cluster)]
    now = time.monotonic()
    for process in cluster.processes:
        memory = ", ".join(f"{k}={v}" for k, v in process.memory_summary().items()) or "-"
        lines.append(
            _(
                "dashboard.text.process",
                name=process.name,
                pid=process.pid,
                seconds=now - process.started_at,
                served=process.requests_served,
                memory=memory,
            )
        )
    lines.append(_("render.history"))
    lines += cluster.history(last=last)
    return "\n".join(lines)


def cluster_html(cluster, last: int = 12) -> str:
    esc = html.escape
    now = time.monotonic()
    rows = []
    for process in cluster.processes:
        memory = ", ".join(f"{k} = {v}" for k, v in process.memory_summary().items()) or "-"
        rows.append(
            "<tr>"
            f"<td>{esc(process.name)}</td><td>{process.pid}</td>"
            f"<td>{esc(_('render.seconds', seconds=now - process.started_at))}</td>"
            f"<td>{process.requests_served}</td>"
            f"<td><code>{esc(memory)}</code></td></tr>"
        )
    head = "".join(
        f"<th style='text-align:left'>{esc(_(key))}</th>"
        for key in (
            "render.process",
            "render.pid",
            "render.uptime",
            "render.served",
            "render.memory",
        )
    )
    history = esc("\n".join(cluster.history(last=last)) or _("render.no_requests"))
    return (
        f"<div class='autograder-cluster' role='group' aria-label='{esc(_title(cluster))}'>"
        f"<div>{esc(_title(cluster))}</div>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<div><b>{esc(_('render.history'))}</b></div>"
        f"<pre style='white-space:pre-wrap;margin:0'>{history}</pre></div>"
    )


def _title(cluster) -> str:
    """``cart.py: 3 process(es), sticky router, Redis: embedded fakeredis``."""
    return _(
        "dashboard.title",
        app=cluster.app.name,
        processes=len(cluster.processes),
        router=router_name(cluster.router.kind),
        redis=redis_name(cluster.redis.kind),
    )


def describe_served(served) -> str:
    call = describe_call(served.handler, served.args, http=served.http)
    who = _("platform.served.as", user=served.user) if served.user else ""
    if served.error:
        outcome = _("platform.served.error", **served.error)
    else:
        outcome = _("platform.served.value", value=repr(served.value))
    note = _("platform.served.note", note=served.note) if served.note else ""
    return _(
        "platform.served",
        seq=served.seq,
        call=call,
        who=who,
        pid=served.pid,
        outcome=outcome,
        note=note,
    )
