-- expect: EOVERFLOW kernel stack limit reached
-- sort compares with __lt from C: each level is a C-to-Lua call.
local mt = {}
mt.__lt = function(a, b) table.sort({ a, b, a }); return false end
local x = setmetatable({}, mt)
table.sort({ x, x, x })
