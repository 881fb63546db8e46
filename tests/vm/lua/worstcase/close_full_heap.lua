-- expect: ok
-- Leave about 13 MiB of small objects to lua_close().
keep = {}
for i = 1, 2^16 do keep[i] = { i, tostring(i), { i } } end
