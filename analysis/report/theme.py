"""The one look of every figure in the book.

Why these choices:
- Colours are the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with the three common
  forms of colour-blindness. Colour is never the only cue: every series also has its own dash
  pattern (lines) and point shape (marks), so a chart printed in grey still separates them.
- Peru is always vermillion, solid, circle; Colombia always blue, long dash, square; and so on,
  so a reader learns the key once for the whole book (`STYLE`).
- Every chart carries its source line at the bottom (it travels with the figure when pasted
  into a briefing) and its source ids in `usermeta` (for figure cards and tests). The caption
  states the finding and cites; it does not repeat the source line (one per figure). The line
  is wrapped short enough for a phone's column (`SOURCE_WRAP`): Vega cannot wrap a title.
- Tooltips speak the reader's language: country names, the publisher's name for a source id
  (`source_label`), a label for a coded measure (`MEASURE_LABELS`), and no empty ("null") field
  (`without_missing_tooltips`).
- A legend keeps the renderer's placement (beside or, on a phone, below the plot): figures set
  no `orient` of their own; the book-wide `config()` puts legends on top.

`apply(chart, source=..., sources=...)` finishes every figure; `article_rule` and `year_axis`
are the two pieces the time-series charts share.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

# Okabe-Ito. Yellow (#F0E442) is left out: it vanishes on white paper and in grey.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
TEXT = "#222222"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
WIDTH = 560
HEIGHT = 300
# Characters per line of the source line: at 10 px DejaVu Sans (about 5.6 px a character) a line
# fits the 322 px chart column of a 390 px phone; longer lines were cut off there.
SOURCE_WRAP = 56
# Readable names for the coded measures of the coca tables (data/schemas/coca_cultivation.json).
MEASURE_LABELS = {
    "net_area_dec31": "Net area on 31 December",
    "satellite_interpreted": "Area interpreted on satellite imagery",
}


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: colour, dash pattern (lines) and point shape (marks)."""

    color: str
    dash: tuple[int, ...]
    shape: str


# Named series used across chapters. Keys are ISO3 codes or the labels the analysis returns.
STYLE: dict[str, SeriesStyle] = {
    "PER": SeriesStyle(OKABE_ITO["vermillion"], (), "circle"),
    "COL": SeriesStyle(OKABE_ITO["blue"], (8, 4), "square"),
    "BOL": SeriesStyle(OKABE_ITO["orange"], (2, 2), "triangle-up"),
    "BRA": SeriesStyle(OKABE_ITO["bluish_green"], (6, 2, 2, 2), "diamond"),
    "USA": SeriesStyle(OKABE_ITO["sky_blue"], (12, 3), "cross"),
    "ESP": SeriesStyle(OKABE_ITO["reddish_purple"], (4, 4), "triangle-down"),
    "WEU": SeriesStyle(OKABE_ITO["reddish_purple"], (4, 4), "triangle-down"),
    "OTHER": SeriesStyle(GREY, (1, 3), "circle"),
}
# Fallback cycle for series without a fixed style (ordered so neighbours differ in grey).
CYCLE: tuple[SeriesStyle, ...] = (
    SeriesStyle(OKABE_ITO["vermillion"], (), "circle"),
    SeriesStyle(OKABE_ITO["blue"], (8, 4), "square"),
    SeriesStyle(OKABE_ITO["orange"], (2, 2), "triangle-up"),
    SeriesStyle(OKABE_ITO["bluish_green"], (6, 2, 2, 2), "diamond"),
    SeriesStyle(OKABE_ITO["sky_blue"], (12, 3), "cross"),
    SeriesStyle(OKABE_ITO["reddish_purple"], (4, 4), "triangle-down"),
    SeriesStyle(OKABE_ITO["black"], (1, 2), "triangle-right"),
    SeriesStyle(GREY, (10, 2, 2, 2, 2, 2), "triangle-left"),
)


def series_styles(keys: list[str]) -> list[SeriesStyle]:
    """One style per key: the fixed style where there is one, else the next unused cycle entry."""
    used = {STYLE[k] for k in keys if k in STYLE}
    spare = [s for s in CYCLE if s not in used]
    out = []
    for key in keys:
        if key in STYLE:
            out.append(STYLE[key])
        else:
            out.append(spare.pop(0) if spare else CYCLE[len(out) % len(CYCLE)])
    return out


def scales(domain: list[str], keys: list[str] | None = None) -> dict[str, alt.Scale]:
    """Colour, dash and shape scales for a categorical field whose values are `domain`.

    `keys` (same order as `domain`) names the style of each value when the displayed labels are
    not themselves style keys (e.g. domain = country names, keys = ISO3 codes).
    """
    styles = series_styles(list(keys) if keys is not None else list(domain))
    return {
        "color": alt.Scale(domain=list(domain), range=[s.color for s in styles]),
        "strokeDash": alt.Scale(domain=list(domain), range=[list(s.dash) or [1, 0] for s in styles]),
        "shape": alt.Scale(domain=list(domain), range=[s.shape for s in styles]),
    }


