-- expect: ETIME time limit exceeded
-- Exponential backtracking inside one string.find: the time limit holds in C.
string.find(string.rep("a", 40), string.rep("a*", 20) .. "b")
