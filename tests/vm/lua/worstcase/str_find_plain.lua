-- expect: ETIME time limit exceeded
-- lj_str_find: memchr and memcmp over 2 MiB for every candidate.
local s = ("a"):rep(2^21)
local p = ("a"):rep(2^20) .. "b"
s:find(p, 1, true)
