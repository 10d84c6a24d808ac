--[[ links.lua: run after --citeproc in the HTML writer. Citations link to `#ref-key`; in a
multi-page site the bibliography lives on one page, named in metadata `refs-page`. ]]

local refs_page = ""

return {
  {Meta = function(meta) refs_page = pandoc.utils.stringify(meta["refs-page"] or "") end},
  {Div = function(el)
    -- pages other than the references page: citeproc built the list only so that citations
    -- become links; the list itself is shown once, on the references page
    if refs_page ~= "" and el.identifier == "refs" then return {} end
  end,
  Link = function(el)
    if refs_page ~= "" and el.target:match("^#ref%-") then
      el.target = refs_page .. el.target
      return el
    end
  end},
}
