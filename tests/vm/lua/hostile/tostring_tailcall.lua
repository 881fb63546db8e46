-- expect: ETIME time limit exceeded
-- tostring tail-calls a __tostring that is tostring: no bytecode ever runs,
-- so only the count in the fast function's fallback ends it.
local t = setmetatable({}, { __tostring = tostring })
tostring(t)
