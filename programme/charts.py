"""The trend chart as an SVG image, drawn by pygal (server-side: no script on the page, and the
page's strict Content-Security-Policy untouched: the image is its own response). The same
figures are in the table beside it, for screen readers and for printing."""

from __future__ import annotations

import pygal
from django.utils import formats
from pygal.etree import etree
from pygal.style import Style

from programme.insight import Insight

# The competency areas' colours (serambi.css .cat--*), so that the chart reads like the forum.
COLOURS = {
    "teal": "#0f5a4b",
    "blue": "#2c4f8c",
    "purple": "#6b3f8f",
    "red": "#8c2f4b",
    "orange": "#8a3b12",
    "green": "#3f5513",
    "brown": "#5c4a3a",
    "grey": "#4a5a55",
}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'


def trend_svg(insight: Insight, *, kind: str, title: str) -> str:
    """Questions `kind` ("asked" or "solved") per month, stacked by competency area."""
    style = Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1c2623",
        foreground_strong="#1c2623",
        foreground_subtle="#4a5a55",
        colors=tuple(COLOURS.get(area.colour, "#4a5a55") for area in insight.areas),
        title_font_size=16,
        legend_font_size=13,
        label_font_size=12,
    )
    chart = pygal.StackedBar(
        style=style,
        js=[],  # no script: the image is a picture, its numbers are in the table
        disable_xml_declaration=True,
        width=760,
        height=340,
        explicit_size=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        print_values=False,
        show_y_guides=True,
        min_scale=1,
        max_scale=8,
    )
    chart.title = title
    chart.x_labels = [formats.date_format(month, "M Y") for month in insight.months]
    for area in insight.areas:
        values = [insight.trend.get((month, area.pk), {}).get(kind, 0) for month in insight.months]
        chart.add(area.display_name, values)
    return _without_scripts(chart.render_tree())


def _without_scripts(root) -> str:
    # pygal always writes its configuration as a <script> (for its optional interactivity):
    # a picture needs none, and none is what the image's Content-Security-Policy allows.
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "script":
                parent.remove(child)
    return etree.tostring(root, encoding="unicode")
