--[[ links.lua: run after --citeproc in the HTML writer. Citations link to `#ref-key`; in a
multi-page site the bibliography lives on one page, named in metadata `refs-page`. ]]

local refs_page = ""

return {
  {Meta = function(meta) refs_page = pandoc.utils.stringify(meta["refs-page"] or "") end},
  {Div = function(el)
    -- pages other than the references page: citeproc built the list so that citations
    -- become links; the list itself is shown once, on the references page. Here it is kept
    -- in an inert <template> (not shown, not in the accessibility tree, ids not in the page)
    -- from which the page script shows a reference's entry when a citation is hovered.
    if refs_page ~= "" and el.identifier == "refs" then
      el.identifier = "ref-previews-list"
      return {pandoc.RawBlock("html", '<template id="ref-previews" data-pagefind-ignore>'), el, pandoc.RawBlock("html", "</template>")}
    end
  end,
  Link = function(el)
    if refs_page ~= "" and el.target:match("^#ref%-") then
      el.target = refs_page .. el.target
      return el
    end
  end},
}
