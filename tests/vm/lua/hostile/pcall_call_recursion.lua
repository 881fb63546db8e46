-- expect: ok
-- pcall and xpcall as __call metamethods recursed with no Lua stack check
-- and wrote past the stack (an oops); now the innermost call ends with
-- "stack overflow", which the pcall around it catches.
local function last(...) return select(select("#", ...), ...) end
local t = setmetatable({}, { __call = pcall })
assert(tostring(last(pcall(t))):find("stack overflow"))
local x = setmetatable({}, { __call = xpcall })
assert(pcall(x, print) ~= nil)
