--[[ book.lua: the renderer's one Lua filter, run before --citeproc for both writers.

Numbers come from the Python pass (renderer/crossref.py) as `number` attributes; the book's
label table comes in the metadata field `crossref` (id -> {number, prefix, href}). This
filter then, per writer:
  - shows heading numbers (HTML) or sets Typst's heading/figure counters per chapter (Typst);
  - turns `#fig-`/`#tbl-` divs into pandoc Figures/Tables with numbered captions;
  - resolves @fig-/@tbl-/@sec- into links "Figure 2.1" (HTML) or Typst references;
  - converts HTML tables from cell outputs (pandas) into pandoc tables, so both writers
    get real tables;
  - styles callouts; keeps claim spans in HTML and plain text in Typst;
  - Typst: marks each table's columns as numbers, identifiers or text for the template's
    `renderer-fit` (column widths from content), sets identifier cells in `renderer-id`
    (monospace, breakable anywhere), and gives the PDF the typography pandoc's smart reader
    cannot: curly quotes in literal text (values from kernels are inserted escaped) and a
    non-breaking space between a number and the word after it ("1.7 billion");
  - Typst: a `::: {.landscape}` div sets its content on landscape pages, a `::: {.compact}`
    div sets the tables inside it in smaller type (both are plain divs for Quarto and HTML).
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

local chapters_seen = 0

local function chapter_setup(el)
  -- Typst: make its counters agree with the numbers computed in Python for this chapter, and
  -- place the previous chapter's pending floating charts before its page break (not before
  -- the first chapter: there a flush would stand alone on a page of its own).
  chapters_seen = chapters_seen + 1
  local kind = el.attributes["chapter-kind"]
  local counter = tonumber(el.attributes["chapter-counter"]) or 0
  local numbered = el.attributes["number"] ~= nil
  local style = not numbered and "none" or (kind == "appendix" and '"A.1"' or '"1.1"')
  local prefix = el.attributes["figure-prefix"] or ""
  return pandoc.RawBlock("typst", table.concat({
    chapters_seen > 1 and "#place.flush()" or "",
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

-- Quarto's conditional content: `::: {.content-visible when-format="html"}` (or unless-format,
-- or .content-hidden) is kept or dropped for this writer; "pdf" names the Typst writer here,
-- the renderer's one PDF route. Run first, so a figure or table div holding one variant per
-- format numbers and captions the variant that stays.
local function format_matches(name)
  if name == "html" then return is_html end
  if name == "typst" or name == "pdf" then return is_typst end
  return false
end

local function conditional(el)
  local visible = el.classes:includes("content-visible")
  if not visible and not el.classes:includes("content-hidden") then return nil end
  local when, unless = el.attributes["when-format"], el.attributes["unless-format"]
  local shown
  if when then shown = format_matches(when) elseif unless then shown = not format_matches(unless) else shown = true end
  if not visible then shown = not shown end
  return shown and el.content or {}
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

-- Typst typography ---------------------------------------------------------------------

local NBSP = "\u{a0}"
local OPENERS = {[""] = true, [" "] = true, ["("] = true, ["["] = true, ["{"] = true, ["/"] = true,
                 ["\u{2014}"] = true, ["\u{2013}"] = true, ["\u{201C}"] = true, ["\u{2018}"] = true}

-- Straight quotes in literal text (escaped kernel values, HTML tables, metadata strings) as
-- typographic ones, by the rule pandoc's smart reader uses: opening after a space, an opening
-- bracket or the start; closing (and the apostrophe) elsewhere. `before` is the character
-- preceding the text ("" at the start of a line of inlines).
local function curl(text, before)
  if not text:find("[\"']") then return text end
  local chars = {}
  for _, code in utf8.codes(text) do table.insert(chars, utf8.char(code)) end
  local prev = before or ""
  for i, ch in ipairs(chars) do
    if ch == "'" or ch == '"' then
      local opening = OPENERS[prev] and not (ch == "'" and chars[i + 1] == "s" and
        (chars[i + 2] == nil or not chars[i + 2]:match("^%a$")))  -- 's after a span is possessive
      if ch == "'" then chars[i] = opening and "\u{2018}" or "\u{2019}"
      else chars[i] = opening and "\u{201C}" or "\u{201D}" end
    end
    prev = chars[i]
  end
  return table.concat(chars)
end

-- "1.7", "$1.7", "100,000", "5\u{2013}7", "\u{2212}2": a Str that is a number (no letters).
local function is_number_word(text)
  local rest = text:gsub("\u{2212}", ""):gsub("\u{2013}", "")
  return rest:find("%d") ~= nil and rest:gsub("[%d,%.%%%$]", "") == ""
end

local function last_char(el)
  if el.t == "Space" or el.t == "SoftBreak" or el.t == "LineBreak" then return " " end
  if el.t == "Str" then
    local last = ""
    for _, code in utf8.codes(el.text) do last = utf8.char(code) end
    return last
  end
  return "x"  -- after emphasis, a link, a quotation: the next quote closes
end

-- One run of inlines: curl quotes; a number keeps the word after it on its line.
local function typst_inlines(inlines)
  local before = ""
  for i, el in ipairs(inlines) do
    if el.t == "Str" then
      el.text = curl(el.text, before)
    elseif (el.t == "Space" or el.t == "SoftBreak") and i > 1 and i < #inlines then
      local prev, next = inlines[i - 1], inlines[i + 1]
      if prev.t == "Str" and next.t == "Str" and is_number_word(prev.text) and next.text:match("^%a") then
        inlines[i] = pandoc.Str(NBSP)
      end
    end
    before = last_char(el)
  end
  return inlines
end

local function typst_meta(meta)
  for _, key in ipairs({"title", "subtitle"}) do
    if meta[key] then meta[key] = curl(pandoc.utils.stringify(meta[key]), "") end
  end
  return meta
end

-- Typst tables ------------------------------------------------------------------------

local function has_space(text) return text:find("%s") ~= nil end

-- A number as tables print it: "59,900", "37%", "$1.7", "\u{2212}0.06", "2nd", "3.5\u{2013}25.6".
local function is_number_cell(text)
  if has_space(text) then return false end
  local rest = text:gsub("\u{2212}", ""):gsub("\u{2013}", ""):gsub("[%d,%.%%%$%+%-]", "")
  return text:find("%d") ~= nil and (rest == "" or rest == "st" or rest == "nd" or rest == "rd" or rest == "th")
end

-- An identifier, file name or checksum: one token with _ / \ or a file extension, or long hex.
local function is_identifier_cell(text)
  if has_space(text) then return false end
  return text:find("[_/\\]") ~= nil or text:find("%.%a%a") ~= nil or (#text >= 16 and text:match("^%x+$") ~= nil)
end

local function column_texts(tbl, col)
  local texts = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cell = row.cells[col]
      local text = cell and pandoc.utils.stringify(cell.contents) or ""
      if text ~= "" then table.insert(texts, text) end
    end
  end
  return texts
end

-- "num" (every cell a number), "id" (every cell one token, most of them identifiers) or "text".
local function column_kind(texts)
  if #texts == 0 then return "text" end
  local numbers, tokens, ids = 0, 0, 0
  for _, text in ipairs(texts) do
    if is_number_cell(text) then numbers = numbers + 1 end
    if not has_space(text) then tokens = tokens + 1 end
    if is_identifier_cell(text) then ids = ids + 1 end
  end
  if numbers == #texts then return "num" end
  if tokens == #texts and ids * 2 >= #texts then return "id" end
  return "text"
end

local function identifier_cells(tbl, col)
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cell = row.cells[col]
      local text = cell and pandoc.utils.stringify(cell.contents) or ""
      if text ~= "" then
        cell.contents = {pandoc.Plain({pandoc.RawInline("typst", "#renderer-id(" .. typst_string(text) .. ")")})}
      end
    end
  end
end

-- A long token in a text cell (a file path, a source id, plain or as code) may break after
-- _ / @ . and \: a file name in code ran past the page's edge in table A.1.
local function breakable_paths(tbl, col)
  local function str(el)
    if utf8.len(el.text) and utf8.len(el.text) >= 20 and el.text:find("[_/@%.\\]") then
      el.text = el.text:gsub("([_/@%.\\])(.)", "%1\u{200B}%2")
      return el
    end
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      if row.cells[col] then row.cells[col].contents = row.cells[col].contents:walk({Str = str, Code = str}) end
    end
  end
end

-- Typst: widths from content (the template's renderer-fit), identifiers breakable anywhere.
local function typst_table(tbl)
  local kinds = {}
  for col, spec in ipairs(tbl.colspecs) do
    local kind = column_kind(column_texts(tbl, col))
    if kind == "id" then identifier_cells(tbl, col) else breakable_paths(tbl, col) end
    table.insert(kinds, '"' .. kind .. '",')
    tbl.colspecs[col] = {spec[1], nil}  -- no preset widths: renderer-fit measures the content
  end
  return {
    pandoc.RawBlock("typst", "#[\n#show table: renderer-fit.with(kinds: (" .. table.concat(kinds, " ") .. "))"),
    tbl,
    pandoc.RawBlock("typst", "]"),
  }
end

-- ::: {.landscape} and ::: {.compact} (Typst only; elsewhere plain divs).
local function typst_layout_div(el)
  if el.classes:includes("landscape") then
    el.content:insert(1, pandoc.RawBlock("typst", "#page(flipped: true)["))
    el.content:insert(pandoc.RawBlock("typst", "]"))
    return el.content
  end
  if el.classes:includes("compact") then
    el.content:insert(1, pandoc.RawBlock("typst", "#[\n#show table: set text(size: 7.5pt)"))
    el.content:insert(pandoc.RawBlock("typst", "]"))
    return el.content
  end
  return nil
end

return {
  {Meta = read_labels, Div = conditional},
  {RawBlock = raw_block, Image = image},
  {Figure = figure, Table = tbl},
  {Div = div, Header = header, Cite = cite, Span = span},
  is_typst and {Table = typst_table, Div = typst_layout_div, Inlines = typst_inlines, Meta = typst_meta} or {},
}
