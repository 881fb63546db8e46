-- expect: ETIME time limit exceeded
-- max_expand scans the rest of 4 MiB for every start position.
local s = ("a"):rep(2^22)
s:find("a*b")