def highlight_color(is_focus_field: str, focus_label: str = "Peru", other_label: str = "Other countries",
                    legend: bool = True):
    """A two-value colour encoding: the focus country in vermillion, everything else grey
    (`legend=False` where another channel of the same layer already shows the key)."""
    return alt.Color(
        f"{is_focus_field}:N",
        scale=alt.Scale(domain=[focus_label, other_label], range=[STYLE["PER"].color, GREY]),
        legend=alt.Legend(title=None) if legend else None,
    )


def config() -> dict:
    """The chart configuration shared by every figure (fonts, axes, legend, no chart border)."""
    return {
        "font": FONT,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "axis": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": "#EBEBEB",
            "domainColor": GREY,
            "tickColor": GREY,
        },
        "legend": {
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "orient": "top",
            "symbolStrokeWidth": 2,
            "symbolSize": 80,
            "labelLimit": 260,
        },
        "title": {"color": TEXT, "fontSize": 13, "anchor": "start"},
        "line": {"strokeWidth": 2.2},
        "point": {"size": 55, "filled": True},
        "bar": {"color": OKABE_ITO["blue"]},
        "text": {"font": FONT, "fontSize": 11, "color": TEXT},
    }


def source_line(source: str) -> str:
    """The text printed under a chart: 'Source: ...' (one sentence, no trailing dot duplicated)."""
    text = source.strip().rstrip(".")
    return text if text.startswith("Source") else f"Source: {text}."


def wrap(text: str, width: int = SOURCE_WRAP) -> list[str]:
    """Split a long source line into lines of at most `width` characters (at spaces)."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


def source_label(sources: pd.DataFrame, source_id: str) -> str:
    """A source id as a reader knows it: the publisher and the publication's short title
    ("United Nations Office on Drugs and Crime, World Drug Report 2025")."""
    row = sources.set_index("source_id").loc[source_id]
    short = str(row["title"]).split(":")[0].split(",")[0].strip()
    return f"{row['publisher']}, {short}"


def without_missing_tooltips(chart: alt.Chart, data: pd.DataFrame,
                             tooltip: list[alt.Tooltip]) -> alt.LayerChart | alt.Chart:
    """`chart` (drawn from `data`) as one layer per pattern of empty tooltip fields, each
    layer's tooltip listing only the fields its rows have, so a tooltip never reads "null".

    The layers filter the chart's one dataset (no copy), so the figure card's CSV keeps each
    plotted row once.
    """
    fields = [t.shorthand.split(":")[0] for t in tooltip]
    gappy = [f for f in fields if data[f].isna().any()]
    if not gappy:
        return chart.encode(tooltip=tooltip)
    layers = []
    for pattern in data[gappy].notna().drop_duplicates().itertuples(index=False):
        has = dict(zip(gappy, pattern))
        test = " && ".join(f"{'' if ok else '!'}isValid(datum[{f!r}])" for f, ok in has.items())
        keep = [t for t, f in zip(tooltip, fields) if has.get(f, True)]
        layers.append(chart.transform_filter(test).encode(tooltip=keep))
    return alt.layer(*layers)


def apply(chart, *, source: str, sources: tuple[str, ...] | list[str], figure: str):
    """Finish a figure: source line at the bottom, source ids and figure name in `usermeta`, theme.

    `source` is the human-readable source line; `sources` the source ids (keys of
    data/sources.csv and references.bib); `figure` the figure function's name.
    """
    sources = list(dict.fromkeys(sources))
    titled = chart.properties(
        title=alt.TitleParams(
            text=wrap(source_line(source)),
            orient="bottom",
            anchor="start",
            fontSize=10,
            fontWeight="normal",
            color="#555555",
            offset=12,
        ),
        usermeta={"figure": figure, "sources": sources, "source_line": source_line(source)},
    )
    return titled.configure(**config())


def article_rule(year: int) -> alt.Chart:
    """A vertical dotted rule at the article's year, labelled, for time-series charts."""
    frame = pd.DataFrame({"year": [year], "label": [f"Article ({year})"]})
    base = alt.Chart(frame)
    rule = base.mark_rule(color=GREY, strokeDash=[2, 3]).encode(x="year:Q")
    text = base.mark_text(align="left", dx=4, dy=-4, color="#555555", baseline="top").encode(
        x="year:Q", y=alt.value(0), text="label:N")
    return rule + text


def year_axis(title: str = "Year") -> alt.X:
    """The x axis of every time series: whole years, no thousands separator."""
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True,
                                                     labelFlush=False))
