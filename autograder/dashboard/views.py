"""How the dashboard draws a :class:`~.watch.Picture`: as HTML panels and as plain text.

Pure functions of a picture (no widgets, no cluster), so a panel is tested by what it says.
"""

from __future__ import annotations

import html

from ..feedback import describe_call
from ..messages import _
from ..workloads import Seen
from .watch import MAX_ROWS, Picture

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
BORDER = "1px solid var(--jp-border-color1, #ccc)"
TABLE = "style='border-collapse:separate;border-spacing:12px 2px;margin-left:-12px'"


def short(value, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _colour(slot: int) -> str:
    return PALETTE[slot % len(PALETTE)]


def _ttl(ttl: int) -> str:
    return _("dashboard.redis.no_ttl") if ttl < 0 else _("dashboard.redis.seconds", ttl=ttl)


def _saw(seen: Seen) -> str:
    if seen.error is not None:
        return _("dashboard.users.error", kind=seen.error["kind"], message=seen.error["message"])
    return short(seen.value, 50)


def _verdict(seen: Seen) -> str:
    return _(
        {True: "dashboard.verdict.kept", False: "dashboard.verdict.lost"}.get(
            seen.ok, "dashboard.verdict.unjudged"
        )
    )


def text(picture: Picture) -> str:
    lines = [picture.header, _("dashboard.text.action", action=picture.action)]
    lines.append(_("dashboard.text.users", summary=picture.users.line))
    for seen in picture.users.rows:
        lines.append(
            _(
                "dashboard.text.user",
                user=seen.user,
                saw=_saw(seen),
                expected=short(seen.expected, 50) if seen.judged else "?",
                pid=seen.pid,
                verdict=_verdict(seen),
            )
        )
    lines.append(_("dashboard.text.processes"))
    for p in picture.processes:
        memory = ", ".join(f"{k}={v}" for k, v in p.memory.items()) or "-"
        lines.append(
            _(
                "dashboard.text.process",
                name=p.name,
                pid=p.pid,
                seconds=p.uptime,
                served=p.served,
                memory=memory,
            )
            + (_("dashboard.text.release", release=p.release) if p.release else "")
        )
    lines.append(_("dashboard.text.router", router=picture.router))
    lines += [f"  {_request_text(served)}" for served in picture.last] or [
        f"  {_('dashboard.router.none')}"
    ]
    lines.append(_("dashboard.text.redis", kind=picture.redis_kind, keys=picture.key_count))
    for row in picture.keys:
        lines.append(
            _(
                "dashboard.text.key",
                name=row["key"],
                type=row["type"],
                ttl=_ttl(row["ttl"]),
                value=short(row["value"]),
            )
        )
    return "\n".join(lines)


def _request_text(served) -> str:
    return _(
        "dashboard.router.request",
        seq=served.seq,
        call=describe_call(served.handler, served.args, http=served.http),
        user=served.user or "-",
        pid=served.pid,
    )


def _markup(key: str, **bold) -> str:
    """The message ``key`` as HTML, escaped, with each of ``bold``'s values in bold."""
    marks = {name: f"\x00{index}\x00" for index, name in enumerate(bold)}
    shown = html.escape(_(key, **marks))
    for name, mark in marks.items():
        shown = shown.replace(mark, f"<b>{html.escape(str(bold[name]))}</b>")
    return shown


def _section(title: str, body: str, **style: str) -> str:
    css = ";".join(f"{k.replace('_', '-')}:{v}" for k, v in style.items())
    return (
        f"<section role='region' aria-label='{html.escape(title)}' style='{css}'>"
        f"<div style='font-weight:600;margin-bottom:4px'>{html.escape(title)}</div>{body}"
        "</section>"
    )


def status_html(picture: Picture | None, action: str | None = None) -> str:
    esc = html.escape
    headline = ""
    if picture is not None:
        line = esc(picture.users.line)
        headline = f"<div style='font-size:1.15em;font-weight:600'>{line}</div>"
    return (
        f"<div role='status' aria-live='polite' aria-label='{esc(_('dashboard.panel.status'))}' "
        "class='autograder-dashboard-status'>"
        f"{headline}<div>{esc(action or picture.action)}</div></div>"
    )


def processes_html(picture: Picture) -> str:
    esc = html.escape
    cards = []
    for p in picture.processes:
        label = _("dashboard.card.label", name=p.name, pid=p.pid)
        badge = (
            f" <span style='border:1px solid currentColor;border-radius:8px;padding:0 5px;"
            f"font-size:0.85em'>{esc(_('dashboard.card.new'))}</span>"
            if p.new
            else ""
        )
        memory = "<br>".join(f"{esc(k)} = {esc(v)}" for k, v in p.memory.items())
        cards.append(
            f"<div role='group' aria-label='{esc(label)}' class='autograder-process' "
            f"data-pid='{p.pid}' style='border:{BORDER};border-left:6px solid "
            f"{_colour(p.slot)};border-radius:6px;padding:6px 10px;flex:1 1 180px;"
            "max-width:340px'>"
            f"<div>{_markup('dashboard.card.title', name=p.name, pid=p.pid)}{badge}</div>"
            + (
                f"<div class='autograder-release'>"
                f"{esc(_('dashboard.card.release', release=p.release))}</div>"
                if p.release
                else ""
            )
            + f"<div>{esc(_('dashboard.card.uptime', seconds=p.uptime))} · "
            f"{esc(_('dashboard.card.served', count=p.served))}</div>"
            f"<div style='margin-top:3px'>{esc(_('dashboard.card.memory'))}</div>"
            "<code style='font-size:0.85em;white-space:pre-wrap;overflow-wrap:anywhere'>"
            f"{memory or esc(_('dashboard.card.memory_empty'))}</code></div>"
        )
    body = f"<div style='display:flex;flex-wrap:wrap;gap:8px'>{''.join(cards)}</div>"
    return _section(_("dashboard.panel.processes"), body)


# The router view's geometry, in SVG units: a process box's head and row heights, the gap
# between boxes, where the router box ends and the process boxes begin, the width.
ROW_HEIGHT, HEAD, GAP, LEFT, RIGHT, WIDTH = 15, 18, 8, 96, 230, 560


def router_html(picture: Picture) -> str:
    """An SVG: the router on the left, one box per process on the right, and a line from
    the router to the process for each of the last requests (newest drawn boldest)."""
    esc = html.escape
    title = _("dashboard.panel.router", router=picture.router)
    if not picture.last:
        return _section(title, f"<div>{esc(_('dashboard.router.none'))}</div>")
    boxes, ends, height = _process_boxes(picture)
    total = max(height, 44)
    middle = total / 2
    router = (
        f"<rect x='2' y='{middle - 16}' width='{LEFT - 2}' height='32' rx='6' fill='none' "
        f"stroke='currentColor' stroke-width='2'/><text x='{LEFT / 2 + 1}' y='{middle + 4}' "
        f"text-anchor='middle' font-weight='600'>{esc(_('dashboard.router.box'))}</text>"
    )
    described = "; ".join(_request_text(served) for served in picture.last)
    label = _("dashboard.router.label", count=len(picture.last), requests=described)
    svg = (
        f"<svg role='img' aria-label='{esc(label)}' viewBox='0 0 {WIDTH} {total}' "
        f"style='width:100%;max-width:{WIDTH}px;font-family:var(--jp-ui-font-family);"
        f"font-size:12px' fill='currentColor'>{_request_lines(picture, ends, middle)}"
        f"{router}{boxes}</svg>"
    )
    return _section(title, svg)


def _boxed_processes(picture: Picture) -> list[tuple[int, str, str, bool]]:
    """(pid, label, colour, gone) of every running process, then of every process that
    served one of the last requests and is gone now."""
    boxes = [
        (p.pid, _("dashboard.router.process", name=p.name, pid=p.pid), _colour(p.slot), False)
        for p in picture.processes
    ]
    alive = {p.pid for p in picture.processes}
    for served in picture.last:
        if served.pid not in alive and all(box[0] != served.pid for box in boxes):
            how = _(f"dashboard.ended.{picture.ended.get(served.pid, 'gone')}")
            label = _("dashboard.router.gone", pid=served.pid, how=how)
            boxes.append((served.pid, label, "currentColor", True))
    return boxes


def _process_boxes(picture: Picture) -> tuple[str, dict[int, float], int]:
    """The process boxes stacked top to bottom, each listing the last requests it served:
    the SVG, where each request's row is (seq -> y), and the height used."""
    esc = html.escape
    y, parts = 4, []
    ends: dict[int, float] = {}
    for pid, label, colour, gone in _boxed_processes(picture):
        rows = [s for s in picture.last if s.pid == pid]
        height = HEAD + ROW_HEIGHT * max(1, len(rows)) + 4
        dash = " stroke-dasharray='5 3'" if gone else ""
        strike = " text-decoration='line-through'" if gone else ""
        parts.append(
            f"<rect x='{RIGHT}' y='{y}' width='{WIDTH - RIGHT - 2}' height='{height}' rx='5' "
            f"fill='none' stroke='{colour}' stroke-width='2'{dash}/>"
            f"<text x='{RIGHT + 8}' y='{y + 13}' font-weight='600'{strike}>{esc(label)}</text>"
        )
        for index, served in enumerate(rows):
            row_y = y + HEAD + ROW_HEIGHT * index + 11
            ends[served.seq] = row_y - 4
            row = _(
                "dashboard.router.row",
                seq=served.seq,
                handler=served.handler,
                user=served.user or "-",
            )
            parts.append(f"<text x='{RIGHT + 14}' y='{row_y}' font-size='11'>{esc(row)}</text>")
        y += height + GAP
    return "".join(parts), ends, y


def _request_lines(picture: Picture, ends: dict[int, float], middle: float) -> str:
    """A curve from the router to each request's row, older ones fainter, the newest bold."""
    lines = []
    newest = picture.last[-1].seq
    for age, served in enumerate(reversed(picture.last)):
        opacity = max(0.25, 1 - age * 0.08)
        bold = 2.6 if served.seq == newest else 1.2
        lines.append(
            f"<path d='M {LEFT} {middle} C {LEFT + 70} {middle}, {RIGHT - 70} {ends[served.seq]}, "
            f"{RIGHT} {ends[served.seq]}' fill='none' stroke='var(--jp-brand-color1, #1976d2)' "
            f"stroke-width='{bold}' opacity='{opacity:.2f}'/>"
        )
    return "".join(lines)


def redis_html(picture: Picture) -> str:
    esc = html.escape
    title = _("dashboard.panel.redis", kind=picture.redis_kind, keys=picture.key_count)
    if not picture.keys:
        return _section(title, f"<div>{esc(_('dashboard.redis.empty'))}</div>")
    head = "".join(
        f"<th style='text-align:left'>{esc(_(f'dashboard.redis.{name}'))}</th>"
        for name in ("key", "type", "ttl", "value")
    )
    rows = "".join(
        f"<tr><td><code>{esc(row['key'])}</code></td><td>{esc(row['type'])}</td>"
        f"<td>{esc(_ttl(row['ttl']))}</td><td><code>{esc(short(row['value'], 60))}</code></td></tr>"
        for row in picture.keys
    )
    more = picture.key_count - len(picture.keys)
    tail = f"<div>{esc(_('dashboard.redis.more', count=more))}</div>" if more > 0 else ""
    table = f"<table {TABLE}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{tail}"
    return _section(title, table)


def users_html(picture: Picture) -> str:
    esc = html.escape
    report = picture.users
    body = f"<div class='autograder-users-line'>{esc(report.line)}</div>"
    if report.rows:
        names = ("user", "saw", "expected", "pid", "verdict")
        head = "".join(
            f"<th style='text-align:left'>{esc(_(f'dashboard.users.{n}'))}</th>" for n in names
        )
        rows = []
        for seen in report.rows[:MAX_ROWS]:
            expected = short(seen.expected, 50) if seen.judged else "?"
            weight = "font-weight:600" if seen.ok is False else ""
            rows.append(
                f"<tr style='{weight}'><td>{esc(seen.user)}</td><td><code>{esc(_saw(seen))}"
                f"</code></td><td><code>{esc(expected)}</code></td><td>{seen.pid}</td>"
                f"<td>{esc(_verdict(seen))}</td></tr>"
            )
        more = len(report.rows) - MAX_ROWS
        tail = f"<div>{esc(_('dashboard.users.more', count=more))}</div>" if more > 0 else ""
        body += f"<table {TABLE}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        body += "</table>"
        body += tail
    return _section(_("dashboard.panel.users"), body)
