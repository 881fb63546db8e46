-- expect: ok
-- A handler that catches one error (which resets LuaJIT's error status)
-- and raises another one re-entered itself on the kernel stack until the
-- guard page; now xpcall gets "error in error handling".
local function handler(m) pcall(error) error("again") end
local ok, msg = xpcall(error, handler)
assert(not ok and msg == "error in error handling", tostring(msg))
