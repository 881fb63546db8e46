-- expect: ETIME time limit exceeded
-- A plain search (lj_str_find) costs len(s) * len(p): it counts against
-- the time limit.
string.find(("a"):rep(2^19), ("a"):rep(2^18) .. "b", 1, true)
