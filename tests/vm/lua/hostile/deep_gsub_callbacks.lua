-- expect: EOVERFLOW kernel stack limit reached
local function f(s) return (s:gsub(".", f)) end
f("aaaa")
