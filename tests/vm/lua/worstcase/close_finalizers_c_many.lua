-- expect: ok
-- 128 Ki userdata whose __gc is a C function left to lua_close(): no
-- bytecode runs in any finalizer, so no count hook; the loop over them
-- lets the CPU go on its own.
local proto = newproxy(true)
getmetatable(proto).__gc = type
keep = {}
for i = 1, 2^17 do keep[i] = newproxy(proto) end
