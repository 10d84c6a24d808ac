--[[ book.lua: the renderer's one Lua filter, run before --citeproc for both writers.

Numbers come from the Python pass (renderer/crossref.py) as `number` attributes; the book's
label table comes in the metadata field `crossref` (id -> {number, prefix, href}). This
filter then, per writer:
  - shows heading numbers (HTML) or sets Typst's heading/figure counters per chapter (Typst);
  - turns `#fig-`/`#tbl-` divs into pandoc Figures/Tables with numbered captions;
  - resolves @fig-/@tbl-/@sec- into links "Figure 2.1" (HTML) or Typst references;
  - converts HTML tables from cell outputs (pandas) into pandoc tables, so both writers
    get real tables;
  - styles callouts; keeps claim spans in HTML and plain text in Typst.
]]

local is_html = FORMAT:match("html") ~= nil
local is_typst = FORMAT:match("typst") ~= nil
local labels = {}

local CALLOUT_TITLES = {note = "Note", tip = "Tip", warning = "Warning", important = "Important", caution = "Caution"}
local CALLOUT_COLORS = {note = "#3b6ea8", tip = "#2e7d4f", warning = "#b7791f", important = "#b03a2e", caution = "#c05621"}

local function read_labels(meta)
  if meta.crossref then
    for id, v in pairs(meta.crossref) do
      labels[id] = {
        number = pandoc.utils.stringify(v.number),
        prefix = pandoc.utils.stringify(v.prefix),
        href = pandoc.utils.stringify(v.href),
      }
    end
  end
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- @fig-x, [@tbl-x], [-@sec-x]
local function cite(el)
  local found = {}
  for _, c in ipairs(el.citations) do
    local label = labels[c.id]
    if not label then return nil end
    local suppress = c.mode == "SuppressAuthor"
    if is_typst then
      local supplement = (c.id:match("^sec%-") or suppress) and
        (", supplement: " .. (suppress and "none" or ("[" .. label.prefix .. "]"))) or ""
      table.insert(found, pandoc.RawInline("typst", "#ref(<" .. c.id .. ">" .. supplement .. ")"))
    else
      local text = suppress and label.number or (label.prefix .. "\u{a0}" .. label.number)
      table.insert(found, pandoc.Link(text, label.href, "", {class = "xref"}))
    end
  end
  local out = pandoc.Inlines({})
  for i, inl in ipairs(found) do
    if i > 1 then out:insert(pandoc.Str(",")); out:insert(pandoc.Space()) end
    out:insert(inl)
  end
  return out
end

local function chapter_setup(el)
  -- Typst: make its counters agree with the numbers computed in Python for this chapter.
  local kind = el.attributes["chapter-kind"]
  local counter = tonumber(el.attributes["chapter-counter"]) or 0
  local numbered = el.attributes["number"] ~= nil
  local style = not numbered and "none" or (kind == "appendix" and '"A.1"' or '"1.1"')
  local prefix = el.attributes["figure-prefix"] or ""
  return pandoc.RawBlock("typst", table.concat({
    "#pagebreak(weak: true)",
    "#counter(heading).update(" .. math.max(counter - 1, 0) .. ")",
    "#set heading(numbering: " .. style .. ")",
    "#counter(figure.where(kind: image)).update(0)",
    "#counter(figure.where(kind: table)).update(0)",
    "#set figure(numbering: n => " .. typst_string(prefix) .. " + str(n))",
  }, "\n"))
end

local function header(el)
  local number = el.attributes["number"]
  local setup = nil
  if is_typst and el.level == 1 then setup = chapter_setup(el) end
  for _, key in ipairs({"number", "chapter-kind", "chapter-counter", "figure-prefix"}) do
    el.attributes[key] = nil
  end
  if is_html and number then
    el.content:insert(1, pandoc.Space())
    el.content:insert(1, pandoc.Span(number, {class = "section-number"}))
  end
  if setup then return {setup, el} end
  return el
end

local function caption_prefix(kind, number, inlines)
  if is_html and number then
    local out = pandoc.Inlines({pandoc.Span(kind .. "\u{a0}" .. number .. ":", {class = "caption-label"}), pandoc.Space()})
    out:extend(inlines)
    return out
  end
  return inlines
