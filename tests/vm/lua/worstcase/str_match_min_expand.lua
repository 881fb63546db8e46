-- expect: ETIME time limit exceeded
-- min_expand tries every end for every start; gmatch, match, find.
local s = ("a"):rep(2^22)
for _ in s:gmatch(".-b") do end
