"""One corpus of hostile text, shared by every test of escaping (Markdown, HTML, Typst).

Each string is something that would turn into markup, code or a network request if it
reached the page unescaped: an HTML script or image, a Quarto shortcode, Markdown emphasis,
code, lists, headings, tables, links and entities, Typst code and math, cross-references
and citations.
"""

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=https://example.org/x.png onerror=alert(2)>",
    "{{< include x >}}",
    "*not emphasis* and _not either_ and `no code`",
    "#set page(fill: red) $x^2$ @fig-a [@key] \\ backslash",
    '#read("/etc/passwd") #eval("1")',
    "``` {=html}",
    "1. not a list",
    "# not a heading",
    "a | b | c",
    "[link](http://example.org) ![img](x.png)",
    "&amp; &lt;b&gt; &#x41;",
    "x` <script>alert(3)</script> `",
]