end

local function split_caption(blocks)
  -- The last paragraph of a figure/table div is its caption (Quarto's rule).
  local content, caption = pandoc.Blocks({}), pandoc.Inlines({})
  local last = blocks[#blocks]
  for i, b in ipairs(blocks) do
    if i < #blocks or not last or last.t ~= "Para" then content:insert(b) end
  end
  if last and last.t == "Para" then caption = last.content end
  return content, caption
end

local function figure_div(el)
  local number = el.attributes["number"]
  local content, caption = split_caption(el.content)
  local attr = pandoc.Attr(el.identifier, {}, {})
  return pandoc.Figure(content, {long = {pandoc.Plain(caption_prefix("Figure", number, caption))}}, attr)
end

local function table_div(el)
  local number = el.attributes["number"]
  local content, caption = split_caption(el.content)
  local tbl = nil
  content:walk({Table = function(t) tbl = tbl or t end})
  if not tbl then
    error("table " .. el.identifier .. " holds no table (a code cell with tbl-cap must output a table)")
  end
  tbl.identifier = el.identifier
  tbl.caption = {long = {pandoc.Plain(caption_prefix("Table", number, caption))}}
  return tbl
end

local function callout(el, kind)
  local title = el.attributes["title"]
  local body = pandoc.Blocks({})
  local title_inlines = title and pandoc.Inlines(title) or nil
  for i, b in ipairs(el.content) do
    if i == 1 and b.t == "Header" and not title_inlines then title_inlines = b.content else body:insert(b) end
  end
  title_inlines = title_inlines or pandoc.Inlines(CALLOUT_TITLES[kind])
  if is_typst then
    local color = CALLOUT_COLORS[kind]
    local out = pandoc.Blocks({pandoc.RawBlock("typst",
      '#block(width: 100%, inset: 8pt, radius: 2pt, breakable: true, fill: rgb("' .. color .. '").lighten(90%), stroke: (left: 3pt + rgb("' .. color .. '")))[')})
    out:insert(pandoc.Para({pandoc.Strong(title_inlines)}))
    out:extend(body)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  return pandoc.Div({
    pandoc.Div(pandoc.Plain(title_inlines), {class = "callout-title"}),
    pandoc.Div(body, {class = "callout-body"}),
  }, pandoc.Attr(el.identifier, {"callout", "callout-" .. kind}, {}))
end

local function div(el)
  for _, class in ipairs(el.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and CALLOUT_TITLES[kind] then return callout(el, kind) end
  end
  if el.identifier:match("^fig%-") or el.classes:includes("figure") then return figure_div(el) end
  if el.identifier:match("^tbl%-") then return table_div(el) end
  return nil
end

local function raw_block(el)
  -- HTML tables from cell outputs (e.g. pandas) become pandoc tables for both writers.
  if el.format == "html" and el.text:match("<table") then
    local tables = pandoc.Blocks({})
    pandoc.read(el.text, "html").blocks:walk({Table = function(t)
      t.attr = pandoc.Attr()  -- drop pandas' class/border attributes; the stylesheet styles tables
      tables:insert(t)
    end})
    return tables
  end
  return nil
end

-- A numbered Figure or Table: its caption gets the "Figure 2.1:" / "Table 2.1:" label (HTML).
local function numbered(kind)
  return function(el)
    local number = el.attributes["number"]
    el.attributes["number"] = nil
    if is_html and number and el.caption.long[1] then
      el.caption.long[1].content = caption_prefix(kind, number, el.caption.long[1].content)
    end
    return el
  end
end

local figure, tbl = numbered("Figure"), numbered("Table")

local function image(el)
  -- Quarto's fig-alt: the image's alternative text (the caption stays the caption)
  local alt = el.attributes["fig-alt"]
  if alt then
    el.attributes["fig-alt"] = nil
    el.caption = pandoc.Inlines(alt)
    return el
  end
  return nil
end

local function span(el)
  if is_typst and el.classes:includes("claim") then return el.content end
  return nil
end

return {
  {Meta = read_labels},
  {RawBlock = raw_block, Image = image},
  {Figure = figure, Table = tbl},
  {Div = div, Header = header, Cite = cite, Span = span},
}
