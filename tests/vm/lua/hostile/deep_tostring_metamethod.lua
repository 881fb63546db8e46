-- expect: ETIME time limit exceeded
-- tostring() inside __tostring recurses in Lua frames without end (as in
-- user-space LuaJIT): the time limit ends it.
local t = setmetatable({}, { __tostring = function(x) return tostring(x) end })
tostring(t)
